/**
 * Property tests of the runtime over random runs: random sequences of valid
 * commands (picked among the open waits and incidents), random variables and
 * random clock advances, on two fixtures: the reference procedure (exclusive
 * loop, parallel fork/join, boundary timers) and a batch (inclusive fork/join,
 * multi-instance, job retries).
 */
import path from 'node:path';
import fc from 'fast-check';
import type { ProcessGraph } from '../../../engine/src/model/graph';
import type { Command } from '../../../engine/src/runtime/commands';
import type { Effect } from '../../../engine/src/runtime/effects';
import type { InstanceState, Variables } from '../../../engine/src/runtime/state';
import { step } from '../../../engine/src/runtime/step';
import { deepFreeze, loadFixture, T0 } from '../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'properties.bpmn');

/** One random decision: which candidate command, with which variables, after how long. */
interface Choice {
  pick: number;
  variables: Variables;
  /** Milliseconds the clock moves before the command. */
  advance: number;
  retries: number;
}

const variablesArb: fc.Arbitrary<Variables> = fc.record(
  {
    complete: fc.oneof({ arbitrary: fc.boolean(), weight: 8 }, fc.constant(null), fc.integer()),
    note: fc.string({ maxLength: 8 }),
    score: fc.integer({ min: -5, max: 100 }),
    verdict: fc.constantFrom('ok', 'ko'),
    nested: fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.oneof(fc.integer(), fc.boolean(), fc.string({ maxLength: 4 }))),
  },
  { requiredKeys: [] },
);

const choiceArb: fc.Arbitrary<Choice> = fc.record({
  pick: fc.nat(),
  variables: variablesArb,
  advance: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 * 24 * 3600 * 1000 })),
  retries: fc.integer({ min: 0, max: 2 }),
});

const startArb: Record<string, fc.Arbitrary<Variables>> = {
  reference: fc.record({ dossierId: fc.string({ minLength: 1, maxLength: 6 }), complete: fc.boolean() }, { requiredKeys: ['dossierId'] }),
  batch: fc.record({
    sign: fc.boolean(),
    review: fc.boolean(),
    items: fc.array(fc.constantFrom('giay-to', 'ban-ve', 'hop-dong'), { maxLength: 3 }),
  }),
};

/** The valid commands of the moment: one or more per open wait, one per incident, plus a few harmless ones. */
function candidates(state: InstanceState, choice: Choice): { command: Command; at?: number }[] {
  const list: { command: Command; at?: number }[] = [];
  const waits = Object.values(state.waits).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  for (const wait of waits) {
    switch (wait.kind) {
      case 'task':
        list.push({ command: { type: 'completeTask', taskId: wait.id, variables: choice.variables } });
        break;
      case 'job':
        // a job with an open incident takes no report until the incident is resolved
        if (!Object.values(state.incidents).some((i) => i.jobId === wait.id)) {
          list.push({ command: { type: 'completeJob', jobId: wait.id, variables: choice.variables } });
          list.push({ command: { type: 'failJob', jobId: wait.id, retries: choice.retries, errorMessage: 'random failure' } });
        }
        break;
      case 'timer':
        list.push({ command: { type: 'fireTimer', waitId: wait.id }, at: wait.dueAt });
        break;
      case 'message':
        list.push({ command: { type: 'deliverMessage', waitId: wait.id, messageName: wait.messageName, variables: choice.variables } });
        break;
      case 'signal':
        list.push({ command: { type: 'deliverSignal', signalName: wait.signalName, variables: choice.variables } });
        break;
      case 'child':
        list.push({ command: { type: 'completeChild', waitId: wait.id, variables: choice.variables } });
        break;
      case 'continuation':
        list.push({ command: { type: 'continue', waitId: wait.id } });
        break;
    }
  }
  for (const incident of Object.values(state.incidents)) {
    list.push({ command: { type: 'resolveIncident', incidentId: incident.id, retries: Math.max(1, choice.retries) } });
  }
  list.push({ command: { type: 'setVariables', variables: choice.variables } });
  list.push({ command: { type: 'deliverSignal', signalName: 'nobody-listens' } });
  return list;
}

