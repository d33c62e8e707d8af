/**
 * QA finding 18: every field of a problem document in one notation, rooted at the
 * request: `body.document.agencies[1].name` — no JSON pointer (`body./agencies/1`), no
 * `(root)`, no `.0.` for an array index.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

const NOTATION = /^(body|query|params|headers|path)((\.[A-Za-z_$][\w$-]*)|(\[\d+\]))*$/;

function procedureDocument(): Record<string, any> {
  const base = JSON.parse(readFileSync(join(__dirname, '../../processes/permanent-residence/procedure.json'), 'utf8'));
  delete base.$schema;
  return { ...base, code: 'paths-procedure', processId: 'paths-process', competentAgency: { ...base.competentAgency, agency: 'A' }, agencies: [{ id: 'A', name: 'Xã A', nameEn: 'A', level: 'commune', role: 'lead', demo: true }] };
}

describe.each(testDatabases())('field paths on $name', (target) => {
  const api = useApi(target, { dossiers: true });

  it('should name the fields of a refused catalogue document in the one notation', async () => {
    // given an agency without its name, and a document with no code
    const document = procedureDocument();
    document.agencies.push({ id: 'B', nameEn: 'B', level: 'commune', role: 'participant', demo: true });
    const { code: _code, ...noCode } = document;

    // when
    const answers = [
      await api.as('adminA').request('PUT', '/api/procedures/paths-procedure', { json: { document } }),
      await api.as('adminA').request('PUT', '/api/procedures/paths-procedure', { json: { document: noCode } }),
    ];

    // then
    for (const res of answers) {
      expect(res.status).toBe(400);
      for (const e of res.body.errors) expect(e.field).toMatch(NOTATION);
    }
    expect(answers[0].body.errors.map((e: { field: string }) => e.field)).toEqual(['body.competentAgency.agency']);
  });
});

describe.each(testDatabases())('field paths of the legal clock on $name', (target) => {
  const api = useApi(target);

  it('should name a step’s bad cut-off as body.steps[0].cutoff', async () => {
    // when
    const res = await api.as('analyst').post('/api/analysis/legal-clock', { from: '2026-03-02T08:00:00+07:00', steps: [{ amount: 1, unit: 'sameDay', cutoff: '29:00' }] });

    // then
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.steps[0].cutoff']);
  });
});
