/**
 * Prepares a BPMN document for the modeler. Many documents (written by hand, by other
 * tools, our own processes/) omit each node's `<bpmn:incoming>`/`<bpmn:outgoing>`,
 * which bpmnlint's rules and bpmn-auto-layout both read: those references are filled
 * in from the sequence flows. A document without a diagram (BPMN DI) is laid out.
 */
import { layoutProcess } from 'bpmn-auto-layout';

/** True when the document has a diagram to draw. */
export function hasDiagram(xml: string): boolean {
  return /<([\w-]+:)?BPMNPlane[\s>]/.test(xml);
}

/** Fills each flow node's `incoming`/`outgoing` from the sequence flows of a process (and its sub-processes). */
export function linkFlows(container: any): void {
  const elements: any[] = container.flowElements ?? [];
  for (const element of elements) {
    if (element.$type === 'bpmn:SequenceFlow') {
      const { sourceRef, targetRef } = element;
      if (sourceRef) {
        sourceRef.outgoing = sourceRef.outgoing ?? [];
        if (!sourceRef.outgoing.includes(element)) sourceRef.outgoing.push(element);
      }
      if (targetRef) {
        targetRef.incoming = targetRef.incoming ?? [];
        if (!targetRef.incoming.includes(element)) targetRef.incoming.push(element);
      }
    }
    if (element.flowElements) linkFlows(element);
  }
}

/** Links the flows of every process of imported definitions (cheap: no parse, no XML). */
export function linkAllFlows(definitions: any): void {
  for (const root of definitions?.rootElements ?? []) if (root.$type === 'bpmn:Process') linkFlows(root);
}

/** A document without a diagram, laid out (its flows linked first, as the layout follows them). */
export async function layoutDocument(xml: string, moddle: any): Promise<string> {
  const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
  linkAllFlows(rootElement);
  const { xml: linked } = await moddle.toXML(rootElement);
  return layoutProcess(linked);
}
