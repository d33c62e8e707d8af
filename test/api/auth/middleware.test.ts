import { ForbiddenError, UnauthorizedError } from '../../../api/src/auth/errors';
import { authenticate, createRateLimit, optionalAuthenticate, requireRole } from '../../../api/src/auth/middleware';
import type { Principal, TokenVerifier } from '../../../api/src/auth/principal';
import { startApp, type TestServer } from './http';

const LAN: Principal = { id: 'lan', roles: ['official'], agency: '000.00.15.H29', groups: ['desk'] };
const ANH: Principal = { id: 'anh', roles: ['analyst'], groups: [] };

/** Accepts `good-lan` and `good-anh`; `boom` fails like a database outage. */
const verifier: TokenVerifier = {
  async verify(token) {
    if (token === 'good-lan') return LAN;
    if (token === 'good-anh') return ANH;
    if (token === 'boom') throw new Error('database unreachable');
    throw new UnauthorizedError('The bearer token was not accepted', { reason: 'token signature invalid' });
  },
};

describe('auth/middleware', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startApp((app) => {
      app.get('/private', authenticate(verifier), (req, res) => {
        res.json({ principal: req.principal });
      });
      app.get('/maybe', optionalAuthenticate(verifier), (req, res) => {
        res.json({ principal: req.principal ?? null });
      });
      app.post('/deploy', authenticate(verifier), requireRole('analyst', 'agency-admin'), (_req, res) => {
        res.json({ ok: true });
      });
      app.post('/unguarded-role-check', requireRole('official'), (_req, res) => {
        res.json({ ok: true });
      });
      app.get('/limited', createRateLimit({ windowMs: 60_000, limit: 2 }), (_req, res) => {
        res.json({ ok: true });
      });
    });
  });
  afterAll(() => server.close());

  const get = (path: string, token?: string, method = 'GET') =>
    fetch(server.url + path, { method, headers: token === undefined ? {} : { authorization: token } });

  describe('authenticate', () => {
    it('should put the principal of a valid bearer token on the request', async () => {
      // when
      const res = await get('/private', 'Bearer good-lan');

      // then
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ principal: LAN });
    });

    it('should accept the scheme in any case', async () => {
      expect((await get('/private', 'bearer good-lan')).status).toBe(200);
    });

    it.each([
      ['no header', undefined, 'no bearer token'],
      ['another scheme', 'Basic bGFuOnB3', 'malformed authorization header'],
      ['an empty token', 'Bearer ', 'malformed authorization header'],
      ['a refused token', 'Bearer bad', 'token signature invalid'],
    ])('should answer 401 for %s', async (_case, header, reason) => {
      // when
      const res = await get('/private', header);

      // then
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.json()).toMatchObject({ title: 'UNAUTHORIZED', reason });
    });

    it('should pass other verifier failures on as they are (not as 401)', async () => {
      expect((await get('/private', 'Bearer boom')).status).toBe(500);
    });
  });

  describe('optionalAuthenticate', () => {
    it('should let an anonymous request through', async () => {
      const res = await get('/maybe');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ principal: null });
    });

    it('should still authenticate a request that brings a token', async () => {
      expect(await (await get('/maybe', 'Bearer good-lan')).json()).toEqual({ principal: LAN });
    });

    it('should refuse a bad token rather than ignore it', async () => {
      expect((await get('/maybe', 'Bearer bad')).status).toBe(401);
    });
  });

  describe('requireRole', () => {
    it('should let a principal with one of the roles through', async () => {
      expect((await get('/deploy', 'Bearer good-anh', 'POST')).status).toBe(200);
    });

    it('should answer 403 naming the roles needed', async () => {
      // when
      const res = await get('/deploy', 'Bearer good-lan', 'POST');

      // then
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ title: 'FORBIDDEN', detail: 'This needs the role analyst or agency-admin', requiredRoles: ['analyst', 'agency-admin'] });
    });

    it('should answer 401 when nobody is authenticated', async () => {
      expect((await get('/unguarded-role-check', undefined, 'POST')).status).toBe(401);
    });

    it('should refuse to be built without roles', () => {
      expect(() => requireRole()).toThrow(/at least one role/);
      expect(new ForbiddenError().code).toBe('FORBIDDEN');
    });
  });

  describe('createRateLimit', () => {
    it('should refuse with RATE_LIMITED and Retry-After beyond the limit', async () => {
      // when
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await get('/limited')).status);
      const refused = await get('/limited');

      // then
      expect(statuses).toEqual([200, 200, 429]);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ title: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    });
  });
});
