/**
 * Compiled graphs of stored definitions, by definition id. A definition never changes once
 * stored, so a graph is compiled once per process and kept (a failed compile is not kept).
 */
import { NotFoundError } from '../errors';
import { NO_MODEL_LIMITS } from '../limits';
import { loadProcessModels } from '../model';
import type { ProcessGraph } from '../model/graph';
import type { DefinitionRecord, EngineStore, StoreTransaction } from '../store/ports';

export class GraphCache {
  private readonly graphs = new Map<string, Promise<ProcessGraph>>();

  constructor(private readonly store: EngineStore) {}

  /** The graph of a definition, read in a transaction of its own when not compiled yet. */
  graph(definitionId: string): Promise<ProcessGraph> {
    let cached = this.graphs.get(definitionId);
    if (!cached) {
      cached = (async () => {
        const definition = await this.store.transaction((tx) => tx.definitionById(definitionId));
        if (!definition) throw new NotFoundError(`definition '${definitionId}' does not exist`, { definitionId });
        return compileStored(definition);
      })();
      this.remember(definitionId, cached);
    }
    return cached;
  }

  /** The graph of a definition, read inside `tx` when not compiled yet (on the embedded database a read outside it would wait for the connection it holds). */
  async graphIn(tx: StoreTransaction, definitionId: string): Promise<ProcessGraph> {
    const cached = this.graphs.get(definitionId);
    if (cached) return cached;
    const definition = await tx.definitionById(definitionId);
    if (!definition) throw new NotFoundError(`definition '${definitionId}' does not exist`, { definitionId });
    const compiled = compileStored(definition);
    this.remember(definitionId, compiled);
    return compiled;
  }

  private remember(definitionId: string, graph: Promise<ProcessGraph>): void {
    this.graphs.set(definitionId, graph);
    graph.catch(() => this.graphs.delete(definitionId));
  }
}

async function compileStored(definition: DefinitionRecord): Promise<ProcessGraph> {
  // Accepted once: a limit lowered since must not make it unloadable (run-time checks still apply);
  // nor may a rule made since (a version deployed from an isExecutable="false" process before
  // such processes were refused keeps running its instances).
  const { graphs } = await loadProcessModels(definition.xml, { maxBytes: Number.MAX_SAFE_INTEGER, knownProcessIds: () => true, limits: NO_MODEL_LIMITS, includeNotExecutable: true });
  const graph = graphs.find((g) => g.processId === definition.processId);
  if (!graph) throw new NotFoundError(`process '${definition.processId}' is missing from its stored XML`);
  // A model without an agency belongs to the agency recorded at deploy (its process id's owner): its steps too.
  if (definition.agency !== undefined && graph.facts?.agency === undefined) return { ...graph, facts: { ...graph.facts, agency: definition.agency } };
  return graph;
}
