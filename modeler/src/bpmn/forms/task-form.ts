/**
 * A user task's Camunda form in the model, read and written through bpmn-js's modeling
 * (so every change is one undoable command each, and camunda-bpmn-js-behaviors keeps the
 * form definition and the embedded form together).
 *
 * - Linked (`zeebe:formDefinition formId`): the form-js JSON lives in a `.form` file deployed
 *   with the model; the editor keeps the ones it knows in `LinkedForms` and deploy sends them.
 * - Embedded (`formKey="camunda-forms:bpmn:<id>"` + the process's `zeebe:userTaskForm`): the
 *   JSON is inside the model, so a draft and a deployment carry it with no extra file. A form
 *   made here for a task without one is embedded.
 */

/** form-js JSON. */
export type FormSchema = Record<string, unknown> & { components?: unknown[] };

/** Linked forms the editor holds, by form id. */
export type LinkedForms = Map<string, FormSchema>;

/** What a user task's form is. */
export type TaskForm =
  | { kind: 'none' }
  | { kind: 'linked'; formId: string; schema?: FormSchema }
  | { kind: 'embedded'; userTaskFormId: string; schema?: FormSchema }
  | { kind: 'other'; formKey: string };

export const EMBEDDED_PREFIX = 'camunda-forms:bpmn:';

const extensionsOf = (bo: any, type: string): any[] => (bo?.extensionElements?.values ?? []).filter((e: any) => e.$type === type);

/** The process (or participant's process) that holds `bo`. */
function processOf(bo: any): any {
  let node = bo;
  while (node && node.$type !== 'bpmn:Process') node = node.$parent;
  return node;
}

function parse(text: string | undefined): FormSchema | undefined {
  try {
    const value = JSON.parse(text ?? '');
    return value && typeof value === 'object' && Array.isArray(value.components) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** True for the elements whose form the editor edits. */
export function hasEditableForm(element: any): boolean {
  return element?.businessObject?.$type === 'bpmn:UserTask';
}

/** Reads a user task's form. */
export function readTaskForm(element: any, linked: LinkedForms): TaskForm {
  const bo = element.businessObject;
  const definition = extensionsOf(bo, 'zeebe:FormDefinition')[0];
  if (!definition) return { kind: 'none' };
  if (definition.formId) return { kind: 'linked', formId: definition.formId, schema: linked.get(definition.formId) };
  const formKey: string | undefined = definition.formKey;
  if (formKey?.startsWith(EMBEDDED_PREFIX)) {
    const userTaskFormId = formKey.slice(EMBEDDED_PREFIX.length);
    const form = extensionsOf(processOf(bo), 'zeebe:UserTaskForm').find((f) => f.id === userTaskFormId);
    return { kind: 'embedded', userTaskFormId, schema: parse(form?.body) };
  }
  return formKey ? { kind: 'other', formKey } : { kind: 'none' };
}

/** A new, empty form for a task (form-js's schema shape). */
export function emptyForm(id: string): FormSchema {
  return { id, type: 'default', schemaVersion: 16, components: [] };
}

/**
 * Writes `schema` as the task's form: into the linked form's entry, or the embedded form's
 * body; a task with no Camunda form gets an embedded one. Returns how the form is kept.
 */
export function writeTaskForm(modeler: any, element: any, schema: FormSchema, linked: LinkedForms): TaskForm['kind'] {
  const modeling = modeler.get('modeling');
  const bpmnFactory = modeler.get('bpmnFactory');
  const current = readTaskForm(element, linked);
  if (current.kind === 'linked') {
    linked.set(current.formId, { ...schema, id: current.formId });
    return 'linked';
  }
  const bo = element.businessObject;
  const process = processOf(bo);
  const body = JSON.stringify(schema);
  if (current.kind === 'embedded') {
    const form = extensionsOf(process, 'zeebe:UserTaskForm').find((f) => f.id === current.userTaskFormId);
    if (form) {
      modeling.updateModdleProperties(element, form, { body });
      return 'embedded';
    }
  }
  // A new embedded form: the process's zeebe:userTaskForm, then the task's formKey naming it.
  const userTaskFormId = current.kind === 'embedded' ? current.userTaskFormId : `UserTaskForm_${bo.id}`;
  let processExtensions = process.extensionElements;
  if (!processExtensions) {
    processExtensions = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    processExtensions.$parent = process;
    modeling.updateModdleProperties(element, process, { extensionElements: processExtensions });
  }
  const form = bpmnFactory.create('zeebe:UserTaskForm', { id: userTaskFormId, body });
  form.$parent = processExtensions;
  modeling.updateModdleProperties(element, processExtensions, { values: [...(processExtensions.values ?? []), form] });
  let taskExtensions = bo.extensionElements;
  if (!taskExtensions) {
    taskExtensions = bpmnFactory.create('bpmn:ExtensionElements', { values: [] });
    taskExtensions.$parent = bo;
    modeling.updateModdleProperties(element, bo, { extensionElements: taskExtensions });
  }
  let definition = extensionsOf(bo, 'zeebe:FormDefinition')[0];
  if (!definition) {
    definition = bpmnFactory.create('zeebe:FormDefinition', {});
    definition.$parent = taskExtensions;
    modeling.updateModdleProperties(element, taskExtensions, { values: [...(taskExtensions.values ?? []), definition] });
  }
  modeling.updateModdleProperties(element, definition, { formKey: `${EMBEDDED_PREFIX}${userTaskFormId}` });
  return 'embedded';
}

/** The linked forms the model uses, as `.form` files for a deployment. */
export function linkedFormFiles(definitions: any, linked: LinkedForms): Array<{ name: string; schema: FormSchema }> {
  const used = new Set<string>();
  const visit = (elements: any[] | undefined) => {
    for (const element of elements ?? []) {
      const definition = extensionsOf(element, 'zeebe:FormDefinition')[0];
      if (definition?.formId) used.add(definition.formId);
      visit(element.flowElements);
    }
  };
  for (const root of definitions?.rootElements ?? []) if (root.$type === 'bpmn:Process') visit(root.flowElements);
  return [...used].filter((id) => linked.has(id)).map((id) => ({ name: `${id}.form`, schema: linked.get(id)! }));
}
