/**
 * Test harness for the pure runtime: compile a `.bpmn` fixture from disk and
 * drive one instance through `step()` in memory, with a clock the test moves.
 *
 * Every step is checked on the way:
 *  - the input state is deep-frozen, so a runtime that mutates it throws;
 *  - the step is run twice on the same input and both outputs must be equal
 *    (determinism);
 *  - the next state must survive `JSON.parse(JSON.stringify(state))` unchanged,
 *    and it is the round-tripped copy that the next step receives, so every
 *    test also proves the JSON round trip of the state.
 *
 * @example
 *   const { graph } = await loadFixture(path.join(__dirname, 'user-task.bpmn'));
 *   const run = new InstanceDriver(graph);
 *   run.start({ owner: 'lan' });
 *   run.completeTask('Review', { approved: true });
 *   expect(completedElements(run.effects)).toContain('Review');
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { loadProcessModels } from '../../engine/src/model';
import type { ProcessGraph } from '../../engine/src/model/graph';
import type { Command, StartCommand } from '../../engine/src/runtime/commands';
import type { Effect, EffectType } from '../../engine/src/runtime/effects';
import type { Incident, InstanceState, InstanceStatus, Variables, Wait, WaitKind } from '../../engine/src/runtime/state';
import { ROOT } from '../../engine/src/runtime/state';
import { step, type StepResult } from '../../engine/src/runtime/step';
import type { Limits } from '../../engine/src/limits';

// ---------------------------------------------------------------- fixtures

/** The compiled processes of one fixture file. */
export interface Fixture {
  /** The first (or only) process of the file. */
  graph: ProcessGraph;
  /** Every process of the file by process id. */
  graphs: Record<string, ProcessGraph>;
}

const fixtures = new Map<string, Promise<Fixture>>();

/**
 * Reads and compiles a BPMN fixture; fails loudly (listing every problem)
 * when the model does not compile. Cached per path.
 */
export function loadFixture(file: string): Promise<Fixture> {
  let loaded = fixtures.get(file);
  if (!loaded) {
    loaded = compileFixture(file);
    fixtures.set(file, loaded);
  }
  return loaded;
}

async function compileFixture(file: string): Promise<Fixture> {
  const xml = readFileSync(file, 'utf8');
  const result = await loadProcessModels(xml);
  if (result.problems.length > 0) {
    const lines = result.problems.map((p) => `  - ${p.elementId}: ${p.reason}`).join('\n');
    throw new Error(`fixture ${file} does not compile:\n${lines}`);
  }
  const graphs: Record<string, ProcessGraph> = {};
  for (const graph of result.graphs) graphs[graph.processId] = graph;
  if (result.graphs.length === 0) throw new Error(`fixture ${file} has no executable process`);
  return { graph: result.graphs[0], graphs };
}

// ---------------------------------------------------------------- clock

/** Monday 6 January 2025, 08:00 UTC: the default start of every test clock. */
export const T0 = Date.UTC(2025, 0, 6, 8, 0, 0);

/** Milliseconds of a simple ISO 8601 duration (`PT1H`, `P2D`, `PT30M`, `PT10S`). */
export function ms(duration: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(duration);
  if (!match) throw new Error(`unsupported duration '${duration}' in test`);
  const [, d, h, m, s] = match.map((x) => Number(x ?? 0));
  return ((d * 24 + h) * 60 + m) * 60_000 + s * 1000;
}

// ---------------------------------------------------------------- checks applied to every step

/** Freezes a value and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Drops `undefined` properties (they vanish in JSON and are not a difference). */
function normalize<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Runs `step` with the checks every test relies on: frozen input, two runs
 * giving equal outputs, a JSON-clean output state. Returns the outputs, with
 * the state already round-tripped through JSON.
 */
export function checkedStep(graph: ProcessGraph, state: InstanceState | undefined, command: Command, now: number, limits?: Limits): StepResult {
  const input = state === undefined ? undefined : deepFreeze(normalize(state));
  const first = step(graph, input, command, now, { limits });
  const second = step(graph, input, command, now, { limits });
  if (!isDeepStrictEqual(normalize(first), normalize(second))) {
    throw new Error(`step is not deterministic for command ${JSON.stringify(command)}`);
  }
  const json = JSON.stringify(first.state);
  const revived = JSON.parse(json) as InstanceState;
  if (!isJsonClean(first.state)) {
    throw new Error(`state holds non-JSON values after ${JSON.stringify(command)}: ${json}`);
  }
  if (!isDeepStrictEqual(revived, normalize(first.state))) {
    throw new Error(`state does not survive a JSON round trip after ${JSON.stringify(command)}`);
  }
  return { state: revived, effects: JSON.parse(JSON.stringify(first.effects)) as Effect[] };
}

