/**
 * Which elements one model adds, removes and changes against another, matched by id
 * (as bpmn-js-differ does; two versions of a model keep their ids, an as-is and a to-be
 * drawn apart share few). What "changed" looks at: the element's type, name, lane,
 * flow ends and condition, boundary host, and our `motcua:facts` (agency, statutory
 * time, documents...). Layout moves are not changes.
 */
import { type BpmnElement, extensionOf } from '../../../../engine/src/pure';
import { bpmnTypeName } from './type-name';

/** One element of a diff. */
export interface DiffElement {
  id: string;
  /** The BPMN type without prefix: `userTask`, `sequenceFlow`, `lane`... */
  type: string;
  name?: string;
}

/** One property that differs. */
export interface PropertyChange {
  property: string;
  before?: string;
  after?: string;
}

/** A changed element and what changed. */
export interface ChangedElement extends DiffElement {
  changes: PropertyChange[];
}

/** The element diff of two models. */
export interface ElementDiff {
  added: DiffElement[];
  removed: DiffElement[];
  changed: ChangedElement[];
}

/** Diffs the elements of two `bpmn:Definitions` moddle trees. */
export function diffElements(before: unknown, after: unknown): ElementDiff {
  const a = describeElements(before as BpmnElement);
  const b = describeElements(after as BpmnElement);
  const diff: ElementDiff = { added: [], removed: [], changed: [] };
  for (const [id, element] of a) if (!b.has(id)) diff.removed.push(summary(id, element));
  for (const [id, element] of b) {
    const old = a.get(id);
    if (!old) {
      diff.added.push(summary(id, element));
      continue;
    }
    const changes: PropertyChange[] = [];
    for (const property of new Set([...Object.keys(old), ...Object.keys(element)])) {
      if (old[property] !== element[property]) changes.push({ property, before: old[property], after: element[property] });
    }
    if (changes.length > 0) diff.changed.push({ ...summary(id, element), changes });
  }
  return diff;
}

function summary(id: string, properties: Record<string, string>): DiffElement {
  return properties.name === undefined ? { id, type: properties.type } : { id, type: properties.type, name: properties.name };
}

/** Every compared element by id, as flat text properties. */
function describeElements(definitions: BpmnElement): Map<string, Record<string, string>> {
  const found = new Map<string, Record<string, string>>();
  const add = (element: BpmnElement, extra: Record<string, string | undefined> = {}): void => {
    if (!element.id || found.has(element.id)) return;
    const properties: Record<string, string> = { type: bpmnTypeName(element.$type) };
    if (element.name !== undefined && element.name !== '') properties.name = element.name;
    for (const [key, value] of Object.entries(extra)) if (value !== undefined && value !== '') properties[key] = value;
    found.set(element.id, properties);
  };
  const laneOf = new Map<string, string>();
  const visitLanes = (laneSet: BpmnElement | undefined): void => {
    for (const lane of (laneSet?.lanes as BpmnElement[] | undefined) ?? []) {
      add(lane);
      for (const ref of (lane.flowNodeRef as BpmnElement[] | undefined) ?? []) if (ref?.id) laneOf.set(ref.id, lane.id ?? '');
      visitLanes(lane.childLaneSet as BpmnElement | undefined);
    }
  };
  const visitScope = (scope: BpmnElement): void => {
    for (const element of scope.flowElements ?? []) {
      if (element.$type === 'bpmn:SequenceFlow') {
        add(element, { source: element.sourceRef?.id, target: element.targetRef?.id, condition: element.conditionExpression?.body?.trim() });
        continue;
      }
      add(element, {
        lane: element.id ? laneOf.get(element.id) : undefined,
        attachedTo: element.attachedToRef?.id,
        events: (element.eventDefinitions ?? []).map((d) => bpmnTypeName(d.$type)).join(', ') || undefined,
        default: element.default?.id,
        calledElement: extensionOf(element, 'zeebe:CalledElement')?.processId as string | undefined,
        ...factsOf(element),
      });
      if (element.flowElements) visitScope(element);
    }
  };
  for (const root of definitions?.rootElements ?? []) {
    if (root.$type === 'bpmn:Process') {
      add(root, factsOf(root));
      for (const laneSet of (root.laneSets as BpmnElement[] | undefined) ?? []) visitLanes(laneSet);
      visitScope(root);
    } else if (root.$type === 'bpmn:Collaboration') {
      for (const participant of root.participants ?? []) add(participant, { process: participant.processRef?.id });
      for (const flow of (root.messageFlows as BpmnElement[] | undefined) ?? []) add(flow, { source: flow.sourceRef?.id, target: flow.targetRef?.id });
    }
  }
  return found;
}

/** `motcua:facts` as `facts.<name>` properties. */
function factsOf(element: BpmnElement): Record<string, string | undefined> {
  const facts = extensionOf(element, 'motcua:Facts');
  if (!facts) return {};
  const out: Record<string, string | undefined> = {};
  for (const key of ['agency', 'statutoryTime', 'timeUnit', 'cutoff', 'beforeDue', 'dossierStatus']) {
    const value = facts[key];
    if (value !== undefined && value !== null) out[`facts.${key}`] = String(value);
  }
  const documents = ((facts.documents as BpmnElement[] | undefined) ?? []).map((d) => String(d.name ?? '')).filter((n) => n !== '');
  if (documents.length > 0) out['facts.documents'] = documents.join('; ');
  return out;
}
