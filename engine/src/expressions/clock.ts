/**
 * The clock FEEL's `now()` and `today()` read: the step's `now`, never the wall clock.
 *
 * Why: the runtime is pure (`step(graph, state, command, now)`): the same command at the same
 * `now` must give the same result, on replay, in tests with a fixed clock, and on any node. feelin's
 * own `now()` reads `Date.now()`; inside a step these names resolve (through the evaluation context,
 * which feelin reads before its builtins) to functions of the step's time. Outside a step (a deploy
 * check, a tool) there is no step clock and feelin's builtins answer.
 */
import { date, dateAndTime } from 'feelin';

let clock: number | undefined;

/** Runs `fn` with FEEL's clock at `now` (epoch ms); nested calls restore the outer clock. */
export function withEvaluationClock<T>(now: number, fn: () => T): T {
  const outer = clock;
  clock = now;
  try {
    return fn();
  } finally {
    clock = outer;
  }
}

/** `now()` and `today()` at the step's time (UTC, as feelin's own), or undefined outside a step. */
export function clockFunctions(): Record<string, () => unknown> | undefined {
  if (clock === undefined) return undefined;
  const iso = new Date(clock).toISOString();
  return {
    now: () => dateAndTime(iso),
    today: () => date(iso.slice(0, 10)),
  };
}
