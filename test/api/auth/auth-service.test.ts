/**
 * The auth service on both databases: login, token verification (ours and an external
 * provider's), the shared generated key, disabled users, demo users, settings.
 */
import { createStores } from '../../../api/src/stores';
import { createAuthService, addUser, loadAuthConfig, type AuthService } from '../../../api/src/auth/auth-service';
import { DEMO_PASSWORD, DEMO_USERS, ensureDemoUsers } from '../../../api/src/auth/demo-users';
import { UnauthorizedError } from '../../../api/src/auth/errors';
import * as passwords from '../../../api/src/auth/passwords';
import { ConflictError, InvalidInputError } from '../../../engine/src/errors';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { openTestDatabase, testDatabases } from '../../support/databases';
import { PROVIDER_AUDIENCE, PROVIDER_ISSUER, startLocalIdentityProvider, type LocalIdentityProvider } from './local-identity-provider';

const H29 = '000.00.15.H29';

async function errorOf(promise: Promise<unknown>): Promise<UnauthorizedError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthorizedError);
    return error as UnauthorizedError;
  }
  throw new Error('expected a refusal');
}

describe.each(testDatabases())('auth/auth-service on $name', (target) => {
  let db: Database;
  let time: number;
  let auth: AuthService;

  beforeAll(async () => {
    db = await openTestDatabase(target.name);
    time = Date.UTC(2026, 10, 24, 1, 30, 0);
    auth = await createAuthService({ stores: createStores(db, { now: () => time }), env: {}, now: () => time });
    await addUser(auth.users, { username: 'lan', password: 'mật khẩu của Lan', name: 'Nguyễn Thị Lan', roles: ['official'], agency: H29, groups: ['desk'] });
  });
  afterAll(() => db?.close());
  afterEach(() => jest.restoreAllMocks());

  describe('login', () => {
    it('should sign a user in and return a token that verifies to its principal', async () => {
      // when
      const result = await auth.login('lan', 'mật khẩu của Lan');

      // then
      const principal = { id: expect.any(String), name: 'Nguyễn Thị Lan', roles: ['official'], agency: H29, groups: ['desk'] };
      expect(result).toEqual({ token: expect.any(String), principal, expiresAt: time + 8 * 3600 * 1000 });
      expect(await auth.verify(result.token)).toEqual(result.principal);
    });

    it('should find the username in any case and around spaces', async () => {
      await expect(auth.login('  LAN ', 'mật khẩu của Lan')).resolves.toMatchObject({ principal: { name: 'Nguyễn Thị Lan' } });
    });

    it('should refuse an unknown user and a wrong password with the same error', async () => {
      // when
      const unknown = await errorOf(auth.login('nobody', 'mật khẩu của Lan'));
      const wrong = await errorOf(auth.login('lan', 'wrong password'));

      // then
      expect({ message: unknown.message, details: unknown.details }).toEqual({ message: wrong.message, details: wrong.details });
      expect(unknown.message).toBe('Wrong username or password');
    });

    it('should check a password hash for an unknown user too (same work as a wrong password)', async () => {
      // given
      const verify = jest.spyOn(passwords, 'verifyPassword');

      // when
      await errorOf(auth.login('nobody', 'some password'));
      await errorOf(auth.login('lan', 'some password'));

      // then
      expect(verify).toHaveBeenCalledTimes(2);
      const [unknownHash, realHash] = verify.mock.calls.map((call) => passwords.parsePasswordHash(call[1])!.parameters);
      expect(unknownHash).toEqual(realHash);
    });

    it('should refuse empty and over-long passwords as wrong credentials, without hashing', async () => {
      // given
      const verify = jest.spyOn(passwords, 'verifyPassword');

      // then
      expect((await errorOf(auth.login('lan', ''))).message).toBe('Wrong username or password');
      expect((await errorOf(auth.login('lan', 'x'.repeat(5000)))).message).toBe('Wrong username or password');
      expect(verify).not.toHaveBeenCalled();
    });

    it('should remember a token\'s user for MOTCUA_AUTH_CACHE_MS only: a disabling by another node is refused once that time has passed', async () => {
      // given a user whose token this node has just verified (its user now remembered)
      await addUser(auth.users, { username: 'tam', password: 'mật khẩu của Tâm', roles: ['official'], agency: H29, groups: ['desk'] });
      const { token, principal } = await auth.login('tam', 'mật khẩu của Tâm');
      await auth.verify(token);
      const otherNode = createStores(db, { now: () => time });

      // when another node disables the user
      await otherNode.users.setDisabled(principal.id, true);

      // then this node accepts the token until its memory of the user expires (2 s by default), and refuses it after
      time += 1_000;
      expect((await auth.verify(token)).id).toBe(principal.id);
      time += 1_001;
      expect((await errorOf(auth.verify(token))).details.reason).toBe('user disabled');

      // when the other node enables the user again: a token issued now is accepted at once (a refusal is always read again)
      await otherNode.users.setDisabled(principal.id, false);
      const { token: fresh } = await auth.login('tam', 'mật khẩu của Tâm');
      expect((await auth.verify(fresh)).id).toBe(principal.id);
    });

    it('should refuse a disabled user, and the tokens it already holds', async () => {
      // given
      await addUser(auth.users, { username: 'hung', password: 'mật khẩu của Hùng', roles: ['official'], agency: H29, groups: ['head'] });
      const { token, principal } = await auth.login('hung', 'mật khẩu của Hùng');

      // when
      await auth.users.setDisabled(principal.id, true);

      // then
      expect((await errorOf(auth.login('hung', 'mật khẩu của Hùng'))).message).toBe('Wrong username or password');
      expect((await errorOf(auth.verify(token))).details.reason).toBe('user disabled');

      // when re-enabled
      await auth.users.setDisabled(principal.id, false);

      // then: the tokens issued before the disabling stay revoked; a new sign-in works
      expect((await errorOf(auth.verify(token))).details.reason).toMatch(/^token revoked/);
      const again = await auth.login('hung', 'mật khẩu của Hùng');
      await expect(auth.verify(again.token)).resolves.toEqual(principal);
    });
  });

  describe('tokens', () => {
    it('should issue tokens for any principal, also one not in the user store', async () => {
      // given
      const principal = { id: 'service:bridge', roles: ['agency-admin' as const], agency: H29, groups: [] };

      // when
      const { token } = await auth.issueToken(principal);

      // then
      expect(await auth.verify(token)).toEqual(principal);
    });

    it('should expire tokens after the configured lifetime (injected clock)', async () => {
      // given
      let now = Date.UTC(2026, 10, 24, 1, 30, 0);
      const shortLived = await createAuthService({ stores: createStores(db, { now: () => now }), env: { MOTCUA_TOKEN_TTL_SECONDS: '300' }, now: () => now });
      const { token, expiresAt } = await shortLived.login('lan', 'mật khẩu của Lan');
      expect(expiresAt).toBe(now + 300_000);

      // when
      now += 300_000 + 31_000;

      // then
      expect((await errorOf(shortLived.verify(token))).details.reason).toBe('token expired');
    });

    it('should share the generated signing key between services (API processes) on one database', async () => {
      // given
      const other = await createAuthService({ stores: createStores(db, { now: () => time }), env: {}, now: () => time });

      // when
      const { token, principal } = await auth.login('lan', 'mật khẩu của Lan');

      // then
      expect(await other.verify(token)).toEqual(principal);
      const [{ count }] = (await db.sequelize.query('SELECT count(*)::int AS count FROM secrets', { type: 'SELECT' })) as { count: number }[];
      expect(count).toBe(1);
    });

    it('should use MOTCUA_JWT_SECRET when set: its tokens are not the generated key\'s', async () => {
      // given
      const configured = await createAuthService({ stores: createStores(db, { now: () => time }), env: { MOTCUA_JWT_SECRET: 'k'.repeat(40) }, now: () => time });

      // when
      const { token } = await configured.issueToken({ id: 'x', roles: ['official'], groups: [] });

      // then
      await expect(configured.verify(token)).resolves.toMatchObject({ id: 'x' });
      expect((await errorOf(auth.verify(token))).details.reason).toBe('token signature invalid');
    });

    it('should refuse a short MOTCUA_JWT_SECRET at start-up', async () => {
      await expect(createAuthService({ stores: createStores(db), env: { MOTCUA_JWT_SECRET: 'short' } })).rejects.toThrow(/MOTCUA_JWT_SECRET must be at least 32 bytes/);
    });

    it('should refuse a token of an unknown kind when no identity provider is configured', async () => {
      // given
      const provider = await startLocalIdentityProvider();
      try {
        const token = await provider.sign({ roles: ['official'] }, { iat: Math.floor(time / 1000) });

        // then
        expect((await errorOf(auth.verify(token))).details.reason).toBe('token not issued by motcua');
        expect((await errorOf(auth.verify('garbage'))).details.reason).toBe('token malformed');
      } finally {
        await provider.close();
      }
    });
  });

  describe('with an external identity provider (MOTCUA_JWKS_URL)', () => {
    let provider: LocalIdentityProvider;
    let federated: AuthService;

    beforeAll(async () => {
      provider = await startLocalIdentityProvider();
      federated = await createAuthService({
        stores: createStores(db),
        now: () => time,
        env: {
          MOTCUA_JWKS_URL: provider.url,
          MOTCUA_JWT_ISSUER: PROVIDER_ISSUER,
          MOTCUA_JWT_AUDIENCE: PROVIDER_AUDIENCE,
          MOTCUA_ROLES_CLAIM: 'realm_access.roles',
          MOTCUA_AGENCY_CLAIM: 'don_vi',
          MOTCUA_GROUPS_CLAIM: 'nhom',
        },
      });
    });
    afterAll(() => provider.close());

    it("should accept the provider's tokens, mapped through the configured claims", async () => {
      // given
      const token = await provider.sign({ name: 'Hoàng Thu Hà', realm_access: { roles: ['official', 'admin'] }, don_vi: H29, nhom: ['desk'] }, { iat: Math.floor(time / 1000) });

      // then
      expect(await federated.verify(token)).toEqual({ id: 'kc-7f3a', name: 'Hoàng Thu Hà', roles: ['official'], agency: H29, groups: ['desk'] });
    });

    it('should still accept its own tokens', async () => {
      const { token, principal } = await federated.login('lan', 'mật khẩu của Lan');
      expect(await federated.verify(token)).toEqual(principal);
    });
  });

  describe('demo users', () => {
    it('should create the demo accounts once, each able to sign in with the demo password', async () => {
      // when
      const first = await ensureDemoUsers(auth.users);
      const second = await ensureDemoUsers(auth.users);

      // then
      expect(first).toEqual(DEMO_USERS.map((u) => u.username));
      expect(second).toEqual([]);
      const head = await auth.login('head.h29', DEMO_PASSWORD);
      expect(head.principal).toMatchObject({ roles: ['official'], agency: H29, groups: ['head'] });
      const other = await auth.login('official.h30', DEMO_PASSWORD);
      expect(other.principal).toMatchObject({ roles: ['official'], agency: '000.00.16.H30', groups: ['desk'] });
      const roles = (await auth.users.list()).filter((u) => first.includes(u.username)).flatMap((u) => u.roles);
      expect(new Set(roles)).toEqual(new Set(['analyst', 'agency-admin', 'official', 'citizen']));
    }, 180_000); // scrypt for every demo account: minutes on a busy 2-core machine
  });

  describe('addUser', () => {
    it.each([
      [{ username: 'bad name' }, 'username'],
      [{ roles: [] }, 'roles'],
      [{ roles: ['superuser'] }, 'roles'],
      [{ roles: ['official'], agency: undefined }, 'agency'],
      [{ roles: ['agency-admin'], agency: '  ' }, 'agency'],
      [{ groups: ['desk head'] }, 'groups'],
      [{ password: 'short' }, 'password'],
    ])('should refuse %j naming the field %s', async (change, field) => {
      const input = { username: 'new.user', password: 'long enough password', roles: ['official'], agency: H29, groups: ['desk'], ...change };
      await expect(addUser(auth.users, input as never)).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field } });
      await expect(addUser(auth.users, input as never)).rejects.toThrow(InvalidInputError);
    });

    it('should refuse a taken username', async () => {
      await expect(addUser(auth.users, { username: 'LAN', password: 'long enough password', roles: ['citizen'] })).rejects.toThrow(ConflictError);
    });
  });
});

