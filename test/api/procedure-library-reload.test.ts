/**
 * Loading the library (processes/<code>/procedure.json) at every start: the same files create no
 * version, an admin's edit survives a reload, a changed file becomes a new version only while no
 * admin saved after the last load (else the admin's version is kept and a warning says so). On
 * both databases (PostgreSQL's jsonb reorders keys: the comparison must not depend on key order).
 */
import { join } from 'node:path';
import { readProcedureLibrary, type ProcedureDocument } from '../../onestop/src/procedures/procedure';
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

const PROCESSES = join(__dirname, '../../processes');

describe.each(testDatabases())('loading the procedure library again on $name', (target) => {
  const api = useApi(target, {});
  const dossiers = () => api.server.app.locals.services.ctx.dossiers!;
  const library = (): ProcedureDocument[] => readProcedureLibrary(PROCESSES);

  it('should create no version when the files did not change', async () => {
    // given the library loaded once
    const first = await dossiers().loadLibrary(library());

    // when it is loaded again from the same files (a restart)
    const second = await dossiers().loadLibrary(library());

    // then every entry kept its version
    expect(second.map((p) => `${p.code} v${p.version}`)).toEqual(first.map((p) => `${p.code} v${p.version}`));
    expect((await dossiers().procedures()).every((p) => !('$schema' in p.document))).toBe(true);
  });

  it("should keep an admin's edit over a reload, and warn when the file changes under it", async () => {
    // given the library loaded and an admin's edit of one entry
    await dossiers().loadLibrary(library());
    const before = await dossiers().procedure('birth-registration');
    const edited = { ...before.document, name: { ...before.document.name, vi: `${before.document.name.vi} (sửa)` } };
    const saved = await dossiers().saveProcedure('birth-registration', { document: edited }, 'admin-1');

    // when the same files are loaded again
    const warnings: string[] = [];
    await dossiers().loadLibrary(library(), 'system', (m) => warnings.push(m));

    // then the admin's version stands, without a warning
    const after = await dossiers().procedure('birth-registration');
    expect(after).toMatchObject({ version: saved.version, updatedBy: 'admin-1', document: { name: { vi: edited.name.vi } } });
    expect(warnings).toEqual([]);

    // when the file itself changes
    const changed = library().map((d) => (d.code === 'birth-registration' ? { ...d, fee: { ...d.fee, amount: d.fee.amount + 1000 } } : d));
    await dossiers().loadLibrary(changed, 'system', (m) => warnings.push(m));

    // then the admin's version is still kept, and a warning names it
    expect(await dossiers().procedure('birth-registration')).toMatchObject({ version: saved.version, updatedBy: 'admin-1' });
    expect(warnings).toEqual([expect.stringContaining(`procedure birth-registration: the library file changed, but v${saved.version} saved by admin-1`)]);
  });

  it('should load a changed file as a new version while the entry is still the library’s', async () => {
    // given the library loaded
    await dossiers().loadLibrary(library());
    const before = await dossiers().procedure('permanent-residence');

    // when its file changes and the library is loaded again, twice
    const changed = () => library().map((d) => (d.code === 'permanent-residence' ? { ...d, onlineLevel: d.onlineLevel === 'full' ? ('partial' as const) : ('full' as const) } : d));
    await dossiers().loadLibrary(changed());
    await dossiers().loadLibrary(changed());

    // then one new version holds the file's content
    const after = await dossiers().procedure('permanent-residence');
    expect(after.version).toBe(before.version + 1);
    expect(after.document.onlineLevel).not.toBe(before.document.onlineLevel);
    expect(after.updatedBy).toBe('system');
  });
});
