/**
 * Mode (d): bpmn-engine (npm) running the same XML in memory, as the
 * reference point of mode (a). The XML is parsed and serialized once (the
 * `sourceContext` option), as our graph is compiled once; each instance is a
 * new Engine. User tasks wait; they are signalled as soon as they wait.
 *
 * bpmn-engine ignores the zeebe extensions; its expression handler does not
 * speak FEEL, so the condition `=approved = true` resolves to that (truthy)
 * string: the instance takes the same path (approved) as ours. The 3-day
 * boundary timer is a real setTimeout, cleared when `examine` completes.
 */
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BpmnEngineResult, Throughput } from './results';
import { Latencies, heapAfterGc, hrnow, log, peakRss, referenceXml, repoRoot, type BenchConfig } from './util';

/* eslint-disable @typescript-eslint/no-require-imports */
interface WaitApi {
  id: string;
  signal(message?: unknown): void;
}
interface BpmnEngine {
  execute(options?: { listener?: EventEmitter; variables?: Record<string, unknown> }): Promise<unknown>;
  waitFor(event: string): Promise<unknown>;
  stop(): unknown;
  readonly state: string;
}
type EngineCtor = new (options: { name?: string; sourceContext?: unknown }) => BpmnEngine;

async function sourceContextOf(xml: string): Promise<unknown> {
  const moddleModule = require('bpmn-moddle') as { BpmnModdle?: new () => { fromXML(xml: string): Promise<unknown> }; default?: unknown };
  const BpmnModdle = (moddleModule.BpmnModdle ?? moddleModule.default ?? moddleModule) as new () => { fromXML(xml: string): Promise<unknown> };
  const serializer = require('moddle-context-serializer') as { default: (ctx: unknown, resolver: unknown) => unknown; TypeResolver: (types: unknown) => unknown };
  const elements = require('bpmn-elements');
  const moddleContext = await new BpmnModdle().fromXML(xml);
  return serializer.default(moddleContext, serializer.TypeResolver(elements));
}

/** Starts one instance; resolves with the engine, its 'end' promise and the waits list (filled by the listener). */
async function start(Engine: EngineCtor, sourceContext: unknown, name: string) {
  const waits: WaitApi[] = [];
  const listener = new EventEmitter();
  listener.on('wait', (api: WaitApi) => waits.push(api));
  const engine = new Engine({ name, sourceContext });
  const ended = engine.waitFor('end');
  await engine.execute({ listener });
  return { engine, ended, waits };
}

export async function bpmnEngineBench(config: BenchConfig): Promise<BpmnEngineResult> {
  const { Engine } = require('bpmn-engine') as { Engine: EngineCtor };
  const version = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'node_modules/bpmn-engine/package.json'), 'utf8')).version as string;
  const sourceContext = await sourceContextOf(referenceXml());

  const runOne = async (i: number, latencies?: Latencies): Promise<number> => {
    let t0 = hrnow();
    const { ended, waits } = await start(Engine, sourceContext, `i${i}`);
    latencies?.add(Number(hrnow() - t0));
    let commands = 1;
    while (waits.length > 0) {
      const api = waits.shift()!;
      t0 = hrnow();
      api.signal(api.id === 'examine' ? { approved: true } : {});
      latencies?.add(Number(hrnow() - t0));
      commands++;
    }
    await ended;
    if (commands !== 5) throw new Error(`bpmn-engine instance took ${commands} commands, expected 5`);
    return commands;
  };

  log('bpmn-engine: warm-up');
  for (let i = 0; i < 100; i++) await runOne(i);

  const n = config.bpmnEngineN;
  const latencies = new Latencies(n * 5);
  let commands = 0;
  const t0 = hrnow();
  for (let i = 0; i < n; i++) commands += await runOne(i, latencies);
  const seconds = Number(hrnow() - t0) / 1e9;
  const run: Throughput = { instances: n, commands, seconds, instancesPerSec: n / seconds, commandsPerSec: commands / seconds, latency: latencies.summary() };
  log(`bpmn-engine: ${run.instancesPerSec.toFixed(0)} instances/s`);

  // Heap per waiting instance: M engines waiting at `examine` (with the boundary timer armed).
  const m = config.bpmnEngineWaiting;
  const kept: Array<{ engine: BpmnEngine; waits: WaitApi[] }> = [];
  const before = heapAfterGc();
  for (let i = 0; i < m; i++) {
    const { engine, waits } = await start(Engine, sourceContext, `w${i}`);
    kept.push({ engine, waits });
  }
  const after = heapAfterGc();
  const stage = kept[0]?.waits.map((w) => `task:${w.id}`).join(' + ') + ' + timer:examineLate';
  for (const { engine } of kept) engine.stop();
  log(`bpmn-engine: ${m} waiting: ${((after - before) / m / 1024).toFixed(2)} KB/instance`);

  return { kind: 'bpmn-engine', version, run, waiting: { instances: m, stage, bytesPerInstance: (after - before) / m }, peakRss: peakRss() };
}