/** Turns a choice into the command to send now, and the clock to send it at. */
function decide(state: InstanceState, now: number, choice: Choice): { command: Command; now: number } {
  // Timers and no-op commands one time in four, so that runs get deep before a timer ends them.
  const all = candidates(state, choice);
  const progressing = all.filter((c) => c.command.type !== 'fireTimer' && c.command.type !== 'setVariables' && c.command.type !== 'deliverSignal');
  const options = choice.pick % 4 === 0 || progressing.length === 0 ? all : progressing;
  const { command, at } = options[Math.floor(choice.pick / 4) % options.length];
  const moved = now + choice.advance;
  return { command, now: at !== undefined ? Math.max(moved, at) : moved };
}

/** What serving every open wait means: complete tasks so the instance makes progress, fire timers, resolve incidents. */
function serve(state: InstanceState, now: number): { command: Command; now: number } {
  const incident = Object.values(state.incidents)[0];
  if (incident) {
    // fix the cause first: conditions read `complete`, `sign`, `review` and the collection `items`
    const fix: Variables = { complete: true, sign: false, review: false, items: [] };
    const vars = state.elements[0].vars ?? {};
    if (incident.kind !== 'job' && Object.keys(fix).some((name) => vars[name] !== fix[name] && !Array.isArray(vars[name]))) {
      return { command: { type: 'setVariables', variables: fix }, now };
    }
    return { command: { type: 'resolveIncident', incidentId: incident.id, retries: 1 }, now };
  }
  const waits = Object.values(state.waits).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  const wait = waits.find((w) => w.kind !== 'timer') ?? waits[0];
  if (!wait) throw new Error(`instance is active but nothing is open: ${JSON.stringify(state)}`);
  switch (wait.kind) {
    case 'task':
      return { command: { type: 'completeTask', taskId: wait.id, variables: { complete: true } }, now };
    case 'job':
      return { command: { type: 'completeJob', jobId: wait.id }, now };
    case 'timer':
      return { command: { type: 'fireTimer', waitId: wait.id }, now: Math.max(now, wait.dueAt) };
    case 'message':
      return { command: { type: 'deliverMessage', waitId: wait.id, messageName: wait.messageName }, now };
    case 'signal':
      return { command: { type: 'deliverSignal', signalName: wait.signalName }, now };
    case 'child':
      return { command: { type: 'completeChild', waitId: wait.id }, now };
    case 'continuation':
      return { command: { type: 'continue', waitId: wait.id }, now };
  }
}

/** Structural invariants that must hold after every step. */
function checkInvariants(state: InstanceState): void {
  for (const wait of Object.values(state.waits)) {
    const owner = state.elements[wait.owner];
    if (!owner) throw new Error(`wait ${wait.id} (${wait.elementId}) has no owner ${wait.owner}`);
    if (!owner.waits?.includes(wait.id)) throw new Error(`owner ${owner.key} does not list wait ${wait.id}`);
  }
  for (const element of Object.values(state.elements)) {
    if (element.parent >= 0 && !state.elements[element.parent]) throw new Error(`element ${element.key} (${element.elementId}) has no parent`);
    for (const id of element.waits ?? []) if (!state.waits[id]) throw new Error(`element ${element.key} lists a closed wait ${id}`);
    if (element.children !== undefined) {
      const actual = Object.values(state.elements).filter((e) => e.parent === element.key).length;
      if (actual !== element.children) throw new Error(`element ${element.key} (${element.elementId}) counts ${element.children} children, has ${actual}`);
    }
  }
  for (const incident of Object.values(state.incidents)) {
    if (!state.elements[incident.elementInstanceKey]) throw new Error(`incident ${incident.id} is on a gone element ${incident.elementId}`);
  }
  if (state.status !== 'active') {
    if (Object.keys(state.waits).length > 0) throw new Error(`ended instance keeps waits: ${Object.keys(state.waits)}`);
    if (Object.keys(state.incidents).length > 0) throw new Error('ended instance keeps incidents');
  }
}

interface Trace {
  commands: { command: Command; now: number }[];
  states: InstanceState[];
  effects: Effect[][];
}

