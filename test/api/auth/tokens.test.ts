import { decodeJwt, SignJWT } from 'jose';
import { UnauthorizedError } from '../../../api/src/auth/errors';
import type { Principal } from '../../../api/src/auth/principal';
import {
  createOwnTokens,
  DEFAULT_TOKEN_TTL_SECONDS,
  loadSigningKey,
  principalFromClaims,
  SIGNING_KEY_SECRET_NAME,
  signingKeyFromEnv,
} from '../../../api/src/auth/tokens';
import type { SecretStore } from '../../../api/src/store/user-store';

const KEY = new Uint8Array(Buffer.from('0123456789abcdef0123456789abcdef'));
const T0 = Date.UTC(2026, 10, 24, 1, 30, 0); // 24/11/2026 08:30 in Hà Nội

const LAN: Principal = { id: 'u-lan', name: 'Nguyễn Thị Lan', roles: ['official'], agency: '000.00.15.H29', groups: ['desk'] };

function clock(start: number): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

/** Signs a token like ours but with chosen claims, to test what verification refuses. */
function forge(claims: Record<string, unknown>, options: { key?: Uint8Array; iss?: string; aud?: string; exp?: number } = {}): Promise<string> {
  const iat = Math.floor(T0 / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('u-lan')
    .setIssuer(options.iss ?? 'motcua')
    .setAudience(options.aud ?? 'motcua')
    .setIssuedAt(iat)
    .setExpirationTime(options.exp ?? iat + 3600)
    .sign(options.key ?? KEY);
}

async function reasonOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UnauthorizedError);
    return (error as UnauthorizedError).details.reason;
  }
  throw new Error('expected the token to be refused');
}

