/**
 * Simulations off the event loop: a small pool of worker threads (node:worker_threads) that
 * run prepared jobs (`prepareSimulation` → `runSimulationJob`, api/src/simulation.ts), so the
 * server keeps answering while a big run computes.
 *
 * - `workers` threads at most, started on first use; idle ones do not keep the process alive.
 * - A bounded queue: with every worker busy and `queue` jobs waiting, a new job is refused at
 *   once with a 429 (`RATE_LIMITED`, Retry-After) naming the bound, never queued unbounded. (A
 *   503 would do as well, but the API hides the detail of every 5xx.)
 * - A timeout per run: past `timeoutMs` the worker is terminated (a run cannot be interrupted
 *   otherwise), replaced on next use, and the request answered 408 naming the limit.
 * - `workers: 0` runs inline, in the event loop (the CLI's way; a constrained host's choice).
 *
 * The worker runs from the compiled build (dist/api/src/simulation-worker.js). From the
 * TypeScript sources (ts-jest, a dev run) a worker cannot load .ts files itself: it starts
 * with a small bootstrap that transpiles them (esbuild, else the `typescript` compiler: dev
 * dependencies, needed only there) before loading simulation-worker.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MotcuaError } from '../../engine/src/index';
import type { SimulationReport } from '../../onestop/src/simulation';
import { runSimulationJob, type SimulationJob } from './simulation';
import type { WorkerJobMessage, WorkerReplyMessage } from './simulation-worker';

/** The pool's bounds (MOTCUA_SIMULATION_WORKERS, MOTCUA_SIMULATION_QUEUE, MOTCUA_SIMULATION_TIMEOUT_MS). */
export interface SimulationPoolOptions {
  /** Worker threads at most; 0 runs every job inline. */
  workers: number;
  /** Jobs that may wait for a worker; one more is refused (429). */
  queue: number;
  /** Longest run, ms; past it the worker is terminated and the request answered 408. */
  timeoutMs: number;
}

/** Every worker busy and the queue full (or the pool closing): a 429 with Retry-After, try again later. */
export class SimulationBusyError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('RATE_LIMITED', message, { retryAfterSeconds: 5, ...details });
  }
}

/** A run longer than the timeout, stopped: a 408 naming the limit (simulate fewer dossiers). */
export class SimulationTimeoutError extends MotcuaError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('REQUEST_TIMEOUT', message, details);
  }
}

/**
 * Bootstrap of a worker started from the TypeScript sources: a .ts require hook, then the entry.
 * Transpiles with esbuild (a dev dependency, for the modeler's bundle) when present, which
 * loads the engine in a fraction of the time `typescript` takes; with `typescript` otherwise.
 */
