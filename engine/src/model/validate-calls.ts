/**
 * Call activities with a static process id must call a process that exists:
 * one of the same document, or one the caller says is deployed. Also lists
 * the graph's `calledProcesses`.
 */
import { isFeel } from '../expressions';
import type { CompileContext } from './compile-context';

/** Reports calls to unknown processes and fills `graph.calledProcesses`. */
export function validateCalls(ctx: CompileContext): void {
  const called = new Set<string>();
  for (const node of Object.values(ctx.graph.nodes)) {
    if (node.type !== 'callActivity' || isFeel(node.calledElement)) continue;
    const processId = node.calledElement.trim();
    called.add(processId);
    if (!ctx.document.processIds.has(processId) && !ctx.document.knownProcessIds(processId)) {
      ctx.report(node.id, `call activity '${node.id}' calls process '${processId}', which is neither in this document nor deployed`);
    }
  }
  ctx.graph.calledProcesses = [...called];
}
