/**
 * One configuration module: every variable the product reads is declared in api/src/config.ts
 * (SETTINGS), the README's configuration table says the same names and defaults, nothing but the
 * configuration module (api/src/config.ts) reads `process.env`, and a start with wrong values names every one of them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadConfig, SETTINGS } from '../../../api/src/config';

const ROOT = join(__dirname, '../../..');
const SOURCES = ['api/src', 'engine/src', 'onestop/src'];
/** The one file that reads the process environment (the composition roots take what it read). */
const COMPOSITION_ROOTS = new Set(['api/src/config.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Rows of README's configuration table: the variables of each row and its default. */
function readmeRows(): Array<{ names: string[]; default: string }> {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [names, fallback] = line.split(' | ');
      return { names: [...names.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]), default: fallback.replace(/`/g, '').trim() };
    });
}

describe('api/config', () => {
  it('should document every declared variable in the README with the same default, and nothing else', () => {
    const declared = SETTINGS.map((s) => ({ names: [...s.names], default: s.default }));
    expect(readmeRows()).toEqual(declared);
  });

  it('should declare every variable the sources read', () => {
    // given every MOTCUA_* name written in the sources, and every env.X / env['X'] read
    const names = new Set(SETTINGS.flatMap((s) => s.names));
    const used = new Map<string, string>();
    for (const file of SOURCES.flatMap(sourceFiles)) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const match of text.matchAll(/['"`](MOTCUA_[A-Z0-9_]+|DATABASE_URL|LOG_LEVEL)['"`]/g)) used.set(match[1], file);
      for (const match of text.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]+)/g)) used.set(match[1], file);
    }

    // then
    const undeclared = [...used].filter(([name]) => !names.has(name)).map(([name, file]) => `${name} (${relative(ROOT, join(ROOT, file))})`);
    expect(undeclared).toEqual([]);
  });

  it('should read process.env only in the configuration module', () => {
    const readers = SOURCES.flatMap(sourceFiles).filter((file) => !COMPOSITION_ROOTS.has(file) && /process\.env\b/.test(readFileSync(join(ROOT, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
    expect(readers).toEqual([]);
  });

  it('should name every wrong variable at once, each with its value', () => {
    // when
    let message = '';
    try {
      loadConfig({ MOTCUA_DB_POOL: 'many', PORT: '-1', LOG_LEVEL: 'loud', MOTCUA_RECOMPUTE_DUE_DATES: 'maybe', MOTCUA_JWKS_URL: 'http://idp.example/keys' });
    } catch (error) {
      message = (error as Error).message;
    }

    // then
    expect(message).toMatch(/^configuration: 5 settings are wrong:/);
    for (const part of ["MOTCUA_DB_POOL must be an integer ≥ 1 (got 'many')", "PORT must be an integer ≥ 0 (got '-1')", "LOG_LEVEL must be one of", "(got 'loud')", "MOTCUA_RECOMPUTE_DUE_DATES must be true or false (got 'maybe')", 'MOTCUA_JWKS_URL must be an https:// URL']) {
      expect(message).toContain(part);
    }
  });

  it('should name a single wrong variable the way it always did', () => {
    expect(() => loadConfig({ MOTCUA_DB_POOL: '0' })).toThrow("configuration: MOTCUA_DB_POOL must be an integer ≥ 1 (got '0')");
  });

  it('should refuse a short mining key without printing it', () => {
    expect(() => loadConfig({ MOTCUA_MINING_SECRET: 'short-key' })).toThrow('configuration: MOTCUA_MINING_SECRET must have at least 16 characters (got 9)');
    expect(loadConfig({ MOTCUA_MINING_SECRET: 'sixteen-chars-ok' })).toMatchObject({ miningSecret: 'sixteen-chars-ok', miningMaxCases: 2000 });
  });

  it('should hand the auth service its variables and the CLI the new password, so that nothing else reads the environment', () => {
    // given
    const env = { MOTCUA_JWT_SECRET: 'k'.repeat(32), MOTCUA_JWKS_URL: '', MOTCUA_ROLES_CLAIM: 'realm_access.roles', MOTCUA_NEW_PASSWORD: 'mật khẩu', PATH: '/bin' };

    // when
    const config = loadConfig(env);

    // then
    expect(config.authEnv).toMatchObject({ MOTCUA_JWT_SECRET: 'k'.repeat(32), MOTCUA_JWKS_URL: '', MOTCUA_ROLES_CLAIM: 'realm_access.roles' });
    expect(Object.keys(config.authEnv).every((name) => name.startsWith('MOTCUA_'))).toBe(true);
    expect(config.authEnv).not.toHaveProperty('MOTCUA_NEW_PASSWORD');
    expect(config.newPassword).toBe('mật khẩu');
    expect(loadConfig({}).newPassword).toBeUndefined();
  });
});
