/**
 * The evaluation budget of FEEL expressions, on the unmodified `feelin` package.
 *
 * Why: a FEEL expression in a deployed model is code written by someone else, and feelin has no
 * bound of its own: `for x in 1..100000000 return x`, a recursive function or a quadratic builtin
 * can hold the event loop for seconds or minutes. Every evaluation therefore runs under a
 * {@link Meter} of operations and of string size. Costs are counted, never timed, so the same
 * expression with the same input always passes or always fails.
 *
 * ## How, without touching feelin
 * The expression is rewritten once (its syntax tree from feelin's own parser) so that every
 * place where work can grow passes through a metering function of ours, which feelin calls like
 * any function found in the evaluation context:
 *
 * | construct                         | rewritten to                                     | charged |
 * |-----------------------------------|--------------------------------------------------|---------|
 * | `x in A..B` (for, some, every)    | `x in (A)..__mcSpan((A), (B))`                   | the range's length, before iterating; non-integer ends refused (feelin would never reach them) |
 * | `x in E`                          | `x in __mcEach(E)`                               | the list's length, before iterating |
 * | `E[filter]`                       | `__mcEach(E)[filter]`                            | the list's length |
 * | `f(args)`                         | `__mcValue(f(args))`                             | 1, plus the result's size |
 * | `function(p) body`                | `function(p) __mcValue(body)`                    | 1 per call (recursion, sort comparators) |
 * | `a + b`, `a - b`, … and `for`     | `__mcValue(…)`                                   | 1, plus the result's size |
 *
 * "Size" charges a string one operation per KiB and refuses one longer than the result bound,
 * and charges a list one operation per element. Nested loops charge their inner domain once per
 * outer element, and a loop over several variables (`for a in l, b in l, c in l`, which feelin
 * expands into every combination at once) charges, at each domain, the product of the domains so
 * far: a cartesian product costs what it iterates, before it is built. Builtins whose own work is worse
 * than linear (`distinct values`, `union`) and the regular-expression builtins (`matches`,
 * `replace`, `split`: JavaScript's RegExp backtracks, so `(a+)+$` on thirty characters takes
 * seconds) are replaced, through the context, by linear implementations of ours
 * (./guarded-builtins.ts). feelin resolves a name in the context before its builtins.
 */
import type { SyntaxNode } from '@lezer/common';
import { isRange, parseExpression } from 'feelin';

/** Which bound an evaluation exceeded. */
export type BudgetLimit = 'operations' | 'result';

/** Thrown by the metering functions when an evaluation exceeds its budget; feelin lets it through. */
export class BudgetExceeded extends Error {
  /** The bound that was exceeded. */
  readonly limit: BudgetLimit;

  constructor(limit: BudgetLimit, message: string) {
    super(message);
    this.name = 'BudgetExceeded';
    this.limit = limit;
  }
}

/** Thrown for an expression the budget cannot run safely (e.g. a loop over a range with non-integer ends). */
export class UnsafeExpression extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeExpression';
  }
}

/** The bounds of one evaluation. */
export interface BudgetLimits {
  /** Operations: elements iterated, functions called, KiB of strings built. */
  maxOperations: number;
  /** Longest string, in UTF-16 code units, built while evaluating. */
  maxResultChars: number;
}

interface Meter {
  left: number;
  readonly limits: BudgetLimits;
  /** Products of the domains of multi-variable loops being evaluated, per loop (a stack: a loop may recur). */
  readonly products: Map<number, number[]>;
}

let meter: Meter | undefined;

/** Runs `evaluate` under a fresh budget (nested calls get their own and restore the outer one). */
export function metered<T>(limits: BudgetLimits, evaluate: () => T): T {
  const outer = meter;
  meter = { left: limits.maxOperations, limits, products: new Map() };
  try {
    return evaluate();
  } finally {
    meter = outer;
  }
}

/** Charges `n` operations; throws {@link BudgetExceeded} once the budget is spent. */
export function spend(n: number): void {
  if (meter !== undefined && (meter.left -= n) < 0) {
    throw new BudgetExceeded('operations', `exceeds the budget of ${meter.limits.maxOperations} operations`);
  }
}

/** The longest string the running evaluation may build (Infinity outside one). */
export function maxResultChars(): number {
  return meter?.limits.maxResultChars ?? Number.POSITIVE_INFINITY;
}

/** Charges a value by its size: a list per element, a string per KiB (refused past the bound). */
export function chargeSize(value: unknown): void {
  if (typeof value === 'string') {
    if (value.length > maxResultChars()) {
      throw new BudgetExceeded('result', `builds a string of ${value.length} characters, more than the limit of ${maxResultChars()}`);
    }
    if (value.length >= 1024) spend(value.length >> 10);
  } else if (Array.isArray(value)) {
    spend(value.length);
  }
}

