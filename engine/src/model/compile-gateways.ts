/**
 * Gateways. Flow-level rules (conditions, default flows, what may follow an
 * event-based gateway) need the outgoing flows and are checked on the graph
 * in `validate-flows.ts`.
 */
import type { CompileContext } from './compile-context';
import { compileDefaultFlow } from './compile-activity';
import { nodeBase, standIn } from './compile-node-base';
import type { FlowNode, GatewayNode } from './graph';
import { type BpmnElement, describeElement } from './moddle-element';

const TYPES: Record<string, GatewayNode['type']> = {
  'bpmn:ExclusiveGateway': 'exclusiveGateway',
  'bpmn:ParallelGateway': 'parallelGateway',
  'bpmn:InclusiveGateway': 'inclusiveGateway',
  'bpmn:EventBasedGateway': 'eventBasedGateway',
};

/** An exclusive, parallel, inclusive or event-based gateway. */
export function compileGateway(ctx: CompileContext, gateway: BpmnElement, scope: string): FlowNode {
  const type = TYPES[gateway.$type];
  if (type === 'eventBasedGateway') {
    if (gateway.instantiate) {
      ctx.report(gateway.id!, `${describeElement(gateway)} instantiates the process (instantiate="true"), which is not supported; use message or timer start events`);
      return standIn(ctx, gateway, scope);
    }
    if (gateway.eventGatewayType === 'Parallel') {
      ctx.report(gateway.id!, `${describeElement(gateway)} is a parallel event-based gateway (eventGatewayType="Parallel"), which is not supported`);
      return standIn(ctx, gateway, scope);
    }
  }
  const node: GatewayNode = { ...nodeBase(ctx, gateway, scope), type };
  if (type === 'exclusiveGateway' || type === 'inclusiveGateway') {
    const defaultFlow = compileDefaultFlow(ctx, gateway);
    if (defaultFlow !== undefined) node.defaultFlow = defaultFlow;
  }
  return node;
}

/** True for the `$type` of a gateway this engine runs. */
export function isSupportedGateway(type: string): boolean {
  return type in TYPES;
}
