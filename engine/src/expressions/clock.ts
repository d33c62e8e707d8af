/**
 * The clock and the seed FEEL reads inside a step: `now()` and `today()` at the step's `now`,
 * `uuid()` and `random number()` from the step's seed; never the wall clock or Math.random.
 *
 * Why: the runtime is pure (`step(graph, state, command, now)`): the same command at the same
 * `now` must give the same result, on replay, in tests with a fixed clock, and on any node. feelin's
 * own `now()` reads `Date.now()`; inside a step these names resolve (through the evaluation context,
 * which feelin reads before its builtins) to functions of the step's time and seed. Outside a step
 * (a deploy check, a tool) there is no step clock: feelin's builtins answer, and `uuid()` is random.
 *
 * The seed is a text that identifies the step (the runtime derives it from the instance, its key
 * counter and the command); the n-th value drawn in the step is the SHA-256 of the seed and n
 * (`@noble/hashes`: pure JavaScript, so the model compiler stays browser-safe for the modeler's lint).
 */
import { sha256 } from '@noble/hashes/sha2';
import { date, dateAndTime } from 'feelin';
import { seededFunctions } from './camunda-functions';

interface StepInputs {
  now: number;
  seed?: () => string;
  /** The seed once computed (it may cost a serialisation: computed only when a value is drawn). */
  seedText?: string;
  drawn: number;
}

let inputs: StepInputs | undefined;

/**
 * Runs `fn` with FEEL's clock at `now` (epoch ms) and, when given, `seed` as the source of
 * `uuid()` and `random number()` (called at most once, on the first value drawn); nested calls
 * restore the outer clock.
 */
export function withEvaluationClock<T>(now: number, fn: () => T, seed?: () => string): T {
  const outer = inputs;
  inputs = { now, seed, drawn: 0 };
  try {
    return fn();
  } finally {
    inputs = outer;
  }
}

/** Outside a step: the platform's cryptographic random source (Node ≥ 19 and browsers have `crypto` global). */
const RANDOM_FUNCTIONS = seededFunctions(() => globalThis.crypto.getRandomValues(new Uint8Array(16)));

function drawFromSeed(): Uint8Array {
  const step = inputs as StepInputs;
  step.seedText ??= (step.seed as () => string)();
  const digest = sha256(new TextEncoder().encode(`${step.seedText}\u0000${step.drawn++}`));
  return digest.slice(0, 16);
}

const SEEDED_FUNCTIONS = seededFunctions(drawFromSeed);

/** `now()` and `today()` at the step's time (UTC, as feelin's own), or undefined outside a step. */
export function clockFunctions(): Record<string, () => unknown> | undefined {
  if (inputs === undefined) return undefined;
  const iso = new Date(inputs.now).toISOString();
  return {
    now: () => dateAndTime(iso),
    today: () => date(iso.slice(0, 10)),
  };
}

/** `uuid()` and `random number()`: from the step's seed inside a step that has one, else random. */
export function randomFunctions(): Record<string, (...args: any[]) => unknown> {
  return inputs?.seed === undefined ? RANDOM_FUNCTIONS : SEEDED_FUNCTIONS;
}