/** Drives an instance with the random choices, keeping the states exactly as `step` returned them. */
function drive(graph: ProcessGraph, start: Variables, choices: Choice[]): Trace {
  const startCommand: Command = { type: 'start', instanceId: 'p1', definitionId: `${graph.processId}:1`, variables: start };
  const first = step(graph, undefined, startCommand, T0);
  const trace: Trace = { commands: [{ command: startCommand, now: T0 }], states: [first.state], effects: [first.effects] };
  checkInvariants(first.state);
  let now = T0;
  for (const choice of choices) {
    const state = trace.states[trace.states.length - 1];
    if (state.status !== 'active') break;
    const next = decide(state, now, choice);
    now = next.now;
    const result = step(graph, state, next.command, now);
    checkInvariants(result.state);
    trace.commands.push(next);
    trace.states.push(result.state);
    trace.effects.push(result.effects);
  }
  return trace;
}

/** Serves every open wait until the instance ends; returns all effects and the end state. */
function driveToEnd(graph: ProcessGraph, state: InstanceState, now: number): { effects: Effect[]; state: InstanceState } {
  const effects: Effect[] = [];
  for (let i = 0; i < 500 && state.status === 'active'; i++) {
    const next = serve(state, now);
    now = next.now;
    const result = step(graph, state, next.command, now);
    checkInvariants(result.state);
    effects.push(...result.effects);
    state = result.state;
  }
  return { effects, state };
}

function roundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const RUNS = { numRuns: 150 };

describe.each(['reference', 'batch'])('runtime/step properties (%s)', (processId) => {
  let graph: ProcessGraph;

  beforeAll(async () => {
    graph = (await loadFixture(FIXTURE)).graphs[processId];
  });

  it('should be deterministic and never mutate the state it is given', () => {
    fc.assert(
      fc.property(startArb[processId], fc.array(choiceArb, { minLength: 3, maxLength: 25, size: 'medium' }), (start, choices) => {
        // given
        const trace = drive(graph, start, choices);

        for (let i = 1; i < trace.commands.length; i++) {
          const input = trace.states[i - 1];
          const before = JSON.stringify(input);
          const { command, now } = trace.commands[i];

          // when
          const again = step(graph, input, command, now);
          const frozen = step(graph, deepFreeze(structuredClone(input)), command, now);

          // then
          expect(JSON.stringify(input)).toBe(before);
          expect(again).toEqual({ state: trace.states[i], effects: trace.effects[i] });
          expect(frozen).toEqual(again);
        }
      }),
      RUNS,
    );
  });

  it('should continue identically from a state that went through JSON, at every wait', () => {
    fc.assert(
      fc.property(startArb[processId], fc.array(choiceArb, { minLength: 3, maxLength: 15, size: 'medium' }), (start, choices) => {
        // given
        const trace = drive(graph, start, choices);

        for (let k = 0; k < trace.states.length; k++) {
          const original = trace.states[k];
          const revived = roundTrip(original);
          expect(revived).toEqual(original);

          // when: the rest of the recorded run, then serve everything to the end
          let a = original;
          let b = revived;
          for (let i = k + 1; i < trace.commands.length; i++) {
            const { command, now } = trace.commands[i];
            const fromA = step(graph, a, command, now);
            const fromB = step(graph, b, command, now);

            // then
            expect(fromB.effects).toEqual(fromA.effects);
            a = fromA.state;
            b = fromB.state;
          }
          const lastNow = trace.commands[trace.commands.length - 1].now;
          const endA = driveToEnd(graph, a, lastNow);
          const endB = driveToEnd(graph, roundTrip(b), lastNow);
          expect(endB.effects).toEqual(endA.effects);
          expect(roundTrip(endB.state)).toEqual(roundTrip(endA.state));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('should always complete when every open wait is served', () => {
    fc.assert(
      fc.property(startArb[processId], fc.array(choiceArb, { minLength: 3, maxLength: 30, size: 'medium' }), (start, choices) => {
        // given
        const trace = drive(graph, start, choices);
        const last = trace.states[trace.states.length - 1];

        // when
        const end = driveToEnd(graph, last, trace.commands[trace.commands.length - 1].now);

        // then
        expect(end.state.status).toBe('completed');
        expect(end.state.waits).toEqual({});
        expect(end.state.incidents).toEqual({});
        expect(Object.keys(end.state.elements)).toEqual(['0']);
        expect(end.state.joins).toEqual({});
      }),
      RUNS,
    );
  });
});
