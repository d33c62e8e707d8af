/**
 * `GET /api/public/agencies`: the agencies whose figures the public page shows, from the
 * procedure catalogue (each competent agency of a procedure in force, its name, how many of
 * its procedures and how many online), without signing in. On both databases.
 */
import { readProcedureLibrary } from '../../onestop/src/procedures/procedure';
import { testDatabases } from '../support/databases';
import { LIBRARY, loadLibrary } from './dossier-e2e-support';
import { useApi } from './harness';

describe.each(testDatabases())('the public list of agencies on $name', (target) => {
  const api = useApi(target);

  beforeAll(async () => {
    await loadLibrary(api);
  });

  it('should list each competent agency of the catalogue with its procedures, to anyone', async () => {
    // when anyone asks, without a token
    const res = await fetch(`${api.url}/api/public/agencies`);
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Array<{ id: string; name: { vi: string }; procedures: number; online: number }> };

    // then every competent agency of the library is there once, counted from the library itself
    const library = readProcedureLibrary(LIBRARY);
    const expected = new Map<string, { procedures: number; online: number }>();
    for (const p of library) {
      const e = expected.get(p.competentAgency.agency) ?? { procedures: 0, online: 0 };
      e.procedures += 1;
      if (p.onlineLevel === 'full' || p.onlineLevel === 'partial') e.online += 1;
      expected.set(p.competentAgency.agency, e);
    }
    expect(items.map((a) => a.id)).toEqual([...expected.keys()].sort());
    for (const a of items) expect({ id: a.id, procedures: a.procedures, online: a.online }).toEqual({ id: a.id, ...expected.get(a.id) });
    expect(items.find((a) => a.id === '000.01.00.H29')?.name.vi).toMatch(/^UBND xã Minh An/);
  });
});
