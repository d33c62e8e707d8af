/**
 * The user store and the secret store (migration 0002) on both databases.
 */
import { ConflictError, NotFoundError } from '../../../engine/src/errors';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { createSequelizeSecretStore, createSequelizeUserStore } from '../../../api/src/store-sequelize/sequelize-user-store';
import type { NewUser, UserStore } from '../../../api/src/store/user-store';
import { openTestDatabase, testDatabases } from '../../support/databases';

const T0 = Date.UTC(2026, 10, 24, 1, 30, 0);

const LAN: NewUser = {
  username: 'lan.nt',
  passwordHash: 'scrypt$32768$8$1$c2FsdA$aGFzaA',
  name: 'Nguyễn Thị Lan',
  roles: ['official'],
  agency: '000.00.15.H29',
  groups: ['desk', 'head'],
};

describe.each(testDatabases())('store-sequelize/sequelize-user-store on $name', (target) => {
  let db: Database;
  let users: UserStore;
  let ids: number;

  beforeAll(async () => {
    db = await openTestDatabase(target.name);
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await db.sequelize.query('DELETE FROM users');
    ids = 0;
    users = createSequelizeUserStore(db, { now: () => T0, newId: () => `u-${++ids}` });
  });

  describe('create', () => {
    it('should store a user and return it with id, createdAt and disabled filled in', async () => {
      // when
      const created = await users.create(LAN);

      // then
      expect(created).toEqual({ ...LAN, id: 'u-1', disabled: false, tokenVersion: 0, createdAt: T0 });
      expect(await users.byId('u-1')).toEqual(created);
    });

    it('should keep a given id and a user without name, agency or groups', async () => {
      // when
      const created = await users.create({ id: 'citizen-0123', username: '001099012345', passwordHash: 'h', roles: ['citizen'], groups: [] });

      // then
      expect(created).toEqual({ id: 'citizen-0123', username: '001099012345', passwordHash: 'h', roles: ['citizen'], groups: [], disabled: false, tokenVersion: 0, createdAt: T0 });
      expect(await users.byUsername('001099012345')).toEqual(created);
    });

    it('should refuse a username taken in another case with ConflictError naming the field', async () => {
      // given
      await users.create(LAN);

      // when
      const attempt = users.create({ ...LAN, username: 'LAN.NT' });

      // then
      await expect(attempt).rejects.toThrow(ConflictError);
      await expect(users.create({ ...LAN, username: 'Lan.Nt' })).rejects.toMatchObject({ code: 'CONFLICT', details: { field: 'username' } });
      expect(await users.list()).toHaveLength(1);
    });

    it('should refuse an id taken with ConflictError naming the field', async () => {
      // given
      await users.create({ ...LAN, id: 'same' });

      // then
      await expect(users.create({ ...LAN, id: 'same', username: 'other' })).rejects.toMatchObject({ code: 'CONFLICT', details: { field: 'id' } });
    });

    it('should let only one of two concurrent creates of a username win', async () => {
      // when
      const results = await Promise.allSettled([users.create(LAN), users.create({ ...LAN, username: 'LAN.nt' })]);

      // then
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    });
  });

  describe('reads', () => {
    it('should find a user by username in any case, and nothing for an unknown one', async () => {
      // given
      const created = await users.create(LAN);

      // then
      expect(await users.byUsername('LAN.NT')).toEqual(created);
      expect(await users.byUsername('lan')).toBeUndefined();
      expect(await users.byId('nope')).toBeUndefined();
    });

    it('should list users by username, optionally of one agency', async () => {
      // given
      await users.create({ ...LAN, username: 'hung', agency: '000.00.15.H29' });
      await users.create({ ...LAN, username: 'Binh', agency: '000.00.16.H30' });
      await users.create({ ...LAN, username: 'an', agency: undefined, roles: ['analyst'], groups: [] });

      // then
      expect((await users.list()).map((u) => u.username)).toEqual(['an', 'Binh', 'hung']);
      expect((await users.list({ agency: '000.00.16.H30' })).map((u) => u.username)).toEqual(['Binh']);
    });

    it('should hand out copies: changing a record changes nothing stored', async () => {
      // given
      const created = await users.create(LAN);

      // when
      created.roles.push('agency-admin');
      created.groups.length = 0;

      // then
      expect(await users.byId(created.id)).toMatchObject({ roles: ['official'], groups: ['desk', 'head'] });
    });
  });

  describe('setPassword / setDisabled', () => {
    it('should replace the password hash', async () => {
      // given
      const created = await users.create(LAN);

      // when
      await users.setPassword(created.id, 'scrypt$new');

      // then
      expect((await users.byId(created.id))!.passwordHash).toBe('scrypt$new');
    });

    it('should disable and re-enable a user', async () => {
      // given
      const created = await users.create(LAN);

      // when / then
      await users.setDisabled(created.id, true);
      expect((await users.byUsername('lan.nt'))!.disabled).toBe(true);
      await users.setDisabled(created.id, false);
      expect((await users.byUsername('lan.nt'))!.disabled).toBe(false);
    });

    it('should throw NotFoundError for an unknown id', async () => {
      await expect(users.setPassword('ghost', 'h')).rejects.toThrow(NotFoundError);
      await expect(users.setDisabled('ghost', true)).rejects.toMatchObject({ code: 'NOT_FOUND', details: { userId: 'ghost' } });
    });
  });

  describe('secret store', () => {
    it('should store a secret once: every caller, even concurrent ones, gets the first value', async () => {
      // given
      const secrets = createSequelizeSecretStore(db);
      const name = `key-${Date.now()}`;

      // when
      const values = await Promise.all([1, 2, 3, 4, 5].map((n) => secrets.getOrCreate(name, () => `value-${n}`)));
      const later = await createSequelizeSecretStore(db).getOrCreate(name, () => 'value-later');

      // then
      expect(new Set(values).size).toBe(1);
      expect(later).toBe(values[0]);
    });
  });
});
