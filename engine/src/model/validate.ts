/**
 * The checks that need the whole compiled graph of a process, in one place.
 * Each concern has its own file; this only runs them in order.
 */
import type { CompileContext } from './compile-context';
import { validateCalls } from './validate-calls';
import { validateExpressions } from './validate-expressions';
import { validateFlows } from './validate-flows';
import { validateScopes } from './validate-scopes';
import { validateStructure } from './validate-structure';

/**
 * Runs every graph-level check on the process being compiled: structure,
 * flows, scopes (start events, links, reachability), expressions, calls.
 * Reports into the context; fills `noneStart`, `linkTargets` and `calledProcesses`.
 */
export function validateGraph(ctx: CompileContext): void {
  validateStructure(ctx);
  validateFlows(ctx);
  validateScopes(ctx);
  validateExpressions(ctx);
  validateCalls(ctx);
}
