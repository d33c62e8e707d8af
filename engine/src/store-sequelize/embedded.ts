/**
 * The embedded PostgreSQL: PGlite (PostgreSQL compiled to WebAssembly, in this process)
 * served on a loopback TCP port by pglite-socket, so `pg` and sequelize talk to it
 * exactly as to a real server (one dialect, one code path).
 *
 * Limits that follow from PGlite being ONE PostgreSQL session (see DESIGN.md):
 * open Databases on it with `embedded: true` (pool of one); one node only; session
 * settings such as `search_path` are shared by every connection; SKIP LOCKED never
 * skips and NOTIFY comes back to the sender. Start it from plain Node: inside a jest
 * worker PGlite's dynamic import fails (the tests start it in jest's globalSetup).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Where and how to run the embedded PostgreSQL. */
export interface EmbeddedPostgresOptions {
  /** Data folder (created if missing; reopened if it holds a database). Undefined: in memory, gone at stop. */
  dataDir?: string;
  /** TCP port; 0 or undefined picks a free one (read it back from the result). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1: never expose it, there is no authentication). */
  host?: string;
}

/** A running embedded PostgreSQL. */
export interface EmbeddedPostgres {
  /** Connection URL for `pg`/sequelize, e.g. `postgres://postgres@127.0.0.1:54321/postgres?sslmode=disable`. */
  url: string;
  /** The TCP port it listens on. */
  port: number;
  /** Absolute data folder, or undefined when in memory. */
  dataDir: string | undefined;
  /**
   * Stops listening, rolls back what an open connection left in a transaction, then
   * shuts PGlite down cleanly (everything committed is on disk). Close your
   * Databases first; their connections are cut. Safe to call twice.
   */
  stop(): Promise<void>;
}

/** Connections pglite-socket accepts at once (its default, 1, breaks the second pg client). */
const MAX_CONNECTIONS = 100;

/**
 * Suffix of the lock file kept next to a data folder (`<dataDir>.lock`) while a process
 * has it open: PGlite writes no postmaster.pid, and two PGlite instances on one folder
 * would corrupt it.
 */
export const EMBEDDED_LOCK_SUFFIX = '.lock';

/** Data folders open in this process. */
const openDataDirs = new Set<string>();

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes `<dataDir>.lock`, or throws if a live process holds it. A lock left by a
 * process that died (even by SIGKILL) is taken over: the pid in it is gone, or is our
 * own pid (a restarted container often gets the same pid). Returns the release function.
 */
function lockDataDir(dataDir: string): () => void {
  if (openDataDirs.has(dataDir)) {
    throw new Error(`The embedded database in ${dataDir} is already open in this process`);
  }
  const file = dataDir + EMBEDDED_LOCK_SUFFIX;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isProcessAlive(pid)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${pid} (lock file ${file}). ` +
            `Stop that process; if no process uses the folder, delete the lock file.`,
        );
      }
      fs.rmSync(file, { force: true });
    }
  }
  openDataDirs.add(dataDir);
  return () => {
    openDataDirs.delete(dataDir);
    fs.rmSync(file, { force: true });
  };
}

/**
 * Makes sure `dataDir` holds a complete PostgreSQL cluster, creating one if the folder
 * is missing or empty. initdb runs in a staging folder that is renamed into place when
 * done: PGlite writes PG_VERSION early in initdb and afterwards takes any folder with
 * PG_VERSION for a finished database, so a process killed during its first start would
 * otherwise leave a folder that never opens again. Refuses a non-empty folder that is
 * not a data folder (PGlite would run initdb in it).
 */
async function ensureCluster(dataDir: string): Promise<void> {
  const entries = fs.existsSync(dataDir) ? fs.readdirSync(dataDir) : [];
  if (entries.includes('PG_VERSION')) return;
  if (entries.length > 0) {
    throw new Error(`${dataDir} is neither empty nor a PostgreSQL data folder (no PG_VERSION); refusing to use it`);
  }
  // We hold the lock, so a staging folder can only be a leftover of a killed first start.
  const staging = path.join(path.dirname(dataDir), `.${path.basename(dataDir)}.initializing`);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const init = await PGlite.create({ dataDir: staging });
  await init.close();
  syncTree(staging);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.renameSync(staging, dataDir);
  syncTree(path.dirname(dataDir), false);
}

/**
 * fsyncs every file and folder under `dir` (or just `dir` itself). Needed because PGlite's
 * Node file system never calls fsync: its writes reach the OS (so they survive the
 * process being killed) but not necessarily the disk (an OS crash or power cut may lose
 * them). Best effort: errors are ignored.
 */
function syncTree(dir: string, recursive = true): void {
  const syncPath = (p: string) => {
    let fd: number | undefined;
    try {
      fd = fs.openSync(p, 'r');
      fs.fsyncSync(fd);
    } catch {
      // not fatal: fsync of a folder is not supported everywhere
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  };
  if (recursive) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
      if (entry.isFile() || entry.isDirectory()) syncPath(path.join(entry.parentPath, entry.name));
    }
  }
  syncPath(dir);
}

/**
 * Starts PGlite and serves it on a loopback port; resolves once it accepts connections.
 *
 * The engine's zero-setup default (no `DATABASE_URL`) and the tests' second database.
 * A new data folder takes a few seconds (initdb); reopening one takes well under a second.
 * A process killed without `stop()` (even by SIGKILL, even during the first start)
 * leaves a folder that reopens with everything committed (PostgreSQL's WAL recovery).
 * An OS crash or power cut is another matter: PGlite never fsyncs (see `syncTree`),
 * so only real PostgreSQL is durable against those.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  if (options.dataDir === '') throw new Error('dataDir must be a folder path, or undefined for an in-memory database');
  const host = options.host ?? '127.0.0.1';
  const dataDir = options.dataDir === undefined ? undefined : path.resolve(options.dataDir);

  let unlock: (() => void) | undefined;
  if (dataDir) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    unlock = lockDataDir(dataDir);
  }

  let db: PGlite | undefined;
  try {
    if (dataDir) await ensureCluster(dataDir);
    db = dataDir ? await PGlite.create({ dataDir }) : await PGlite.create();
    const server = new PGLiteSocketServer({ db, host, port: options.port ?? 0, maxConnections: MAX_CONNECTIONS });
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    const urlHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
    // PGlite ignores the user and database of the startup message: it is always postgres/postgres.
    const url = `postgres://postgres@${urlHost}:${port}/postgres?sslmode=disable`;

    const pglite = db;
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopping ??= (async () => {
        try {
          await server.stop();
          // server.stop() detaches the connections without waiting; a detach rolls back
          // the transaction its connection left open. Let those finish before closing.
          for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
          if (pglite.isInTransaction()) await pglite.exec('ROLLBACK');
          await pglite.close();
          if (dataDir) syncTree(dataDir);
        } finally {
          unlock?.();
        }
      })());

    return { url, port, dataDir, stop };
  } catch (error) {
    if (db && !db.closed) await db.close().catch(() => undefined);
    unlock?.();
    throw error;
  }
}
