/**
 * Graph walks over sequence flows inside one scope: what a scope's entry
 * points reach, and which nodes can still lead to an inclusive join.
 *
 * Two kinds of edges exist besides sequence flows: a boundary event "follows"
 * the activity it is attached to, and a link catch event follows every link
 * throw event of the same name in the same scope.
 */
import type { FlowNode, ProcessGraph } from './graph';

/** Link throw and catch events of one scope, by link name. */
function linkEvents(graph: ProcessGraph, scopeId: string) {
  const throws = new Map<string, string[]>();
  const catches = new Map<string, string[]>();
  for (const id of graph.scopes[scopeId]?.children ?? []) {
    const node = graph.nodes[id];
    const definition = 'eventDefinition' in node ? node.eventDefinition : undefined;
    if (definition?.kind !== 'link') continue;
    const into = node.type === 'intermediateThrowEvent' ? throws : catches;
    into.set(definition.linkName, [...(into.get(definition.linkName) ?? []), id]);
  }
  return { throws, catches };
}

/** The nodes that follow `node` directly: flow targets, attached boundary events, link catches. */
function successors(graph: ProcessGraph, node: FlowNode, catches: Map<string, string[]>): string[] {
  const next = node.outgoing.map((flowId) => graph.flows[flowId].target);
  next.push(...node.boundaryEvents);
  if (node.type === 'intermediateThrowEvent' && node.eventDefinition?.kind === 'link') {
    next.push(...(catches.get(node.eventDefinition.linkName) ?? []));
  }
  return next;
}

/**
 * Every node of scope `scopeId` reachable from `entries` (including them),
 * following sequence flows, boundary attachments and links.
 */
export function reachableFrom(graph: ProcessGraph, scopeId: string, entries: Iterable<string>): Set<string> {
  const { catches } = linkEvents(graph, scopeId);
  const reached = new Set<string>();
  const stack = [...entries];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (reached.has(id) || !graph.nodes[id]) continue;
    reached.add(id);
    stack.push(...successors(graph, graph.nodes[id], catches));
  }
  return reached;
}

/**
 * The nodes of the gateway's scope from which a token can still reach the
 * inclusive gateway `gatewayId` without passing through it: a backward walk
 * over incoming flows, from a boundary event to its activity (a token waiting
 * in the activity may leave through the event), and from a link catch to its
 * throws. In document order.
 */
export function inclusiveJoinSources(graph: ProcessGraph, gatewayId: string): string[] {
  const gateway = graph.nodes[gatewayId];
  const { throws } = linkEvents(graph, gateway.scope);
  const sources = new Set<string>();
  const stack = gateway.incoming.map((flowId) => graph.flows[flowId].source);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === gatewayId || sources.has(id)) continue;
    const node = graph.nodes[id];
    if (!node) continue;
    sources.add(id);
    stack.push(...node.incoming.map((flowId) => graph.flows[flowId].source));
    if (node.type === 'boundaryEvent') stack.push(node.attachedTo);
    if (node.type === 'intermediateCatchEvent' && node.eventDefinition.kind === 'link') {
      stack.push(...(throws.get(node.eventDefinition.linkName) ?? []));
    }
  }
  return (graph.scopes[gateway.scope]?.children ?? []).filter((id) => sources.has(id));
}
