/** `POST /api/analysis/legal-clock`: statutory times added one after another on the working calendar, for the modeler's token walk. */
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

describe.each(testDatabases().filter((target) => target.embedded))('legal clock on $name', (target) => {
  const api = useApi(target);

  it('should add each step from the previous due moment, skipping the weekend and the lunch break', async () => {
    // given a receipt on Friday 4 December 2026 at 09:00 in Hà Nội, then a half day and one working day
    const body = { from: '2026-12-04T09:00:00+07:00', agency: '000.01.00.H29', steps: [{ amount: 0.5, unit: 'workingDays' }, { amount: 1, unit: 'workingDays' }] };

    // when
    const res = await api.as('analyst').post('/api/analysis/legal-clock', body);

    // then half a day (4 working hours: 09:00–11:30, 13:00–14:30) is due at 14:30 that Friday, and one working day more at 14:30 on Monday
    expect(res.status).toBe(200);
    expect(res.body.dueAt).toEqual(['2026-12-04T07:30:00.000Z', '2026-12-07T07:30:00.000Z']);
  });

  it('should refuse a unit it does not know and a bad moment, naming the field; and only analysts and agency admins may ask', async () => {
    const badUnit = await api.as('analyst').post('/api/analysis/legal-clock', { from: '2026-12-04T09:00:00Z', steps: [{ amount: 1, unit: 'fortnights' }] });
    const uncovered = await api.as('analyst').post('/api/analysis/legal-clock', { from: '2199-01-05T09:00:00Z', steps: [{ amount: 1, unit: 'workingDays' }] });
    expect(uncovered.status).toBe(400);
    expect(uncovered.body.detail).toMatch(/2199/);
    // before the first legal settings the clocks hold (found by the OpenAPI fuzz test: it was a 500)
    const early = await api.as('analyst').post('/api/analysis/legal-clock', { from: '2017-09-30T10:17:43Z', steps: [{ amount: 1, unit: 'hours', cutoff: 'none' }] });
    expect([early.status, early.body.detail]).toEqual([400, expect.stringMatching(/^steps\[0\]: no legal settings in force on 2017-09-30/)]);
    const badFrom = await api.as('analyst').post('/api/analysis/legal-clock', { from: 'Friday', steps: [] });
    expect(badUnit.status).toBe(400);
    expect(badUnit.body.detail).toMatch(/^body\.steps\[0\]\.unit: must be one of/);
    expect(badFrom.status).toBe(400);
    expect(badFrom.body.detail).toMatch(/^body\.from: /);
    expect((await api.as('adminA').post('/api/analysis/legal-clock', { from: '2026-12-04T09:00:00Z', steps: [] })).status).toBe(200);
    expect((await api.as('citizen').post('/api/analysis/legal-clock', { from: '2026-12-04T09:00:00Z', steps: [] })).status).toBe(403);
  });
});
