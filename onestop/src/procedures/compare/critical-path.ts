/**
 * The longest path through a model's flow graph, where each node costs its statutory
 * time: the time a dossier takes when every step uses all the time the law gives it.
 *
 * Why the longest path and not a sum: parallel branches run at once, so each is counted
 * once (the join waits for the longest), and of exclusive alternatives the worst one
 * counts (the figure is an upper bound, as statutory time is). Loops (a supplement sending
 * the dossier back to examination) are taken once: the edges that close a cycle, found by
 * a depth-first search from the sources, are left out; the applicant's supplement time
 * does not count against the agencies anyway.
 */

/** A directed graph: node ids with their cost, and edges between them. */
export interface PathGraph {
  /** Node id → cost (working days); every node that an edge names must be here. */
  costs: ReadonlyMap<string, number>;
  edges: ReadonlyArray<{ from: string; to: string }>;
}

/** The longest path: its total cost and its nodes in order. */
export interface CriticalPath {
  total: number;
  nodes: string[];
}

/**
 * The longest path of `graph` from any node without incoming edges (or, for a part
 * that is only a cycle, from its first node in insertion order). Iterative, so a
 * model of many thousands of nodes cannot overflow the stack.
 */
export function criticalPath(graph: PathGraph): CriticalPath {
  const ids = [...graph.costs.keys()];
  const outgoing = new Map<string, string[]>(ids.map((id) => [id, []]));
  const indegree = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const { from, to } of graph.edges) {
    if (!outgoing.has(from) || !outgoing.has(to)) continue;
    outgoing.get(from)!.push(to);
    indegree.set(to, indegree.get(to)! + 1);
  }
  const back = backEdges(ids, outgoing, indegree);

  // Longest path over what is left (a DAG), in topological order (Kahn).
  const remaining = new Map(ids.map((id) => [id, 0]));
  for (const [from, targets] of outgoing) for (const to of targets) if (!back.has(`${from}\u0000${to}`)) remaining.set(to, remaining.get(to)! + 1);
  const best = new Map<string, number>();
  const previous = new Map<string, string>();
  const queue = ids.filter((id) => remaining.get(id) === 0);
  for (const id of queue) best.set(id, cost(graph, id));
  for (let i = 0; i < queue.length; i++) {
    const from = queue[i];
    for (const to of outgoing.get(from)!) {
      if (back.has(`${from}\u0000${to}`)) continue;
      const through = best.get(from)! + cost(graph, to);
      if (!best.has(to) || through > best.get(to)!) {
        best.set(to, through);
        previous.set(to, from);
      }
      remaining.set(to, remaining.get(to)! - 1);
      if (remaining.get(to) === 0) queue.push(to);
    }
  }

  let end: string | undefined;
  for (const [id, value] of best) if (end === undefined || value > best.get(end)!) end = id;
  if (end === undefined) return { total: 0, nodes: [] };
  const nodes: string[] = [];
  for (let id: string | undefined = end; id !== undefined; id = previous.get(id)) nodes.unshift(id);
  return { total: best.get(end)!, nodes };
}

function cost(graph: PathGraph, id: string): number {
  const value = graph.costs.get(id) ?? 0;
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** The edges that close a cycle in a depth-first search from the sources, then from any node not reached. */
function backEdges(ids: string[], outgoing: Map<string, string[]>, indegree: Map<string, number>): Set<string> {
  const back = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const roots = [...ids.filter((id) => indegree.get(id) === 0), ...ids];
  for (const root of roots) {
    if (state.has(root)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const targets = outgoing.get(top.id)!;
      if (top.next === targets.length) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const to = targets[top.next++];
      const seen = state.get(to);
      if (seen === 'open') back.add(`${top.id}\u0000${to}`);
      else if (seen === undefined) {
        state.set(to, 'open');
        stack.push({ id: to, next: 0 });
      }
    }
  }
  return back;
}
