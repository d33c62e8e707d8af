/**
 * The embedded PostgreSQL keeps its data in a data folder: across a clean stop and
 * restart, and across a process killed with SIGKILL (WAL recovery).
 *
 * PGlite cannot start inside a jest worker, so each database process here is a child
 * `node` running the TypeScript sources through a small transpile-only require hook:
 * the same plain-Node path as production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

/** Runs in the child: `node -e CHILD <mode> <dataDir> [args]`. Prints one JSON line per event. */
const CHILD = `
const fs = require('fs');
const ts = require('typescript');
require.extensions['.ts'] = (module, file) => module._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'), {
  fileName: file,
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
}).outputText, file);
const store = ${JSON.stringify(path.join(ROOT, 'engine/src/store-sequelize'))};
const { startEmbeddedPostgres } = require(store + '/embedded.ts');
const { openDatabase } = require(store + '/connect.ts');
const { migrate } = require(store + '/migrate.ts');
const { MIGRATION_FOLDERS } = require(${JSON.stringify(path.join(ROOT, 'api/src/migrations.ts'))});
const say = (event) => process.stdout.write(JSON.stringify(event) + '\\n');
(async () => {
  const [mode, dataDir, ...args] = process.argv.slice(1);
  const started = Date.now();
  const server = await startEmbeddedPostgres({ dataDir });
  const startMs = Date.now() - started;
  const db = await openDatabase({ url: server.url, embedded: true });
  await migrate(db, MIGRATION_FOLDERS);
  const ids = async () => (await db.sequelize.query('SELECT id FROM deployments ORDER BY id'))[0].map((r) => r.id);
  say({ event: 'ready', startMs, ids: await ids() });
  if (mode === 'write') {
    for (const id of args) await db.sequelize.query('INSERT INTO deployments (id, name) VALUES ($1, $2)', { bind: [id, 'written before stop'] });
  }
  if (mode === 'kill-me') {
    // Commit rows until killed; each line is sent only after its COMMIT returned.
    for (let i = 0; ; i++) {
      const id = 'k' + String(i).padStart(6, '0');
      await db.sequelize.transaction(async (transaction) => {
        await db.sequelize.query('INSERT INTO deployments (id, name) VALUES ($1, $2)', { bind: [id, 'x'.repeat(3000)], transaction });
        await db.sequelize.query('INSERT INTO history (instance_id, at, type, events) VALUES ($1, now(), $2, $3)', { bind: [id, 'row', JSON.stringify([{ type: 'row', pad: 'y'.repeat(3000) }])], transaction });
      });
      say({ event: 'committed', id });
    }
  }
  const before = Date.now();
  await db.close();
  await server.stop();
  say({ event: 'stopped', stopMs: Date.now() - before });
})().catch((error) => { process.stderr.write(String(error && error.stack || error) + '\\n'); process.exit(1); });
`;

interface ChildEvent {
  event: 'ready' | 'committed' | 'stopped';
  startMs?: number;
  stopMs?: number;
  ids?: string[];
  id?: string;
}

interface ChildRun {
  child: ChildProcess;
  events: ChildEvent[];
  /** Resolves with the exit code (or signal) and stderr. */
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Resolves with the first event that matches. */
  waitFor(predicate: (event: ChildEvent) => boolean): Promise<ChildEvent>;
}

function runChild(mode: 'read' | 'write' | 'kill-me', dataDir: string, args: string[] = []): ChildRun {
  const child = spawn(process.execPath, ['-e', CHILD, mode, dataDir, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: ChildEvent[] = [];
  const waiters: Array<{ predicate: (e: ChildEvent) => boolean; resolve: (e: ChildEvent) => void }> = [];
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    let newline: number;
    while ((newline = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, newline);
      stdout = stdout.slice(newline + 1);
      if (!line.startsWith('{')) continue;
      const event = JSON.parse(line) as ChildEvent;
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.predicate(event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stderr })),
  );
  const waitFor = (predicate: (event: ChildEvent) => boolean) =>
    new Promise<ChildEvent>((resolve, reject) => {
      const found = events.find(predicate);
      if (found) return resolve(found);
      waiters.push({ predicate, resolve });
      void exit.then(({ code, signal, stderr: err }) =>
        reject(new Error(`database process exited (${code ?? signal}) before the awaited event: ${err}`)),
      );
    });
  return { child, events, exit, waitFor };
}

/** Runs a child to completion and returns its events; fails on a non-zero exit. */
async function runToEnd(mode: 'read' | 'write', dataDir: string, args: string[] = []): Promise<ChildEvent[]> {
  const run = runChild(mode, dataDir, args);
  const { code, stderr } = await run.exit;
  if (code !== 0) throw new Error(`database process (${mode}) exited with ${code}: ${stderr}`);
  return run.events;
}

describe('embedded PostgreSQL data folder', () => {
  let parent: string;
  beforeAll(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'motcua-embedded-test-'));
  });
  afterAll(() => {
    fs.rmSync(parent, { recursive: true, force: true });
  });

  test('data survives stop and restart', async () => {
    const dataDir = path.join(parent, 'restart');
    const first = await runToEnd('write', dataDir, ['d1', 'd2']);
    expect(first[0]).toMatchObject({ event: 'ready', ids: [] });
    expect(first.at(-1)).toMatchObject({ event: 'stopped' });
    expect(fs.existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);

    const second = await runToEnd('write', dataDir, ['d3']);
    expect(second[0]).toMatchObject({ event: 'ready', ids: ['d1', 'd2'] });

    const third = await runToEnd('read', dataDir);
    expect(third[0]).toMatchObject({ event: 'ready', ids: ['d1', 'd2', 'd3'] });
    process.stdout.write(
      `embedded: first start ${first[0].startMs} ms, reopen ${second[0].startMs} / ${third[0].startMs} ms, ` +
        `stop ${first.at(-1)!.stopMs} ms\n`,
    );
  }, 120_000);

  test('every committed transaction survives SIGKILL, and the folder reopens', async () => {
    const dataDir = path.join(parent, 'killed');
    const run = runChild('kill-me', dataDir);
    await run.waitFor((e) => e.event === 'committed' && e.id === 'k000040');
    run.child.kill('SIGKILL');
    const { signal } = await run.exit;
    expect(signal).toBe('SIGKILL');
    const committed = run.events.filter((e) => e.event === 'committed').map((e) => e.id!);
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(true); // left behind; the next start takes it over

    const after = await runToEnd('read', dataDir);
    const ids = after[0].ids!;
    // Everything reported committed is there; at most the one transaction in flight may be too.
    expect(ids.slice(0, committed.length)).toEqual(committed);
    expect(ids.length - committed.length).toBeLessThanOrEqual(1);
    process.stdout.write(`embedded: ${committed.length} commits before SIGKILL, ${ids.length} rows after reopen (${after[0].startMs} ms)\n`);
  }, 120_000);

  test('refuses a folder that is not a data folder', async () => {
    const dataDir = path.join(parent, 'not-a-database');
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, 'notes.txt'), 'precious');
    const run = runChild('read', dataDir);
    const { code, stderr } = await run.exit;
    expect(code).toBe(1);
    expect(stderr).toMatch(/neither empty nor a PostgreSQL data folder/);
    expect(fs.readdirSync(dataDir)).toEqual(['notes.txt']);
  }, 60_000);
});
