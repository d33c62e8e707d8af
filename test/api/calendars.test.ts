/** `/api/calendars`: agency admins list, read and replace years and their agency's hours; every change is recorded. */
import { bundledYears } from '../../onestop/src/clocks';
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

describe.each(testDatabases())('calendars on $name', (target) => {
  const api = useApi(target);

  it('should list the years and give one', async () => {
    const list = await api.as('analyst').get('/api/calendars/years');
    expect(list.status).toBe(200);
    expect(list.body.items.map((y: { year: number }) => y.year)).toEqual([2025, 2026, 2027]);
    expect(list.body.items[2]).toMatchObject({ year: 2027, status: 'provisional' });

    const year = await api.as('adminA').get('/api/calendars/years/2026');
    expect(year.status).toBe(200);
    expect(year.body).toMatchObject({ year: 2026, status: 'official' });
    expect((await api.as('adminA').get('/api/calendars/years/2040')).status).toBe(404);
    expect((await api.as('officialA').get('/api/calendars/years')).status).toBe(403);
  });

  it('should load an announced year in place of the provisional one, and record it', async () => {
    // given: 2027 announced (the provisional file marked official)
    const announced = {
      ...structuredClone(bundledYears().find((y) => y.year === 2027)!),
      status: 'official',
      documents: [{ number: '1/TB-TEST', date: '2026-11-30', issuer: 'test', decides: 'the 2027 schedule' }],
    };

    // when
    const res = await api.as('adminA').request('PUT', '/api/calendars/years/2027', { json: announced });

    // then
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'year', key: '2027', actor: expect.any(String), recomputedTasks: 0 });
    expect((await api.as('analyst').get('/api/calendars/years/2027')).body.status).toBe('official');
    const changes = await api.as('analyst').get('/api/calendars/changes');
    expect(changes.body.items[0]).toMatchObject({ id: res.body.id, kind: 'year', key: '2027' });
  });

  it('should refuse a bad year naming the field, and a caller who is not an agency admin', async () => {
    const bad = structuredClone(bundledYears().find((y) => y.year === 2026)!) as unknown as { holidays: Array<{ date: string }> };
    bad.holidays[0].date = 'first of January';
    const res = await api.as('adminA').request('PUT', '/api/calendars/years/2026', { json: bad });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('holidays');
    expect((await api.as('analyst').request('PUT', '/api/calendars/years/2026', { json: bundledYears()[1] })).status).toBe(403);
  });

  it("should let an agency admin replace only their own agency's hours", async () => {
    const saturdayDesk = { weekdays: { '6': [{ start: '07:30', end: '11:30' }] } };
    const own = await api.as('adminA').request('PUT', '/api/calendars/agencies/A', { json: saturdayDesk });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ kind: 'agency', key: 'A' });
    expect((await api.as('analyst').get('/api/calendars/agencies/A')).body).toEqual(saturdayDesk);
    expect((await api.as('adminA').request('PUT', '/api/calendars/agencies/B', { json: saturdayDesk })).status).toBe(403);
    const bad = await api.as('adminA').request('PUT', '/api/calendars/agencies/A', { json: { weekdays: { '6': [{ start: '11:00', end: '09:00' }] } } });
    expect(bad.status).toBe(400);
  });
});
