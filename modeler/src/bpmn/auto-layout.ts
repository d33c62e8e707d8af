/**
 * Lays out a BPMN document that has no diagram (BPMN DI), as procedures written by
 * hand or by other tools often are, so that the modeler can draw it.
 * bpmn-auto-layout follows each node's `outgoing`, which XML without DI rarely lists
 * (`<bpmn:outgoing>`), so the references are first filled in from the sequence flows.
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

/** The document with a diagram: flows linked to their nodes, then laid out. */
export async function layoutDocument(xml: string, moddle: any): Promise<string> {
  const { rootElement } = await moddle.fromXML(xml, 'bpmn:Definitions');
  for (const root of rootElement.rootElements ?? []) if (root.$type === 'bpmn:Process') linkFlows(root);
  const { xml: linked } = await moddle.toXML(rootElement);
  return layoutProcess(linked);
}