/** True when a value is made of JSON types only (no Dates, Maps, NaN, functions). */
function isJsonClean(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (Array.isArray(value)) return value.every(isJsonClean);
      // a plain object of any realm (structuredClone in jest's VM gives another realm's Object)
      if (!isPlainObject(value)) return false;
      return Object.values(value as object).every(isJsonClean);
    default:
      return false;
  }
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

// ---------------------------------------------------------------- driver

/** Options of {@link InstanceDriver}. */
export interface DriverOptions {
  /** Start of the clock (epoch ms); {@link T0} by default. */
  now?: number;
  instanceId?: string;
  definitionId?: string;
  /** The runtime limits (default: the engine's defaults). */
  limits?: Limits;
}

/** Options of {@link InstanceDriver.start}. */
export interface StartOptions {
  startEventId?: string;
  businessKey?: string;
  parent?: StartCommand['parent'];
}

/**
 * One process instance driven through `step()` in memory. Finds open waits by
 * element id, records every effect, and keeps the state as plain JSON.
 */
export class InstanceDriver {
  state: InstanceState | undefined;
  now: number;
  /** Every effect of every step, in order. */
  readonly effects: Effect[] = [];
  /** The effects of the last step only. */
  last: Effect[] = [];
  /** Every command sent, with its effects (for replay in property tests). */
  readonly history: { command: Command; now: number; effects: Effect[] }[] = [];
  readonly instanceId: string;
  readonly definitionId: string;
  readonly limits: Limits | undefined;

  constructor(
    readonly graph: ProcessGraph,
    options: DriverOptions = {},
  ) {
    this.limits = options.limits;
    this.now = options.now ?? T0;
    this.instanceId = options.instanceId ?? 'i1';
    this.definitionId = options.definitionId ?? `${graph.processId}:1`;
  }

  /** Sends any command; on a thrown error nothing changes. Returns the step's effects. */
  send(command: Command): Effect[] {
    const result = checkedStep(this.graph, this.state, command, this.now, this.limits);
    this.state = result.state;
    this.last = result.effects;
    this.effects.push(...result.effects);
    this.history.push({ command, now: this.now, effects: result.effects });
    return result.effects;
  }

  // ------------------------------------------------------------ clock

  /** Moves the clock forward by milliseconds or an ISO duration (`PT1H`). */
  advance(by: number | string): this {
    this.now += typeof by === 'string' ? ms(by) : by;
    return this;
  }

  // ------------------------------------------------------------ reading the state

  /** The instance state; throws before `start`. */
  get current(): InstanceState {
    if (!this.state) throw new Error('instance not started');
    return this.state;
  }

  get status(): InstanceStatus {
    return this.current.status;
  }

  /** Process-scope variables (element instance 0). */
  get variables(): Variables {
    return this.current.elements[ROOT]?.vars ?? {};
  }

  /** Ids of the elements that have a live element instance (ROOT excluded), sorted. */
  get activeElements(): string[] {
    return Object.values(this.current.elements)
      .filter((e) => e.key !== ROOT)
      .map((e) => e.elementId)
      .sort();
  }

  /** Open waits, optionally of one kind and/or for one element, in key order. */
  waits<K extends WaitKind>(kind?: K, elementId?: string): Extract<Wait, { kind: K }>[] {
    return Object.values(this.current.waits)
      .filter((w) => (kind === undefined || w.kind === kind) && (elementId === undefined || w.elementId === elementId))
      .sort((a, b) => numericId(a.id) - numericId(b.id)) as Extract<Wait, { kind: K }>[];
  }

  /** The one open wait of that kind for the element; throws listing the open waits otherwise. */
  wait<K extends WaitKind>(kind: K, elementId: string): Extract<Wait, { kind: K }> {
    const found = this.waits(kind, elementId);
    if (found.length !== 1) {
      const open = Object.values(this.current.waits).map((w) => `${w.kind}:${w.elementId}`).join(', ') || 'none';
      throw new Error(`expected one open ${kind} wait at '${elementId}', found ${found.length} (open: ${open})`);
    }
    return found[0];
  }

  task(elementId: string) {
    return this.wait('task', elementId);
  }

  job(elementId: string) {
    return this.wait('job', elementId);
  }

  timer(elementId: string) {
    return this.wait('timer', elementId);
  }

  subscription(elementId: string) {
    return this.wait('message', elementId);
  }

  child(elementId: string) {
    return this.wait('child', elementId);
  }

  /** Open incidents, optionally at one element. */
  incidents(elementId?: string): Incident[] {
    return Object.values(this.current.incidents).filter((i) => elementId === undefined || i.elementId === elementId);
  }

