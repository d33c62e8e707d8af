/**
 * Form editing in the editor page: the "Form" button opens the form dialog for the selected
 * user task; the result is written into the model (embedded form, undoable) or into the
 * linked forms the page deploys with the model. Linked forms of a deployed version are
 * loaded with it, so a redeploy sends them again.
 */
import { deploymentForms } from '../../shared/api';
import { t } from '../../shared/i18n';
import { FORM_EDIT_EVENT } from '../../bpmn/forms';
import { emptyForm, hasEditableForm, linkedFormFiles, readTaskForm, writeTaskForm, type FormSchema, type LinkedForms } from '../../bpmn/forms/task-form';
import { loadStyle } from '../../shared/styles';
import { formJsFromJsonSchema } from '../../bpmn/forms/json-schema-form';

/** The form editing of one editor page. */
export interface FormEditing {
  /** Opens the dialog for the selected user task (says why not otherwise). */
  open(): Promise<void>;
  /** Loads the Camunda forms of a deployment as the linked forms the page holds. */
  loadDeployment(deploymentId: string): Promise<void>;
  /** The `.form` files to deploy with the model (the linked forms it uses). */
  files(): Array<{ name: string; content: string }>;
}

export function createFormEditing(modeler: any, say: (text: string, kind?: 'info' | 'error' | 'ok') => void): FormEditing {
  const linked: LinkedForms = new Map();
  // The JSON Schema forms of the loaded deployment, by form key (shown, never edited in place).
  const jsonSchemas = new Map<string, Record<string, unknown>>();
  // The properties panel's button names its element.
  modeler.get('eventBus').on(FORM_EDIT_EVENT, ({ element }: { element: any }) => void edit(element));

  async function edit(element: any): Promise<void> {
    if (!hasEditableForm(element)) return say(t('form.selectUserTask'), 'error');
    const current = readTaskForm(element, linked);
    const id = current.kind === 'linked' ? current.formId : `form_${element.id}`;
    const schema = (current.kind === 'linked' || current.kind === 'embedded') && current.schema ? current.schema : emptyForm(id);
    const keptAs = current.kind === 'linked' ? t('form.keptLinked', { id: current.formId }) : t('form.keptEmbedded');
    const known = current.kind === 'other' ? jsonSchemas.get(current.formKey) : undefined;
    const jsonSchema = current.kind === 'other' ? { formKey: current.formKey, schema: known, converted: known ? formJsFromJsonSchema(known, id) : undefined } : undefined;
    const name = element.businessObject.name || element.id;
    // form-js (editor and viewer, and their style sheets) is a chunk loaded with the first dialog.
    let result: FormSchema | undefined;
    try {
      const [{ openFormDialog }] = await Promise.all([import('../../bpmn/forms/form-editor-dialog'), loadStyle('forms')]);
      result = await openFormDialog({ taskName: name, schema, keptAs: jsonSchema ? t('form.keptJsonSchema', { key: jsonSchema.formKey }) : keptAs, jsonSchema });
    } catch (error) {
      return say((error as Error).message, 'error');
    }
    if (!result) return;
    const kind = writeTaskForm(modeler, element, result, linked);
    say(t(kind === 'linked' ? 'form.savedLinked' : 'form.savedEmbedded', { name }), 'ok');
  }

  return {
    async open() {
      const selected = modeler.get('selection').get();
      await edit(selected.length === 1 ? selected[0] : undefined);
    },
    async loadDeployment(deploymentId) {
      for (const form of await deploymentForms(deploymentId)) {
        if (form.kind === 'camunda-form') linked.set(form.formKey, form.schema);
        else if (form.kind === 'json-schema') jsonSchemas.set(form.formKey, form.schema);
      }
    },
    files() {
      return linkedFormFiles(modeler.getDefinitions(), linked).map((f) => ({ name: f.name, content: JSON.stringify(f.schema) }));
    },
  };
}
