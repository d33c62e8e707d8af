/**
 * `motcua serve` as an operator runs it (api/src/cli.ts, a process of its own on PostgreSQL):
 * it says where it runs, serves, and on a stop signal says so, answers what is under way,
 * closes everything and exits 0, so a process manager sees a clean stop, not a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Database } from '../../engine/src/store-sequelize/connect';
import { openTestDatabase, testDatabases } from '../support/databases';
import { transpilingChild } from '../support/ts-child';

const POSTGRES = testDatabases().find((t) => t.name === 'postgres')!;
const ROOT = join(__dirname, '../..');

/** `motcua serve`, from the sources. */
const CHILD_BOOT = transpilingChild(
  `require(${JSON.stringify(join(ROOT, 'api/src/cli.ts'))}).main(['serve']).then((code) => process.exit(code), (error) => { console.error(error); process.exit(1); });`,
);

describe('motcua serve: start and stop on a signal (PostgreSQL)', () => {
  let db: Database;
  let child: ChildProcess | undefined;
  const lines: Array<Record<string, any>> = [];
  const stderr: string[] = [];

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await db?.close();
  });

  const lineWith = async (test: (line: Record<string, any>) => boolean, what: string, timeoutMs = 90_000): Promise<Record<string, any>> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find(test);
      if (found) return found;
      if (child?.exitCode !== null) throw new Error(`serve exited (${child?.exitCode}) before ${what}: ${stderr.join('').slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`no line for ${what} within ${timeoutMs} ms; last lines: ${JSON.stringify(lines.slice(-5))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it('should log where it runs, serve, then on SIGTERM (delivered twice, as Ctrl+C under npm start does) log the stop, close and exit 0', async () => {
    child = spawn(process.execPath, ['-e', CHILD_BOOT], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: POSTGRES.url, MOTCUA_DB_SCHEMA: db.schema, PORT: '0', MOTCUA_HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        lines.push(JSON.parse(line));
      } catch {
        // not a log line
      }
    });
    child.stderr!.on('data', (chunk) => stderr.push(String(chunk)));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));

    const running = await lineWith((l) => typeof l.msg === 'string' && l.msg.startsWith('motcua running at'), 'the "running at" line');
    const url = running.url as string;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);

    // As Ctrl+C on a terminal delivers it: to the server and, passed on by `npm start` a moment later, again.
    child.kill('SIGTERM');
    await lineWith((l) => l.signal === 'SIGTERM', 'the "stopping" line');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.find((l) => l.signal === 'SIGTERM')?.msg).toMatch(/^SIGTERM: stopping/);
    expect(lines.at(-1)?.msg).toBe('motcua stopped');
    // Nothing listens any more.
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  }, 150_000);
});
