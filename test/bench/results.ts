/** What each benchmark mode (a child process) reports back to run.ts. */
import type { LatencySummary, WalCounts } from './util';

/** One throughput run: N instances driven to completion. */
export interface Throughput {
  instances: number;
  /** State-changing commands: start + one completeTask per user task. */
  commands: number;
  seconds: number;
  instancesPerSec: number;
  commandsPerSec: number;
  latency: LatencySummary;
}

/** Heap held by instances that wait (states kept alive), per instance. */
export interface WaitingHeap {
  instances: number;
  /** Where the instances wait. */
  stage: string;
  bytesPerInstance: number;
}

export interface RuntimeResult {
  kind: 'runtime';
  /** Throughput runs of growing N, each followed by the heap after a full GC. */
  series: Array<Throughput & { heapAfterGc: number }>;
  heapBaseline: number;
  waiting: WaitingHeap[];
  /** Cost of one uncontended `cloneState` (structuredClone) of a waiting state, to explain the step latency. */
  cloneNs: number;
  stateJsonBytes: number;
  peakRss: number;
}

export interface EngineResult {
  kind: 'engine';
  database: 'embedded' | 'postgres' | 'postgres-dossiers';
  clients: number;
  run: Throughput;
  /** Round trips to PostgreSQL per state-changing command (pg `query()` calls; the store pipelines several statements into one). */
  roundTripsPerCommand: number;
  /** Share of wall time spent inside step() (summed over clients, so may exceed 1 with concurrency). */
  stepShare: number;
  /** CPU time of this Node process (engine + driver + pg client; PGlite too when embedded) / wall time: 1.0 = one core busy. */
  nodeCpu: number;
  /** Share of all cores of the machine busy during the run (PostgreSQL included): 1.0 = every core busy. */
  machineCpu: number;
  peakRss: number;
  schema?: string;
  /** PostgreSQL only: share of sampled backend states (pg_stat_activity) during the run. */
  backends?: Record<string, number>;
  /** PostgreSQL only: WAL written per command during the measured run (the whole server's pg_stat_wal). */
  walPerCommand?: WalCounts;
  /** postgres-dossiers only: the same run with the audit trail off, just before (what the audit trail costs). */
  withoutAudit?: EngineResult;
}

export interface PgbenchResult {
  kind: 'pgbench';
  clients: number;
  threads: number;
  seconds: number;
  tps: number;
  latencyMs?: number;
  command: string;
  /** Share of all cores busy during the run (pgbench itself, its two threads, included). */
  machineCpu?: number;
  /** WAL written per transaction (the whole server's pg_stat_wal). */
  walPerTransaction?: WalCounts;
}

export interface BpmnEngineResult {
  kind: 'bpmn-engine';
  version: string;
  run: Throughput;
  waiting: WaitingHeap;
  peakRss: number;
}

/** Transactions of N trivial statements per second, from this Node process (see sql-floor.ts). */
export interface SqlFloorResult {
  kind: 'sql-floor';
  clients: number;
  rows: Array<{ driver: 'bare pg' | 'sequelize'; statements: number; tps: number; nodeCpu: number }>;
}

export interface SkippedResult {
  kind: 'skipped';
  mode: string;
  reason: string;
}

export type ModeResult = RuntimeResult | EngineResult | PgbenchResult | BpmnEngineResult | SqlFloorResult | SkippedResult;