describe('auth/auth-service loadAuthConfig', () => {
  it('should default to 8-hour tokens, 15-minute worker tokens, a generated key and no identity provider', () => {
    expect(loadAuthConfig({})).toEqual({ tokenTtlSeconds: 28800, workerTokenTtlSeconds: 900, secretFromEnv: false });
  });

  it.each([
    [{ MOTCUA_TOKEN_TTL_SECONDS: 'soon' }, /MOTCUA_TOKEN_TTL_SECONDS must be an integer/],
    [{ MOTCUA_TOKEN_TTL_SECONDS: '10' }, /MOTCUA_TOKEN_TTL_SECONDS/],
    [{ MOTCUA_WORKER_TOKEN_TTL_SECONDS: '90000' }, /MOTCUA_WORKER_TOKEN_TTL_SECONDS must be an integer from 60 to 86400/],
    [{ MOTCUA_JWT_SECRET: 'short' }, /MOTCUA_JWT_SECRET must be at least 32 bytes/],
    [{ MOTCUA_JWKS_URL: 'not a url' }, /MOTCUA_JWKS_URL is not a URL/],
    [{ MOTCUA_JWKS_URL: 'http://sso.example/certs', MOTCUA_JWT_ISSUER: 'i', MOTCUA_JWT_AUDIENCE: 'a' }, /must be an https:\/\/ URL/],
    [{ MOTCUA_JWKS_URL: 'https://sso.example/certs', MOTCUA_JWT_AUDIENCE: 'a' }, /MOTCUA_JWT_ISSUER is required/],
    [{ MOTCUA_JWKS_URL: 'https://sso.example/certs', MOTCUA_JWT_ISSUER: 'i' }, /MOTCUA_JWT_AUDIENCE is required/],
  ])('should stop start-up on %j', (env, message) => {
    expect(() => loadAuthConfig(env)).toThrow(message);
  });

  it('should read the identity provider settings with default claim names', () => {
    const config = loadAuthConfig({ MOTCUA_JWKS_URL: 'https://sso.example/certs', MOTCUA_JWT_ISSUER: 'i', MOTCUA_JWT_AUDIENCE: 'a' });
    expect(config.jwks).toEqual({ url: new URL('https://sso.example/certs'), issuer: 'i', audience: 'a', claims: { roles: 'roles', agency: 'agency', groups: 'groups' } });
  });
});