const TS_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const Module = require('node:module');
let transpile;
try {
  const esbuild = require(workerData.esbuild);
  transpile = (source, filename) => esbuild.transformSync(source, { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: filename }).code;
} catch {
  const ts = require(workerData.typescript);
  transpile = (source, filename) => ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, resolveJsonModule: true, isolatedModules: true },
  }).outputText;
}
Module._extensions['.ts'] = (module, filename) => module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
require(workerData.entry);
`;

function resolvable(name: string): string | undefined {
  try {
    return require.resolve(name);
  } catch {
    return undefined;
  }
}

function startWorker(): Worker {
  const compiled = join(__dirname, 'simulation-worker.js');
  if (__filename.endsWith('.js') && existsSync(compiled)) return new Worker(compiled);
  return new Worker(TS_BOOTSTRAP, { eval: true, workerData: { entry: join(__dirname, 'simulation-worker.ts'), esbuild: resolvable('esbuild') ?? 'esbuild', typescript: resolvable('typescript') ?? 'typescript' } });
}

interface Pending {
  id: number;
  job: SimulationJob;
  resolve: (report: SimulationReport) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  current?: Pending;
  timer?: NodeJS.Timeout;
}

/** Rebuilds an error a worker reported: a MotcuaError keeps its code (so its HTTP status) and details. */
function errorOf(reply: Extract<WorkerReplyMessage, { error: unknown }>['error']): Error {
  if (reply.code) {
    const error = new MotcuaError(reply.code, reply.message, reply.details ?? {});
    error.name = reply.name;
    return error;
  }
  return new Error(`simulation worker: ${reply.name}: ${reply.message}`);
}

export class SimulationPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: SimulationPoolOptions) {}

  /** Jobs running and waiting now (for tests and metrics). */
  get load(): { running: number; waiting: number } {
    return { running: this.inlineRunning + this.slots.filter((s) => s.current).length, waiting: this.waiting.length };
  }

  /** Worker threads started and not yet terminated (0 once closed). */
  get workers(): number {
    return this.slots.length;
  }

  /** Runs a prepared job in a worker (or inline with `workers: 0`); refuses at once (429) when the queue is full. */
  run(job: SimulationJob): Promise<SimulationReport> {
    if (this.closed) return Promise.reject(new SimulationBusyError('the simulation pool is closed'));
    if (this.options.workers <= 0) return this.inline(job);
    const idle = this.slots.find((s) => !s.current);
    if (!idle && this.slots.length >= this.options.workers && this.waiting.length >= this.options.queue) {
      return Promise.reject(
        new SimulationBusyError(
          `the simulation queue is full (${this.slots.length} running, ${this.waiting.length} waiting; MOTCUA_SIMULATION_WORKERS=${this.options.workers}, MOTCUA_SIMULATION_QUEUE=${this.options.queue}): try again when a run has finished`,
          { running: this.slots.length, waiting: this.waiting.length },
        ),
      );
    }
    return new Promise<SimulationReport>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, job, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates the workers; waiting and running jobs are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.waiting.splice(0)) p.reject(new SimulationBusyError('the simulation pool is closing'));
    await Promise.all(
      this.slots.splice(0).map(async (slot) => {
        if (slot.timer) clearTimeout(slot.timer);
        slot.current?.reject(new SimulationBusyError('the simulation pool is closing'));
        await slot.worker.terminate();
      }),
    );
  }

  private inlineRunning = 0;

  private async inline(job: SimulationJob): Promise<SimulationReport> {
    this.inlineRunning++;
    try {
      return await runSimulationJob(job);
    } finally {
      this.inlineRunning--;
    }
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let slot = this.slots.find((s) => !s.current);
      if (!slot && this.slots.length < this.options.workers) slot = this.spawn();
      if (!slot) return;
      const pending = this.waiting.shift()!;
      slot.current = pending;
      slot.worker.ref();
      const running = slot;
      slot.timer = setTimeout(() => this.timedOut(running), this.options.timeoutMs);
      slot.worker.postMessage({ id: pending.id, job: pending.job } satisfies WorkerJobMessage);
    }
  }

  private spawn(): Slot {
    const slot: Slot = { worker: startWorker() };
    slot.worker.unref();
    slot.worker.on('message', (reply: WorkerReplyMessage) => {
      const pending = slot.current;
      if (!pending || pending.id !== reply.id) return;
      this.release(slot);
      if ('error' in reply) pending.reject(errorOf(reply.error));
      else pending.resolve(reply.report as SimulationReport);
      this.dispatch();
    });
    slot.worker.on('error', (error) => this.lost(slot, new Error(`simulation worker failed: ${error.message}`)));
    slot.worker.on('exit', (code) => this.lost(slot, new Error(`simulation worker exited (code ${code})`)));
    this.slots.push(slot);
    return slot;
  }

  private release(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.current = undefined;
    slot.worker.unref();
  }

  /** A worker that died: its job fails, the slot goes (a new worker starts on next use). */
  private lost(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    this.slots.splice(index, 1);
    const pending = slot.current;
    this.release(slot);
    pending?.reject(error);
    if (!this.closed) this.dispatch();
  }

  private timedOut(slot: Slot): void {
    const pending = slot.current;
    const index = this.slots.indexOf(slot);
    if (!pending || index < 0) return;
    this.slots.splice(index, 1);
    this.release(slot);
    void slot.worker.terminate();
    pending.reject(new SimulationTimeoutError(`the simulation ran longer than ${this.options.timeoutMs} ms (MOTCUA_SIMULATION_TIMEOUT_MS) and was stopped: simulate fewer dossiers`, { timeoutMs: this.options.timeoutMs }));
    this.dispatch();
  }
}
