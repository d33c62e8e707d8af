/**
 * Mode (a): the pure runtime in memory. The graph is compiled once; each
 * instance is driven by `step()` alone, completing every user task as soon as
 * it shows up in `state.waits`. No I/O, no engine shell.
 */
import { randomUUID } from 'node:crypto';
import { loadProcessModels } from '../../engine/src/model';
import type { ProcessGraph } from '../../engine/src/model/graph';
import type { InstanceState, Variables } from '../../engine/src/runtime/state';
import { cloneState, step } from '../../engine/src/runtime/step';
import type { RuntimeResult, Throughput, WaitingHeap } from './results';
import { Latencies, heapAfterGc, hrnow, log, peakRss, referenceXml, type BenchConfig } from './util';

/** Variables given when completing a task: `examine` decides the exclusive gateway. */
export function taskVariables(elementId: string): Variables | undefined {
  return elementId === 'examine' ? { approved: true } : undefined;
}

export async function compileReference(): Promise<ProcessGraph> {
  const { graphs, problems } = await loadProcessModels(referenceXml());
  if (problems.length > 0) throw new Error(`reference.bpmn does not compile: ${JSON.stringify(problems)}`);
  const graph = (Array.isArray(graphs) ? graphs : Object.values(graphs as Record<string, ProcessGraph>)).find((g) => g.processId === 'reference');
  if (!graph) throw new Error('reference.bpmn has no process "reference"');
  return graph;
}

/** First open user-task wait of a state, or undefined. */
function openTask(state: InstanceState): { id: string; elementId: string } | undefined {
  for (const id in state.waits) {
    const wait = state.waits[id];
    if (wait.kind === 'task') return wait;
  }
  return undefined;
}

/** Runs one instance to its end; returns the number of commands it took. */
function runInstance(graph: ProcessGraph, now: number, latencies: Latencies | undefined): number {
  let t0 = hrnow();
  let { state } = step(graph, undefined, { type: 'start', instanceId: randomUUID(), definitionId: 'reference:1' }, now);
  latencies?.add(Number(hrnow() - t0));
  let commands = 1;
  for (;;) {
    const task = openTask(state);
    if (!task) break;
    t0 = hrnow();
    state = step(graph, state, { type: 'completeTask', taskId: task.id, variables: taskVariables(task.elementId) }, now).state;
    latencies?.add(Number(hrnow() - t0));
    commands++;
  }
  if (state.status !== 'completed') throw new Error(`instance ended ${state.status}, expected completed: ${JSON.stringify(state)}`);
  return commands;
}

function throughput(graph: ProcessGraph, n: number): Throughput {
  const latencies = new Latencies(n * 5);
  const now = Date.now();
  let commands = 0;
  const t0 = hrnow();
  for (let i = 0; i < n; i++) commands += runInstance(graph, now, latencies);
  const seconds = Number(hrnow() - t0) / 1e9;
  return { instances: n, commands, seconds, instancesPerSec: n / seconds, commandsPerSec: commands / seconds, latency: latencies.summary() };
}

/**
 * Starts `m` instances and keeps their states; with `advance`, also completes
 * `examine` so each waits on the two parallel tasks. Heap delta / m after GC.
 */
function waitingHeap(graph: ProcessGraph, m: number, advance: boolean): WaitingHeap {
  const now = Date.now();
  const states: InstanceState[] = new Array(m);
  const before = heapAfterGc();
  for (let i = 0; i < m; i++) {
    let { state } = step(graph, undefined, { type: 'start', instanceId: randomUUID(), definitionId: 'reference:1' }, now);
    if (advance) {
      const task = openTask(state)!;
      state = step(graph, state, { type: 'completeTask', taskId: task.id, variables: { approved: true } }, now).state;
    }
    states[i] = state;
  }
  const after = heapAfterGc();
  const open = Object.values(states[0].waits).map((w) => `${w.kind}:${w.elementId}`).join(' + ');
  const result = { instances: m, stage: open, bytesPerInstance: (after - before) / m };
  states.length = 0; // keep `states` reachable until here
  return result;
}

export async function runtimeBench(config: BenchConfig): Promise<RuntimeResult> {
  const graph = await compileReference();

  log('runtime: warm-up');
  throughput(graph, 2000);

  const heapBaseline = heapAfterGc();
  const series: RuntimeResult['series'] = [];
  for (const n of config.runtimeSeries) {
    const run = throughput(graph, n);
    const heap = heapAfterGc();
    series.push({ ...run, heapAfterGc: heap });
    log(`runtime: N=${n} ${run.instancesPerSec.toFixed(0)} instances/s, heap after GC ${(heap / 1024 ** 2).toFixed(2)} MB`);
  }

  const waiting: WaitingHeap[] = [];
  for (const m of config.waiting) {
    for (const advance of [false, true]) {
      const w = waitingHeap(graph, m, advance);
      waiting.push(w);
      log(`runtime: ${m} waiting at ${w.stage}: ${(w.bytesPerInstance / 1024).toFixed(2)} KB/instance`);
    }
  }

  // What one structuredClone of a waiting state costs (step clones its input state).
  const sample = step(graph, undefined, { type: 'start', instanceId: randomUUID(), definitionId: 'reference:1' }, Date.now()).state;
  const reps = 20_000;
  const t0 = hrnow();
  for (let i = 0; i < reps; i++) cloneState(sample);
  const cloneNs = Number(hrnow() - t0) / reps;

  return { kind: 'runtime', series, heapBaseline, waiting, cloneNs, stateJsonBytes: Buffer.byteLength(JSON.stringify(sample)), peakRss: peakRss() };
}
