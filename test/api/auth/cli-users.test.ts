/**
 * `motcua users …` on both databases: adding, listing, disabling users; passwords
 * never from arguments; exit codes 0 / 1 / 2.
 */
import { createStores } from '../../../api/src/stores';
import { Readable } from 'node:stream';
import { createAuthService, type AuthService } from '../../../api/src/auth/auth-service';
import { runUsersCommand, type UsersCommandContext } from '../../../api/src/cli-users';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { openTestDatabase, testDatabases } from '../../support/databases';

describe.each(testDatabases())('cli-users on $name', (target) => {
  let db: Database;
  let auth: AuthService;

  beforeAll(async () => {
    db = await openTestDatabase(target.name);
    auth = await createAuthService({ stores: createStores(db), env: {} });
  });
  afterAll(() => db?.close());

  /** Runs the command, collecting output; `stdin` is what is piped in. */
  async function run(args: string[], io: { env?: NodeJS.ProcessEnv; stdin?: string } = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const ctx: UsersCommandContext = {
      db,
      env: io.env ?? {},
      stdin: Readable.from(io.stdin === undefined ? [] : [Buffer.from(io.stdin)]),
      out: (line) => out.push(line),
      err: (line) => err.push(line),
    };
    const code = await runUsersCommand(args, ctx);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  describe('add', () => {
    it('should add an official with the password from standard input', async () => {
      // when
      const result = await run(
        ['add', 'lan', '--role', 'official', '--agency', '000.00.15.H29', '--groups', 'desk,head', '--name', 'Nguyễn Thị Lan', '--password-stdin'],
        { stdin: 'mật khẩu của Lan\n' },
      );

      // then
      expect(result).toMatchObject({ code: 0, err: '' });
      expect(result.out).toBe('added lan\tNguyễn Thị Lan\tofficial\t000.00.15.H29\tdesk,head\tactive');
      await expect(auth.login('lan', 'mật khẩu của Lan')).resolves.toMatchObject({
        principal: { roles: ['official'], agency: '000.00.15.H29', groups: ['desk', 'head'] },
      });
    });

    it('should take the password from MOTCUA_NEW_PASSWORD, and several roles', async () => {
      // when
      const result = await run(['add', 'binh', '--role', 'agency-admin', '--role', 'official', '--agency', '000.00.15.H29'], {
        env: { MOTCUA_NEW_PASSWORD: 'mật khẩu của Bình' },
      });

      // then
      expect(result.code).toBe(0);
      await expect(auth.login('binh', 'mật khẩu của Bình')).resolves.toMatchObject({ principal: { roles: ['agency-admin', 'official'] } });
    });

    it('should refuse a password given as an argument (exit 2), and store nothing', async () => {
      // when
      const result = await run(['add', 'mai', '--role', 'citizen', '--password', 'secret123']);

      // then
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/never given as an argument/);
      expect(result.err).not.toMatch(/secret123/);
      expect(await auth.users.byUsername('mai')).toBeUndefined();
    });

    it.each([
      ['no username', ['add', '--role', 'citizen'], /exactly one username/],
      ['no role', ['add', 'mai'], /add needs --role/],
      ['an unknown role', ['add', 'mai', '--role', 'superuser'], /unknown role superuser/],
      ['an unknown option', ['add', 'mai', '--role', 'citizen', '--admin'], /Unknown option '--admin'/],
      ['no password at all', ['add', 'mai', '--role', 'citizen'], /--password-stdin or set MOTCUA_NEW_PASSWORD/],
    ])('should answer a usage error (exit 2) for %s', async (_case, args, message) => {
      // when
      const result = await run(args);

      // then
      expect(result.code).toBe(2);
      expect(result.err).toMatch(message);
      expect(result.err).toMatch(/usage: motcua users/);
    });

    it.each([
      ['a weak password', ['add', 'mai', '--role', 'citizen', '--password-stdin'], 'short\n', /at least 8 characters/],
      ['an official without agency', ['add', 'mai', '--role', 'official', '--password-stdin'], 'long enough\n', /need an agency/],
      ['a bad username', ['add', 'mai nguyen', '--role', 'citizen', '--password-stdin'], 'long enough\n', /username 'mai nguyen' is not valid/],
      ['a taken username', ['add', 'LAN', '--role', 'citizen', '--password-stdin'], 'long enough\n', /username 'LAN' is taken/],
    ])('should refuse %s (exit 1)', async (_case, args, stdin, message) => {
      // when
      const result = await run(args, { stdin });

      // then
      expect(result.code).toBe(1);
      expect(result.err).toMatch(message);
    });
  });

  describe('list', () => {
    it('should list users without passwords or hashes', async () => {
      // given
      await run(['add', 'anh', '--role', 'analyst', '--password-stdin'], { stdin: 'mật khẩu của Anh' });

      // when
      const result = await run(['list']);

      // then
      expect(result.code).toBe(0);
      const lines = result.out.split('\n');
      expect(lines[0]).toBe('username\tname\troles\tagency\tgroups\tstatus');
      expect(lines).toContain('anh\t-\tanalyst\t-\t-\tactive');
      expect(result.out).not.toMatch(/scrypt/);
    });

    it('should list one agency', async () => {
      const result = await run(['list', '--agency', '000.00.15.H29']);
      expect(result.out.split('\n').slice(1).map((line) => line.split('\t')[0])).toEqual(['binh', 'lan']);
    });
  });

  describe('disable / enable / set-password', () => {
    it('should disable and re-enable a user', async () => {
      // when
      const disabled = await run(['disable', 'anh']);

      // then
      expect(disabled).toMatchObject({ code: 0, out: 'disabled anh' });
      await expect(auth.login('anh', 'mật khẩu của Anh')).rejects.toThrow('Wrong username or password');
      expect((await run(['enable', 'anh'])).code).toBe(0);
      await expect(auth.login('anh', 'mật khẩu của Anh')).resolves.toBeDefined();
    });

    it('should change a password', async () => {
      // when
      const result = await run(['set-password', 'anh', '--password-stdin'], { stdin: 'mật khẩu mới của Anh\r\n' });

      // then
      expect(result.code).toBe(0);
      await expect(auth.login('anh', 'mật khẩu mới của Anh')).resolves.toBeDefined();
    });

    it('should answer 1 for an unknown user', async () => {
      expect(await run(['disable', 'ghost'])).toMatchObject({ code: 1, err: "motcua users: no user 'ghost'" });
    });
  });

  it.each([[[]], [['remove', 'anh']]])('should print the usage and exit 2 for %j', async (args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/usage: motcua users/);
  });
});
