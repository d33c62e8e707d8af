/**
 * QA findings 7, 8, 9: a date the database or the calendars cannot hold is the caller's
 * mistake, answered 400 naming the field, never a 500 — statistics (staff and public),
 * process mining, the simulation's start, and any date in a body.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

const toBe = readFileSync(join(__dirname, '../../processes/birth-registration/to-be.bpmn'), 'utf8');

describe.each(testDatabases())('out-of-range dates on $name', (target) => {
  const api = useApi(target, { dossiers: true });

  it.each([
    ['analyst', '/api/statistics?from=0001-01-01', 'query.from'],
    ['analyst', '/api/statistics?to=0001-01-01', 'query.to'],
    ['analyst', '/api/statistics?from=2026-01-01&to=99999-12-31', 'query.to'],
    ['analyst', '/api/statistics/dossiers?indicator=received&from=0001-01-01', 'query.from'],
    ['anonymous', '/api/public/statistics?agency=A&from=0001-01-01', 'query.from'],
    ['analyst', '/api/analysis/mining?from=0000-01-01T00:00:00Z', 'query.from'],
    ['analyst', '/api/analysis/mining?to=0001-01-01T00:00:00Z', 'query.to'],
    ['analyst', '/api/analysis/mining/export?format=xes&from=0000-01-01T00:00:00Z', 'query.from'],
  ] as const)('should answer 400 to %s GET %s, naming %s', async (caller, path, field) => {
    // when
    const res = await api.as(caller).get(path);

    // then
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('should answer 400 naming body.model.parameters.start when the calendars do not cover the simulation start', async () => {
    for (const start of ['1900-01-01', '0001-01-01', '2020-12-30']) {
      // when
      const res = await api.as('analyst').post('/api/analysis/simulate', { model: { xml: toBe, parameters: { start, dossiers: 5 } } });

      // then
      expect({ start, status: res.status }).toEqual({ start, status: 400 });
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('body.model.parameters.start');
    }
  });
});