  /** The one open incident (at the element, when given). */
  incident(elementId?: string): Incident {
    const found = this.incidents(elementId);
    if (found.length !== 1) throw new Error(`expected one incident${elementId ? ` at '${elementId}'` : ''}, found ${found.length}`);
    return found[0];
  }

  // ------------------------------------------------------------ commands

  start(variables: Variables = {}, options: StartOptions = {}): Effect[] {
    return this.send({
      type: 'start',
      instanceId: this.instanceId,
      definitionId: this.definitionId,
      variables,
      ...options,
    });
  }

  completeTask(elementId: string, variables?: Variables): Effect[] {
    return this.send({ type: 'completeTask', taskId: this.task(elementId).id, variables });
  }

  completeJob(elementId: string, variables?: Variables): Effect[] {
    return this.send({ type: 'completeJob', jobId: this.job(elementId).id, variables });
  }

  failJob(elementId: string, retries: number, errorMessage = 'worker failed'): Effect[] {
    return this.send({ type: 'failJob', jobId: this.job(elementId).id, retries, errorMessage });
  }

  /** Throws a BPMN error from the job (or called child) of the element. */
  throwError(elementId: string, errorCode: string, variables?: Variables, errorMessage?: string): Effect[] {
    const wait = this.waits(undefined, elementId).find((w) => w.kind === 'job' || w.kind === 'child');
    if (!wait) throw new Error(`no job or child wait open at '${elementId}'`);
    return this.send({ type: 'throwError', waitId: wait.id, errorCode, variables, errorMessage });
  }

  /** Moves the clock to the timer's due time (if later) and fires it. */
  fireTimer(elementId: string): Effect[] {
    const timer = this.timer(elementId);
    if (timer.dueAt > this.now) this.now = timer.dueAt;
    return this.send({ type: 'fireTimer', waitId: timer.id });
  }

  /** Delivers the message the element's subscription waits for. */
  deliverMessage(elementId: string, variables?: Variables): Effect[] {
    const subscription = this.subscription(elementId);
    return this.send({ type: 'deliverMessage', waitId: subscription.id, messageName: subscription.messageName, variables });
  }

  deliverSignal(signalName: string, variables?: Variables): Effect[] {
    return this.send({ type: 'deliverSignal', signalName, variables });
  }

  completeChild(elementId: string, variables?: Variables): Effect[] {
    return this.send({ type: 'completeChild', waitId: this.child(elementId).id, variables });
  }

  setVariables(variables: Variables, scopeKey?: number): Effect[] {
    return this.send({ type: 'setVariables', variables, scopeKey });
  }

  /** Resolves the one open incident (at the element, when given). */
  resolveIncident(elementId?: string, retries?: number): Effect[] {
    return this.send({ type: 'resolveIncident', incidentId: this.incident(elementId).id, retries });
  }

  cancel(reason?: string): Effect[] {
    return this.send({ type: 'cancel', reason });
  }
}

function numericId(id: string): number {
  const match = /(\d+)$/.exec(id);
  return match ? Number(match[1]) : 0;
}

// ---------------------------------------------------------------- effects as data

/** The effects of one type, narrowed. */
export function ofType<T extends EffectType>(effects: Effect[], type: T): Extract<Effect, { type: T }>[] {
  return effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
}

/** Element ids of `elementCompleted` effects, in order. */
export function completedElements(effects: Effect[]): string[] {
  return ofType(effects, 'elementCompleted').map((e) => e.elementId);
}

/** Element ids of `elementActivated` effects, in order. */
export function activatedElements(effects: Effect[]): string[] {
  return ofType(effects, 'elementActivated').map((e) => e.elementId);
}

/** Element ids of `elementTerminated` effects, in order. */
export function terminatedElements(effects: Effect[]): string[] {
  return ofType(effects, 'elementTerminated').map((e) => e.elementId);
}

/** Flow ids of `flowTaken` effects, in order. */
export function takenFlows(effects: Effect[]): string[] {
  return ofType(effects, 'flowTaken').map((e) => e.flowId);
}

/** The types of the effects, in order. */
export function effectTypes(effects: Effect[]): EffectType[] {
  return effects.map((e) => e.type);
}

/** Element ids of the tasks opened (`taskOpened`), in order. */
export function openedTasks(effects: Effect[]): string[] {
  return ofType(effects, 'taskOpened').map((e) => e.task.elementId);
}

/** Job types of the jobs created (`jobCreated`), in order. */
export function createdJobs(effects: Effect[]): string[] {
  return ofType(effects, 'jobCreated').map((e) => e.job.jobType);
}

/** The `instanceEnded` effect's status, or undefined when the instance did not end. */
export function endStatus(effects: Effect[]): string | undefined {
  return ofType(effects, 'instanceEnded')[0]?.status;
}