/** Length of a numeric range, for charging before a loop runs over it. */
function rangeLength(start: unknown, end: unknown): number {
  if (typeof start !== 'number' || typeof end !== 'number') return 1;
  if (!Number.isInteger(start) || !Number.isInteger(end)) {
    throw new UnsafeExpression(`a loop over the range ${start}..${end} needs whole-number ends`);
  }
  return Math.abs(end - start) + 1;
}

/**
 * Charges a loop domain of `size`: on its own, its size; as domain `index` of the `count`
 * domains of the multi-variable loop `loop`, the product of the domains up to it.
 */
function chargeDomain(size: number, loop?: number, index?: number, count?: number): void {
  if (loop === undefined || index === undefined || count === undefined || meter === undefined) {
    spend(size);
    return;
  }
  let stack = meter.products.get(loop);
  if (stack === undefined) meter.products.set(loop, (stack = []));
  if (index === 0) stack.push(1);
  const product = (stack[stack.length - 1] ?? 1) * Math.max(size, 1);
  stack[stack.length - 1] = product;
  if (index === count - 1) stack.pop();
  spend(product);
}

function domainSize(value: unknown): number {
  if (Array.isArray(value)) return value.length + 1;
  if (isRange(value)) return rangeLength((value as { start: unknown }).start, (value as { end: unknown }).end);
  return 1;
}

/** The metering functions, by the names the rewritten expression calls. */
export const METERING_FUNCTIONS: Readonly<Record<string, (...args: any[]) => unknown>> = Object.freeze({
  __mcSpan: (start: unknown, end: unknown, loop?: number, index?: number, count?: number) => {
    chargeDomain(rangeLength(start, end), loop, index, count);
    return end;
  },
  __mcEach: (value: unknown, loop?: number, index?: number, count?: number) => {
    chargeDomain(domainSize(value), loop, index, count);
    return value;
  },
  __mcValue: (value: unknown) => {
    spend(1);
    chargeSize(value);
    return value;
  },
});

/** Names the rewriting may call (never a user variable: they start with two underscores). */
export const METERING_NAMES = Object.keys(METERING_FUNCTIONS);

/** Node types whose value is wrapped in `__mcValue(...)`. */
const VALUE_NODES = new Set(['FunctionInvocation', 'ArithmeticExpression', 'ForExpression']);

/**
 * Rewrites a FEEL expression (without its leading `=`) so that its evaluation is metered (see the
 * module comment). `names` are the variables of the context, which feelin's parser needs to read
 * names with spaces. Throws what feelin's parser throws for a syntax error.
 */
export function meterExpression(feel: string, names: Record<string, unknown> = {}): string {
  const tree = parseExpression(feel, { ...names, ...METERING_FUNCTIONS }, undefined);
  return rewrite(tree.topNode, feel);
}

/** Where an iteration context sits in a multi-variable loop: `loop` id, its `index` of `count` domains. */
interface Domain {
  loop: number;
  index: number;
  count: number;
}

/** The text of a node with its children rewritten; iterative over siblings, recursive over depth. */
function rewrite(node: SyntaxNode, source: string, domain?: Domain): string {
  const children: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) children.push(child);

  if (node.name === 'InExpressions') {
    const ins = children.filter((c) => c.name === 'InExpression');
    if (ins.length < 2) return spliced(node, children, source);
    return spliced(node, children, source, (child) => ({ loop: node.from, index: ins.indexOf(child), count: ins.length }));
  }
  if (node.name === 'InExpression' && domain) {
    return spliced(node, children, source, (child) => (child.name === 'IterationContext' ? domain : undefined));
  }
  if (node.name === 'IterationContext') {
    const where = domain ? `, ${domain.loop}, ${domain.index}, ${domain.count}` : '';
    const dots = children.findIndex((c) => c.name === '..');
    if (dots > 0 && dots < children.length - 1) {
      const start = rewrite(children[0], source);
      const end = rewrite(children[dots + 1], source);
      return `(${start})..__mcSpan((${start}), (${end})${where})`;
    }
    return `__mcEach(${spliced(node, children, source)}${where})`;
  }
  if (node.name === 'FilterExpression' && children.length > 0) {
    const [base] = children;
    return `__mcEach(${rewrite(base, source)})${spliced(node, children.slice(1), source, undefined, base.to)}`;
  }
  if (node.name === 'FunctionBody') return `__mcValue(${spliced(node, children, source)})`;
  const inner = spliced(node, children, source);
  return VALUE_NODES.has(node.name) ? `__mcValue(${inner})` : inner;
}

/** The source of `node` from `from`, each child replaced by its rewriting (with the domain `domainOf` gives it). */
function spliced(node: SyntaxNode, children: SyntaxNode[], source: string, domainOf?: (child: SyntaxNode) => Domain | undefined, from = node.from): string {
  let text = '';
  let at = from;
  for (const child of children) {
    const domain = domainOf?.(child);
    text += source.slice(at, child.from) + rewrite(child, source, domain && domain.index >= 0 ? domain : undefined);
    at = child.to;
  }
  return text + source.slice(at, node.to);
}
