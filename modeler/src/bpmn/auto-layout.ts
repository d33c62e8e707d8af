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

function linkFlows(container: any): void {
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

/** The document with its flows linked to their nodes, laid out when it had no diagram. */
export async function prepareDocument(xml: string, moddle: any): Promise<{ xml: string; laidOut: boolean }> {
  const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
  for (const root of rootElement.rootElements ?? []) if (root.$type === 'bpmn:Process') linkFlows(root);
  const { xml: linked } = await moddle.toXML(rootElement);
  if (hasDiagram(linked)) return { xml: linked, laidOut: false };
  return { xml: await layoutProcess(linked), laidOut: true };
}
