/**
 * Rules about sequence flows leaving a node: conditions where they are
 * evaluated and nowhere else, default flows that really leave their node, and
 * what may follow an event-based gateway.
 *
 * Conditions are evaluated on flows leaving exclusive and inclusive gateways
 * and activities (BPMN "conditional flows"); on flows leaving parallel and
 * event-based gateways and events they would be silently ignored, so they are
 * refused.
 */
import type { CompileContext } from './compile-context';
import type { FlowNode } from './graph';
import { describeType } from './moddle-element';

/** Reports misplaced conditions, bad default flows and bad event-based gateway targets. */
export function validateFlows(ctx: CompileContext): void {
  const { graph } = ctx;
  for (const node of Object.values(graph.nodes)) {
    if (ctx.standIns.has(node.id)) continue;
    const label = `${describeType(ctx.elements.get(node.id)?.$type ?? node.type)} '${node.id}'`;
    const defaultFlow = 'defaultFlow' in node ? node.defaultFlow : undefined;
    if (defaultFlow !== undefined) {
      if (!node.outgoing.includes(defaultFlow)) {
        ctx.report(node.id, `default flow '${defaultFlow}' of ${label} is not one of its outgoing flows`);
      } else if (graph.flows[defaultFlow].condition !== undefined) {
        ctx.report(defaultFlow, `default flow '${defaultFlow}' of ${label} has a condition; a default flow is taken when no condition holds and must have none`);
      }
    }
    switch (node.type) {
      case 'exclusiveGateway':
      case 'inclusiveGateway': {
        const kind = node.type === 'exclusiveGateway' ? 'exclusive' : 'inclusive';
        if (node.outgoing.length > 1) {
          for (const flowId of node.outgoing) {
            if (flowId !== defaultFlow && graph.flows[flowId].condition === undefined) {
              ctx.report(flowId, `${kind} gateway flow '${flowId}' has no condition and is not the default flow (gateway '${node.id}')`);
            }
          }
        }
        break;
      }
      case 'parallelGateway':
        refuseConditions(ctx, node, `conditions on flows leaving a parallel gateway are not evaluated`);
        break;
      case 'eventBasedGateway':
        refuseConditions(ctx, node, `conditions on flows leaving an event-based gateway are not evaluated`);
        validateEventBasedTargets(ctx, node);
        break;
      case 'startEvent':
      case 'intermediateCatchEvent':
      case 'intermediateThrowEvent':
      case 'boundaryEvent':
        refuseConditions(ctx, node, `conditions on flows leaving an event are not evaluated`);
        break;
    }
  }
}

function refuseConditions(ctx: CompileContext, node: FlowNode, reason: string): void {
  for (const flowId of node.outgoing) {
    if (ctx.graph.flows[flowId].condition !== undefined) {
      ctx.report(flowId, `${reason} (flow '${flowId}' leaves '${node.id}')`);
    }
  }
}

/** After an event-based gateway: message, timer or signal catch events, or receive tasks; at least two of them. */
function validateEventBasedTargets(ctx: CompileContext, gateway: FlowNode): void {
  if (gateway.outgoing.length < 2) {
    ctx.report(gateway.id, `event-based gateway '${gateway.id}' has ${gateway.outgoing.length} outgoing flow(s); it needs at least two`);
  }
  for (const flowId of gateway.outgoing) {
    const target = ctx.graph.nodes[ctx.graph.flows[flowId].target];
    if (ctx.standIns.has(target.id)) continue;
    const fits =
      target.type === 'receiveTask' ||
      (target.type === 'intermediateCatchEvent' && target.eventDefinition.kind !== 'link');
    if (!fits) {
      ctx.report(
        target.id,
        `${describeType(ctx.elements.get(target.id)?.$type ?? target.type)} '${target.id}' follows event-based gateway '${gateway.id}'; ` +
          'only message, timer or signal intermediate catch events and receive tasks may follow one',
      );
    }
  }
}
