/**
 * Rules about how nodes connect, checked on the compiled graph: boundary
 * events sit on activities of their own scope, start and boundary events have
 * no incoming flows, end events no outgoing ones, event sub-processes neither.
 */
import type { CompileContext } from './compile-context';
import type { FlowNode } from './graph';
import { describeType } from './moddle-element';

const ACTIVITY_TYPES: ReadonlySet<FlowNode['type']> = new Set([
  'task', 'manualTask', 'userTask', 'serviceTask', 'sendTask', 'businessRuleTask', 'receiveTask', 'scriptTask',
  'subProcess', 'callActivity',
]);

/** True for tasks, sub-processes and call activities. */
export function isActivity(node: FlowNode): boolean {
  return ACTIVITY_TYPES.has(node.type);
}

/** Reports misplaced boundary events and flows into or out of nodes that cannot have them. */
export function validateStructure(ctx: CompileContext): void {
  const { graph } = ctx;
  for (const node of Object.values(graph.nodes)) {
    if (ctx.standIns.has(node.id)) continue;
    const label = `${describeType(ctx.elements.get(node.id)?.$type ?? node.type)} '${node.id}'`;
    switch (node.type) {
      case 'boundaryEvent': {
        const host = graph.nodes[node.attachedTo];
        if (!host) {
          ctx.report(node.id, `${label} is attached to '${node.attachedTo}', which is not a flow node of this process`);
        } else if (!ctx.standIns.has(host.id) && !isActivity(host)) {
          ctx.report(node.id, `${label} is attached to ${describeType(ctx.elements.get(host.id)!.$type)} '${host.id}'; boundary events can only be attached to activities`);
        } else if (host.type === 'subProcess' && host.triggeredByEvent) {
          ctx.report(node.id, `${label} is attached to event sub-process '${host.id}', which cannot have boundary events`);
        } else if (host.scope !== node.scope) {
          ctx.report(node.id, `${label} is in '${node.scope}' but its activity '${host.id}' is in '${host.scope}'`);
        }
        if (node.incoming.length > 0) ctx.report(node.id, `${label} has incoming sequence flows (${node.incoming.join(', ')}); boundary events cannot have any`);
        break;
      }
      case 'startEvent':
        if (node.incoming.length > 0) ctx.report(node.id, `${label} has incoming sequence flows (${node.incoming.join(', ')}); start events cannot have any`);
        break;
      case 'endEvent':
        if (node.outgoing.length > 0) ctx.report(node.id, `${label} has outgoing sequence flows (${node.outgoing.join(', ')}); end events cannot have any`);
        break;
      case 'subProcess':
        if (node.triggeredByEvent && (node.incoming.length > 0 || node.outgoing.length > 0)) {
          ctx.report(node.id, `event sub-process '${node.id}' has sequence flows (${[...node.incoming, ...node.outgoing].join(', ')}); it is started by its start event only`);
        }
        break;
      case 'intermediateCatchEvent':
        if (node.eventDefinition.kind === 'link' && node.incoming.length > 0) {
          ctx.report(node.id, `link ${label} has incoming sequence flows (${node.incoming.join(', ')}); a link catch event is entered through its link only`);
        }
        break;
      case 'intermediateThrowEvent':
        if (node.eventDefinition?.kind === 'link' && node.outgoing.length > 0) {
          ctx.report(node.id, `link ${label} has outgoing sequence flows (${node.outgoing.join(', ')}); a link throw event continues at its link catch only`);
        }
        break;
    }
  }
}
