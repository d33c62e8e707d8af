/**
 * Reading and writing our `motcua:facts` on a BPMN element through `modeling`, so
 * every change is one command on the command stack (undo and redo work, and the
 * linter and the properties panel hear of it like any other edit).
 */
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

/** A moddle element (bpmn-js does not type them). */
export type ModdleElement = any;

/** The business object that carries the facts of a shape: a participant's process, else its own. */
export function factsOwner(element: any): ModdleElement {
  const bo = getBusinessObject(element);
  return is(bo, 'bpmn:Participant') ? bo.processRef : bo;
}

/** The `motcua:facts` of a shape, if it has one. */
export function factsOf(element: any): ModdleElement | undefined {
  const owner = factsOwner(element);
  return owner?.extensionElements?.values?.find((value: ModdleElement) => is(value, 'motcua:Facts'));
}

/** The value of one fact of a shape. */
export function getFact(element: any, name: string): unknown {
  return factsOf(element)?.get(name);
}

/**
 * Sets facts on a shape in one `modeling` command: updates the existing
 * `motcua:facts`, or adds one (and `bpmn:extensionElements` when missing).
 */
export function setFacts(element: any, properties: Record<string, unknown>, services: { modeling: any; bpmnFactory: any }): void {
  const { modeling, bpmnFactory } = services;
  const owner = factsOwner(element);
  if (!owner) return;
  const existing = factsOf(element);
  if (existing) {
    // The panel sets a field again when it loses focus: no command (no undo step) for no change.
    if (Object.entries(properties).every(([name, value]) => existing.get(name) === value)) return;
    modeling.updateModdleProperties(element, existing, properties);
    return;
  }
  if (Object.values(properties).every((value) => value === undefined)) return;
  const defined = Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined));
  const facts = bpmnFactory.create('motcua:Facts', defined);
  for (const document of facts.get('documents') ?? []) document.$parent = facts;
  const extensionElements = owner.extensionElements;
  if (extensionElements) {
    facts.$parent = extensionElements;
    modeling.updateModdleProperties(element, extensionElements, { values: [...extensionElements.values, facts] });
  } else {
    const created = bpmnFactory.create('bpmn:ExtensionElements', { values: [facts] });
    created.$parent = owner;
    facts.$parent = created;
    modeling.updateModdleProperties(element, owner, { extensionElements: created });
  }
}

/** `motcua:document` elements for names, one each, ready to be set as `documents`. */
export function documentsFor(names: string[], bpmnFactory: any, parent?: ModdleElement): ModdleElement[] {
  return names.map((name) => {
    const document = bpmnFactory.create('motcua:Document', { name });
    document.$parent = parent;
    return document;
  });
}

/** Parses a statutory time as typed: a non-negative number (a comma as decimal point too), undefined for "none". */
export function parseStatutoryTime(text: string): number | undefined | 'invalid' {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) && value >= 0 ? value : 'invalid';
}
