import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ENGINE_MIGRATIONS, migrationFiles } from '../../../engine/src/store-sequelize/migrate';
import { MIGRATION_FOLDERS } from '../../../api/src/migrations';

describe('store-sequelize/migrate › migrationFiles', () => {
  function folder(files: string[]): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'motcua-migrations-'));
    mkdirSync(dir, { recursive: true });
    for (const file of files) writeFileSync(path.join(dir, file), 'exports.up = async () => {};\n');
    return dir;
  }

  it('should order the files of several folders by name, as one sequence', () => {
    // given
    const engine = folder(['0001-a.ts', '0003-c.ts', '0003-c.d.ts', 'README.md']);
    const onestop = folder(['0002-b.ts', '0004-d.ts']);

    // when
    const names = migrationFiles([onestop, engine]).map((m) => m.name);

    // then
    expect(names).toEqual(['0001-a', '0002-b', '0003-c', '0004-d']);
  });

  it('should refuse a migration name found in two folders, naming both files', () => {
    const a = folder(['0001-a.ts']);
    const b = folder(['0001-a.ts']);
    expect(() => migrationFiles([a, b])).toThrow(/0001-a exists twice: .*0001-a\.ts and .*0001-a\.ts/);
  });

  it('should treat a folder that does not exist as holding no migration', () => {
    expect(migrationFiles([path.join(tmpdir(), 'motcua-no-such-folder')])).toEqual([]);
  });

  it("should find every layer's migrations in the project's folders, with no name twice", () => {
    const all = migrationFiles(MIGRATION_FOLDERS);
    expect(all.length).toBeGreaterThanOrEqual(migrationFiles([ENGINE_MIGRATIONS]).length);
    expect(all.map((m) => m.name)).toEqual([...new Set(all.map((m) => m.name))].sort());
  });
});
