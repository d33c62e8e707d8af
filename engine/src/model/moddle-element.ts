/**
 * The slice of the moddle tree the compiler reads, typed structurally, and
 * helpers to find extension elements.
 *
 * Element kinds are always told apart by their exact `$type`, never with
 * `$instanceOf`: zeebe's descriptor makes `zeebe:ZeebeServiceTask` extend
 * service, send, script and business rule tasks, end and throw events at once.
 */

/** A moddle element as the compiler sees it. Unlisted properties stay reachable by name. */
export interface BpmnElement {
  $type: string;
  $parent?: BpmnElement;
  id?: string;
  name?: string;
  /** True when the element is of `type` or a subtype (see the note above before using it). */
  $instanceOf?(type: string): boolean;

  // containers and roots
  rootElements?: BpmnElement[];
  flowElements?: BpmnElement[];
  participants?: BpmnElement[];
  processRef?: BpmnElement;
  isExecutable?: boolean;
  triggeredByEvent?: boolean;

  // sequence flows
  sourceRef?: BpmnElement;
  targetRef?: BpmnElement;
  conditionExpression?: BpmnElement;
  default?: BpmnElement;

  // expressions (`bpmn:FormalExpression`)
  body?: string;

  // events
  eventDefinitions?: BpmnElement[];
  eventDefinitionRef?: BpmnElement[];
  isInterrupting?: boolean;
  cancelActivity?: boolean;
  parallelMultiple?: boolean;
  attachedToRef?: BpmnElement;
  messageRef?: BpmnElement;
  signalRef?: BpmnElement;
  errorRef?: BpmnElement;
  escalationRef?: BpmnElement;
  errorCode?: string;
  escalationCode?: string;
  timeDate?: BpmnElement;
  timeDuration?: BpmnElement;
  timeCycle?: BpmnElement;

  // activities
  loopCharacteristics?: BpmnElement;
  isSequential?: boolean;
  loopCardinality?: BpmnElement;
  completionCondition?: BpmnElement;
  isForCompensation?: boolean;
  instantiate?: boolean;
  eventGatewayType?: string;
  calledElement?: string;
  script?: string;

  // extension elements
  extensionElements?: BpmnElement;
  values?: BpmnElement[];

  [property: string]: unknown;
}

/** The extension elements of `element` of exactly `type` (e.g. `zeebe:TaskDefinition`). */
export function extensionsOf(element: BpmnElement, type: string): BpmnElement[] {
  return (element.extensionElements?.values ?? []).filter((value) => value.$type === type);
}

/** The first extension element of `element` of exactly `type`, if any. */
export function extensionOf(element: BpmnElement, type: string): BpmnElement | undefined {
  return extensionsOf(element, type)[0];
}

/** A string attribute of an element, `undefined` when absent or empty. */
export function stringAttribute(element: BpmnElement | undefined, name: string): string | undefined {
  const value = element?.[name];
  if (typeof value !== 'string') return undefined;
  return value.trim() === '' ? undefined : value;
}

/** The trimmed body of a `bpmn:FormalExpression`, `undefined` when absent or blank. */
export function bodyOf(expression: BpmnElement | undefined): string | undefined {
  const body = expression?.body;
  if (typeof body !== 'string') return undefined;
  const trimmed = body.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The local name of a BPMN type, as used in problems: `bpmn:UserTask` → `user task`. */
export function describeType(type: string): string {
  const local = type.slice(type.indexOf(':') + 1);
  return local
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/\bsub process\b/, 'sub-process')
    .replace(/\bad hoc\b/, 'ad-hoc');
}

/** "a" or "an", for words in problems (`an error event definition`). */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

/** `describeType` plus the element id, quoted: `user task 'Task_1'`. */
export function describeElement(element: BpmnElement): string {
  return `${describeType(element.$type)} '${element.id ?? '?'}'`;
}
