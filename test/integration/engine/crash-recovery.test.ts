/**
 * Durability under SIGKILL and exactly-once timers across engine processes.
 * The engine runs in child processes (compiled worker in dist/, built by
 * `npm test` before jest starts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { CrashSummary } from '../../support/crash-summary';
import { summarize } from '../../support/crash-summary';
import { openTestDatabase, requirePostgres } from '../../support/databases';

const WORKER = join(__dirname, '../../../dist/test/support/engine-worker.js');

interface Worker {
  child: ChildProcess;
  lines: Array<Record<string, any>>;
  exited: Promise<number | null>;
  stderr: string[];
}

function startWorker(env: Record<string, string>): Worker {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run 'npm run build' (npm test does it)`);
  const child = spawn(process.execPath, [WORKER], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const worker: Worker = { child, lines: [], stderr: [], exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      worker.lines.push(JSON.parse(line));
    } catch {
      // not ours
    }
  });
  child.stderr!.on('data', (chunk) => worker.stderr.push(String(chunk)));
  return worker;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function expectConsistent(summary: CrashSummary, instances: number): void {
  expect(summary.violations).toEqual([]);
  expect(summary.instances).toBe(instances);
  expect(summary.completed).toBe(instances);
  expect(summary.tasksPerInstanceMax).toBe(1);
  expect(summary.timerFiredTotal).toBe(instances);
  expect(summary.leftoverJobs).toBe(0);
}

describe('engine durability', () => {
  jest.setTimeout(180_000);

  it('should lose nothing and repeat nothing when a PostgreSQL engine process is killed mid-load', async () => {
    // given
    requirePostgres();
    const db = await openTestDatabase('postgres');
    const env = { WORKER_DB: 'postgres', WORKER_URL: db.options.url, WORKER_SCHEMA: db.schema, WORKER_COMPLETE_TASKS: '1' };
    const first = startWorker({ ...env, WORKER_SETUP: '150', WORKER_NAME: 'first' });
    try {
      // when: killed once some, but not all, instances are done
      await waitFor('progress', async () => {
        const s = await summarize(db.sequelize);
        return s.completed >= 20 && s.active > 0 ? s : undefined;
      });
      first.child.kill('SIGKILL');
      await first.exited;
      const second = startWorker({ ...env, WORKER_UNTIL: 'completed', WORKER_NAME: 'second' });
      const code = await second.exited;

      // then
      expect({ code, stderr: second.stderr.join('') }).toMatchObject({ code: 0 });
      expectConsistent(await summarize(db.sequelize), 150);
    } finally {
      first.child.kill('SIGKILL');
      await db.close();
    }
  });

  it('should reopen the embedded data folder after SIGKILL and finish every instance', async () => {
    // given
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-crash-'));
    const env = { WORKER_DB: 'embedded', WORKER_DATA_DIR: dataDir, WORKER_COMPLETE_TASKS: '1' };
    const first = startWorker({ ...env, WORKER_SETUP: '60', WORKER_NAME: 'first', WORKER_REPORT: '1' });
    try {
      // when: killed once some, but not all, instances are done
      await waitFor('progress', () => first.lines.find((l) => l.progress && l.progress.completed >= 10 && l.progress.active > 0));
      first.child.kill('SIGKILL');
      await first.exited;
      const second = startWorker({ ...env, WORKER_UNTIL: 'completed', WORKER_NAME: 'second' });
      const code = await second.exited;

      // then
      expect({ code, stderr: second.stderr.join('') }).toMatchObject({ code: 0 });
      const summary = second.lines.find((l) => l.summary)?.summary as CrashSummary;
      expectConsistent(summary, 60);
    } finally {
      first.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('should fire each due timer exactly once with two engine processes on one PostgreSQL', async () => {
    // given: instances started and waiting at the timer, no worker running yet
    requirePostgres();
    const db = await openTestDatabase('postgres');
    const env = { WORKER_DB: 'postgres', WORKER_URL: db.options.url, WORKER_SCHEMA: db.schema, WORKER_COMPLETE_TASKS: '1' };
    const setup = startWorker({ ...env, WORKER_SETUP: '120', WORKER_COMPLETE_TASKS: '0', WORKER_NAME: 'setup' });
    await waitFor('setup', () => setup.lines.find((l) => l.ready), 120_000);
    setup.child.kill('SIGKILL');
    await setup.exited;
    try {
      // when: two workers race for the same jobs and timers
      const a = startWorker({ ...env, WORKER_UNTIL: 'completed', WORKER_NAME: 'node-a' });
      const b = startWorker({ ...env, WORKER_UNTIL: 'completed', WORKER_NAME: 'node-b' });
      const codes = await Promise.all([a.exited, b.exited]);

      // then
      expect({ codes, stderr: a.stderr.join('') + b.stderr.join('') }).toMatchObject({ codes: [0, 0] });
      expectConsistent(await summarize(db.sequelize), 120);
      const [shared] = (await db.sequelize.query(
        "SELECT count(DISTINCT actor)::int AS n FROM history_events WHERE type IN ('jobCompleted', 'taskCompleted') AND actor IN ('node-a', 'node-b')",
        { type: 'SELECT' },
      )) as Array<{ n: number }>;
      expect(shared.n).toBe(2); // both nodes did work
    } finally {
      await db.close();
    }
  });
});