describe('auth/tokens', () => {
  describe('issue / verify', () => {
    it('should give back the principal it was issued for', async () => {
      // given
      const tokens = createOwnTokens({ key: KEY, now: () => T0 });

      // when
      const { token, expiresAt } = await tokens.issue(LAN);
      const principal = await tokens.verify(token);

      // then
      expect(principal).toEqual(LAN);
      expect(expiresAt).toBe(T0 + DEFAULT_TOKEN_TTL_SECONDS * 1000);
      expect(DEFAULT_TOKEN_TTL_SECONDS).toBe(8 * 3600);
    });

    it('should carry sub, name, roles, agency, groups, iss, aud, iat, exp and jti', async () => {
      // given
      const tokens = createOwnTokens({ key: KEY, ttlSeconds: 600, now: () => T0 });

      // when
      const { token } = await tokens.issue(LAN);

      // then
      const claims = decodeJwt(token);
      expect(claims).toMatchObject({
        sub: 'u-lan',
        name: 'Nguyễn Thị Lan',
        roles: ['official'],
        agency: '000.00.15.H29',
        groups: ['desk'],
        iss: 'motcua',
        aud: 'motcua',
        iat: T0 / 1000,
        exp: T0 / 1000 + 600,
      });
      expect(typeof claims.jti).toBe('string');
    });

    it('should leave out agency and name when the principal has none', async () => {
      // given
      const tokens = createOwnTokens({ key: KEY, now: () => T0 });
      const citizen: Principal = { id: 'c-1', roles: ['citizen'], groups: [] };

      // when
      const principal = await tokens.verify((await tokens.issue(citizen)).token);

      // then
      expect(principal).toEqual(citizen);
    });
  });

  describe('expiry', () => {
    it('should accept a token until its expiry plus 30 s of clock skew, then refuse it', async () => {
      // given
      const time = clock(T0);
      const tokens = createOwnTokens({ key: KEY, ttlSeconds: 3600, now: time.now });
      const { token } = await tokens.issue(LAN);

      // when: 29 s past expiry
      time.advance(3600_000 + 29_000);

      // then
      await expect(tokens.verify(token)).resolves.toEqual(LAN);

      // when: 31 s past expiry
      time.advance(2_000);

      // then
      expect(await reasonOf(tokens.verify(token))).toBe('token expired');
    });

    it('should check the time claims of a remembered token on every verification', async () => {
      // given: a token verified once (remembered), valid from 60 s on
      const time = clock(T0 + 61_000);
      const tokens = createOwnTokens({ key: KEY, now: time.now });
      const token = await new SignJWT({ roles: ['official'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u-lan')
        .setIssuer('motcua')
        .setAudience('motcua')
        .setIssuedAt(T0 / 1000)
        .setNotBefore(T0 / 1000 + 60)
        .setExpirationTime(T0 / 1000 + 3600)
        .sign(KEY);
      await expect(tokens.verify(token)).resolves.toMatchObject({ id: 'u-lan' });

      // when: the clock goes back before nbf (beyond the skew), then past exp (beyond the skew)
      time.advance(-33_000); // T0 + 28 s: nbf (T0 + 60 s) is 32 s ahead
      const early = await reasonOf(tokens.verify(token));
      time.advance(3600_000 + 3_000); // T0 + 3631 s: exp (T0 + 3600 s) is 31 s behind

      // then
      expect(early).toBe("token claim 'nbf' invalid");
      expect(await reasonOf(tokens.verify(token))).toBe('token expired');
    });

    it('should answer a remembered token with a copy the caller may change', async () => {
      // given
      const tokens = createOwnTokens({ key: KEY, now: () => T0 });
      const { token } = await tokens.issue(LAN);
      const first = await tokens.verify(token);

      // when
      first.roles.push('analyst');
      first.groups.length = 0;
      first.id = 'someone-else';

      // then
      await expect(tokens.verify(token)).resolves.toEqual(LAN);
    });

    it('should refuse a token not yet valid beyond the skew (nbf in the future)', async () => {
      // given
      const tokens = createOwnTokens({ key: KEY, now: () => T0 });
      const token = await new SignJWT({ roles: ['official'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u-lan')
        .setIssuer('motcua')
        .setAudience('motcua')
        .setIssuedAt(T0 / 1000)
        .setNotBefore(T0 / 1000 + 60)
        .setExpirationTime(T0 / 1000 + 3600)
        .sign(KEY);

      // then
      expect(await reasonOf(tokens.verify(token))).toBe("token claim 'nbf' invalid");
    });
  });

  describe('refusals', () => {
    const tokens = createOwnTokens({ key: KEY, now: () => T0 });

    it('should refuse a tampered token', async () => {
      // given: the payload changed to claim another agency, signature kept
      const { token } = await tokens.issue(LAN);
      const [header, payload, signature] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const tampered = [header, Buffer.from(JSON.stringify({ ...claims, agency: '000.00.16.H30' })).toString('base64url'), signature].join('.');

      // then
      expect(await reasonOf(tokens.verify(tampered))).toBe('token signature invalid');
    });

    it('should refuse a token for another audience', async () => {
      expect(await reasonOf(tokens.verify(await forge({ roles: ['official'] }, { aud: 'other-app' })))).toBe("token claim 'aud' invalid");
    });

    it('should refuse a token from another issuer', async () => {
      expect(await reasonOf(tokens.verify(await forge({ roles: ['official'] }, { iss: 'someone-else' })))).toBe("token claim 'iss' invalid");
    });

    it('should refuse a token signed with another key', async () => {
      const other = new Uint8Array(Buffer.from('another key, also 32 bytes long!'));
      expect(await reasonOf(tokens.verify(await forge({ roles: ['official'] }, { key: other })))).toBe('token signature invalid');
    });

    it('should refuse an unsigned token (alg none)', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ sub: 'u-lan', iss: 'motcua', aud: 'motcua', iat: T0 / 1000, exp: T0 / 1000 + 60 })).toString('base64url');
      expect(await reasonOf(tokens.verify(`${header}.${payload}.`))).toBe('token algorithm not accepted');
    });

    it.each(['', 'not-a-jwt', 'a.b.c'])('should refuse the malformed token %j', async (token) => {
      expect(await reasonOf(tokens.verify(token))).toMatch(/malformed|could not be verified/);
    });

    it('should refuse a token without sub', async () => {
      // given
      const token = await new SignJWT({ roles: ['official'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('motcua')
        .setAudience('motcua')
        .setIssuedAt(T0 / 1000)
        .setExpirationTime(T0 / 1000 + 60)
        .sign(KEY);

      // then
      expect(await reasonOf(tokens.verify(token))).toMatch(/sub/);
    });
  });

  describe('principalFromClaims', () => {
    it('should drop unknown roles and non-string groups', () => {
      expect(principalFromClaims({ sub: 'x', roles: ['official', 'superuser', 7], groups: ['desk', null, 'desk'] })).toEqual({
        id: 'x',
        roles: ['official'],
        groups: ['desk'],
      });
    });

    it('should read custom claim names, nested paths and space-separated lists', () => {
      // given
      const payload = {
        sub: 'kc-1',
        preferred_username: 'lan',
        realm_access: { roles: ['official', 'offline_access'] },
        'https://motcua.gov.vn/agency': '000.00.15.H29',
        grp: 'desk head',
      };

      // when
      const principal = principalFromClaims(payload, { roles: 'realm_access.roles', agency: 'https://motcua.gov.vn/agency', groups: 'grp' });

      // then
      expect(principal).toEqual({ id: 'kc-1', name: 'lan', roles: ['official'], agency: '000.00.15.H29', groups: ['desk', 'head'] });
    });
  });

  describe('signing key', () => {
    function memorySecrets(): SecretStore & { values: Map<string, string> } {
      const values = new Map<string, string>();
      return {
        values,
        async getOrCreate(name, generate) {
          if (!values.has(name)) values.set(name, generate());
          return values.get(name)!;
        },
      };
    }

    it('should use MOTCUA_JWT_SECRET when set', async () => {
      // given
      const secrets = memorySecrets();

      // when
      const key = await loadSigningKey({ env: { MOTCUA_JWT_SECRET: 'x'.repeat(32) }, secrets });

      // then
      expect(Buffer.from(key).toString()).toBe('x'.repeat(32));
      expect(secrets.values.size).toBe(0);
    });

    it('should refuse a MOTCUA_JWT_SECRET shorter than 32 bytes at start-up', () => {
      expect(() => signingKeyFromEnv({ MOTCUA_JWT_SECRET: 'too short' })).toThrow(/MOTCUA_JWT_SECRET must be at least 32 bytes \(got 9\)/);
    });

    it('should generate a 32-byte key once and keep it in the secret store', async () => {
      // given
      const secrets = memorySecrets();

      // when
      const first = await loadSigningKey({ env: {}, secrets });
      const second = await loadSigningKey({ env: {}, secrets });

      // then
      expect(first).toHaveLength(32);
      expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
      expect([...secrets.values.keys()]).toEqual([SIGNING_KEY_SECRET_NAME]);
    });
  });
});
