/**
 * `/api/auth` on an express app on port 0, over both databases: login, me, body
 * validation, and the login rate limits (429 after the limit).
 */
import { createStores } from '../../../api/src/stores';
import express from 'express';
import { addUser, createAuthService, type AuthService } from '../../../api/src/auth/auth-service';
import { loadConfig } from '../../../api/src/config';
import type { AppContext } from '../../../api/src/context';
import { createAuthRouter, type AuthRouterOptions } from '../../../api/src/routes/auth';
import { Engine } from '../../../engine/src/engine';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import { openTestDatabase, testDatabases } from '../../support/databases';
import { startApp, type TestServer } from './http';

const H29 = '000.00.15.H29';
const T0 = Date.UTC(2026, 10, 24, 1, 30, 0);

describe.each(testDatabases())('routes/auth on $name', (target) => {
  let db: Database;
  let auth: AuthService;
  let ctx: AppContext;
  const servers: TestServer[] = [];

  beforeAll(async () => {
    db = await openTestDatabase(target.name);
    auth = await createAuthService({ stores: createStores(db, { now: () => T0 }), env: {}, now: () => T0 });
    const store = createSequelizeEngineStore(db);
    ctx = { config: loadConfig({}), stores: createStores(db, { now: () => T0 }), engine: new Engine({ store }), store, auth, now: () => T0 };
    await addUser(auth.users, { username: 'lan', password: 'mật khẩu của Lan', name: 'Nguyễn Thị Lan', roles: ['official'], agency: H29, groups: ['desk'] });
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await db?.close();
  });

  /** A fresh app (fresh rate-limit counters) with the router under /api/auth. */
  async function start(options?: AuthRouterOptions): Promise<TestServer> {
    const server = await startApp((app) => app.use('/api/auth', createAuthRouter(ctx, auth, options)));
    servers.push(server);
    return server;
  }

  const login = (server: TestServer, body: unknown) =>
    fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  describe('POST /login', () => {
    it('should answer a token, its expiry and the principal', async () => {
      // given
      const server = await start();

      // when
      const res = await login(server, { username: 'lan', password: 'mật khẩu của Lan' });

      // then
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await res.json();
      expect(body).toEqual({
        token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        tokenType: 'Bearer',
        expiresAt: new Date(T0 + 8 * 3600_000).toISOString(),
        expiresIn: 8 * 3600,
        principal: { id: expect.any(String), name: 'Nguyễn Thị Lan', roles: ['official'], agency: H29, groups: ['desk'] },
      });
    });

    it('should answer 401 problem+json for wrong credentials', async () => {
      // given
      const server = await start();

      // when
      const res = await login(server, { username: 'lan', password: 'not the password' });

      // then
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ title: 'UNAUTHORIZED', detail: 'Wrong username or password' });
    });

    it.each([
      ['no password', { username: 'lan' }, 'password'],
      ['no username', { password: 'x' }, 'username'],
      ['an empty username', { username: '', password: 'x' }, 'username'],
      ['a number for password', { username: 'lan', password: 42 }, 'password'],
      ['an unknown property', { username: 'lan', password: 'x', admin: true }, 'admin'],
      ['a password of 1025 characters', { username: 'lan', password: 'x'.repeat(1025) }, 'password'],
      ['an array', ['lan', 'x'], ''],
    ])('should answer 400 naming the field for %s', async (_case, body, field) => {
      // given
      const server = await start();

      // when
      const res = await login(server, body);

      // then
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ title: 'INVALID_INPUT', field });
    });
  });

  describe('GET /me', () => {
    it('should answer the principal of the bearer token', async () => {
      // given
      const server = await start();
      const { token, principal } = (await (await login(server, { username: 'lan', password: 'mật khẩu của Lan' })).json()) as { token: string; principal: unknown };

      // when
      const res = await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });

      // then
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(principal);
    });

    it('should answer 401 with WWW-Authenticate without a token', async () => {
      // given
      const server = await start();

      // when
      const res = await fetch(`${server.url}/api/auth/me`);

      // then
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    });
  });

  describe('rate limits', () => {
    it('should answer 429 after 10 failed logins a minute for one username and address', async () => {
      // given
      const server = await start();

      // when
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) statuses.push((await login(server, { username: 'lan', password: `guess ${i}` })).status);
      const refused = await login(server, { username: 'LAN', password: 'mật khẩu của Lan' });

      // then: even the right password is refused now, in another case of the username too
      expect(statuses).toEqual(Array(10).fill(401));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await refused.json()).toMatchObject({ title: 'RATE_LIMITED', detail: 'Too many failed logins for this username; try again later' });
      // another username from the same address is still heard
      expect((await login(server, { username: 'hung', password: 'some guess' })).status).toBe(401);
    });

    it('should count failed logins only', async () => {
      // given
      const server = await start({ loginLimitPerUsername: 2 });

      // when
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await login(server, { username: 'lan', password: 'mật khẩu của Lan' })).status);

      // then
      expect(statuses).toEqual([200, 200, 200, 200]);
    });

    it('should limit failed logins per address across usernames', async () => {
      // given
      const server = await start({ loginLimitPerIp: 3 });

      // when
      const statuses: number[] = [];
      for (const username of ['a', 'b', 'c', 'd']) statuses.push((await login(server, { username, password: 'guess' })).status);

      // then
      expect(statuses).toEqual([401, 401, 401, 429]);
    });
  });

  it('should work behind the server\'s own JSON body parser too', async () => {
    // given: the body already parsed by an app-wide express.json()
    const server = await startApp((app) => {
      app.use(express.json());
      app.use('/api/auth', createAuthRouter(ctx, auth));
    });
    servers.push(server);

    // then
    expect((await login(server, { username: 'lan', password: 'mật khẩu của Lan' })).status).toBe(200);
  });
});
