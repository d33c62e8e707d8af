/**
 * Connector secrets from the configuration: a JSON file (`MOTCUA_SECRETS_FILE`) and
 * `MOTCUA_SECRET_<NAME>` variables, the variables winning; a wrong file is named, its values never shown.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../api/src/config';

describe('api/config connector secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-secrets-'));

  it('should read the file and the variables, a variable winning over the file', () => {
    // given
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ REGISTRY_TOKEN: 'from-file', OTHER: 'kept' }));

    // when
    const config = loadConfig({ MOTCUA_SECRETS_FILE: 'secrets.json', MOTCUA_SECRET_REGISTRY_TOKEN: 'from-env', MOTCUA_SECRET_API_KEY: 'k-1' }, dir);

    // then
    expect(config.secrets).toEqual({ REGISTRY_TOKEN: 'from-env', OTHER: 'kept', API_KEY: 'k-1' });
  });

  it('should have no secrets by default', () => {
    expect(loadConfig({}, dir).secrets).toEqual({});
  });

  it.each([
    ['not JSON', 'token=abc-very-secret', "MOTCUA_SECRETS_FILE 'bad.json' cannot be used: it is not JSON"],
    ['not an object', '["abc-very-secret"]', "MOTCUA_SECRETS_FILE 'bad.json' must hold a JSON object of secret names to strings"],
    ['a value that is not a string', '{"A": {"v": "abc-very-secret"}}', "MOTCUA_SECRETS_FILE 'bad.json': secret 'A' must be a string"],
  ])('should refuse a file that is %s, naming it without showing a value', (_, content, message) => {
    // given
    writeFileSync(join(dir, 'bad.json'), content);

    // when
    const attempt = () => loadConfig({ MOTCUA_SECRETS_FILE: 'bad.json' }, dir);

    // then
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect(String(error)).not.toContain('abc-very-secret');
    }
  });

  it('should name a missing file', () => {
    expect(() => loadConfig({ MOTCUA_SECRETS_FILE: 'missing.json' }, dir)).toThrow("MOTCUA_SECRETS_FILE 'missing.json' cannot be used: ENOENT");
  });
});
