/**
 * Per scope (the process and each sub-process): the start events it needs,
 * its link events, and that every node can be reached. Fills the scope's
 * `noneStart` and `linkTargets`.
 *
 * - A process needs at least one start event and at most one none start event.
 * - An embedded sub-process needs exactly one start event, a none start event.
 * - An event sub-process needs exactly one start event, with an event definition.
 * - Link throw events need a catch event of the same name in the same scope;
 *   a link name is caught by one catch event only.
 * - Every node must be reachable from an entry point of its scope: its start
 *   events, boundary events and event sub-processes (which start on their
 *   own), following flows and links. Elements refused for other reasons
 *   (stand-ins) count as entry points, so that one refused element does not
 *   make everything behind it "unreachable" as well.
 */
import type { CompileContext } from './compile-context';
import type { FlowNode, ScopeInfo } from './graph';
import { describeType } from './moddle-element';
import { reachableFrom } from './reachability';

/** Checks every scope of the graph being compiled. */
export function validateScopes(ctx: CompileContext): void {
  for (const scope of Object.values(ctx.graph.scopes)) {
    const hasStart = validateStartEvents(ctx, scope);
    validateLinks(ctx, scope);
    if (hasStart) validateReachability(ctx, scope);
  }
}

function scopeLabel(ctx: CompileContext, scope: ScopeInfo): string {
  if (scope.id === ctx.graph.processId) return `process '${scope.id}'`;
  const node = ctx.graph.nodes[scope.id];
  return node?.type === 'subProcess' && node.triggeredByEvent ? `event sub-process '${scope.id}'` : `sub-process '${scope.id}'`;
}

/** Start events as drawn (stand-ins included, so a refused start event still counts as one). */
function startEventIds(ctx: CompileContext, scope: ScopeInfo): string[] {
  return scope.children.filter((id) => ctx.elements.get(id)?.$type === 'bpmn:StartEvent');
}

function validateStartEvents(ctx: CompileContext, scope: ScopeInfo): boolean {
  const starts = startEventIds(ctx, scope);
  const label = scopeLabel(ctx, scope);
  const noneStarts = starts.filter((id) => {
    const node = ctx.graph.nodes[id];
    return node.type === 'startEvent' && node.eventDefinition === undefined;
  });
  if (noneStarts.length > 0) scope.noneStart = noneStarts[0];
  if (scope.children.length === 0) {
    ctx.report(scope.id, `${label} is empty; it needs at least a start event`);
    return false;
  }
  if (starts.length === 0) {
    const what = scope.id === ctx.graph.processId ? 'a start event' : label.startsWith('event') ? 'a start event with an event definition' : 'a none start event';
    ctx.report(scope.id, `${label} has no start event; it needs ${what}`);
    return false;
  }
  if (scope.id === ctx.graph.processId) {
    if (noneStarts.length > 1) ctx.report(scope.id, `${label} has ${noneStarts.length} none start events (${noneStarts.join(', ')}); at most one is allowed`);
  } else if (starts.length > 1) {
    const what = label.startsWith('event') ? 'one start event' : 'one none start event';
    ctx.report(scope.id, `${label} has ${starts.length} start events (${starts.join(', ')}); it needs exactly ${what}`);
  }
  return true;
}

function linkDefinition(node: FlowNode) {
  const definition = 'eventDefinition' in node ? node.eventDefinition : undefined;
  return definition?.kind === 'link' ? definition : undefined;
}

function validateLinks(ctx: CompileContext, scope: ScopeInfo): void {
  const throws: FlowNode[] = [];
  for (const id of scope.children) {
    const node = ctx.graph.nodes[id];
    const link = linkDefinition(node);
    if (!link) continue;
    if (node.type === 'intermediateThrowEvent') {
      throws.push(node);
    } else if (scope.linkTargets[link.linkName] !== undefined) {
      ctx.report(id, `link catch event '${id}' has the link name '${link.linkName}' of link catch event '${scope.linkTargets[link.linkName]}' in the same scope`);
    } else {
      scope.linkTargets[link.linkName] = id;
    }
  }
  for (const node of throws) {
    const name = linkDefinition(node)!.linkName;
    if (scope.linkTargets[name] === undefined) {
      ctx.report(node.id, `link throw event '${node.id}' has no link catch event named '${name}' in ${scopeLabel(ctx, scope)}`);
    }
  }
}

function validateReachability(ctx: CompileContext, scope: ScopeInfo): void {
  const entries = scope.children.filter((id) => {
    const node = ctx.graph.nodes[id];
    return (
      node.type === 'startEvent' ||
      node.type === 'boundaryEvent' ||
      (node.type === 'subProcess' && node.triggeredByEvent) ||
      (ctx.standIns.has(id) && node.incoming.length === 0)
    );
  });
  const reached = reachableFrom(ctx.graph, scope.id, entries);
  for (const id of scope.children) {
    if (reached.has(id) || ctx.standIns.has(id)) continue;
    const type = describeType(ctx.elements.get(id)?.$type ?? ctx.graph.nodes[id].type);
    ctx.report(id, `${type} '${id}' is unreachable: no path of sequence flows leads to it from a start event of ${scopeLabel(ctx, scope)}`);
  }
}
