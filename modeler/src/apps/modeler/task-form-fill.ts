/**
 * A task's form as the official fills it in on the task page: a JSON Schema form drawn by
 * shared/schema-form.ts, or a Camunda form drawn by form-js's viewer (a chunk, with its style
 * sheet, loaded when a task has one).
 */
import { h } from '../../shared/dom';
import type { TaskForm } from '../../shared/inbox-api';
import { renderSchemaForm } from '../../shared/schema-form';
import { loadStyle } from '../../shared/styles';

/** A form the official fills in: its values when fit to send (else undefined, what is wrong marked), the server's refusals marked. */
export interface FilledForm {
  element: HTMLElement;
  values(): Promise<Record<string, unknown> | undefined>;
  /** Marks the server's field errors; returns those that name no field. */
  showServerErrors(errors: Array<{ field: string; message: string }>): Array<{ field: string; message: string }>;
  dispose(): void;
}

function jsonSchemaForm(form: TaskForm): FilledForm {
  const rendered = renderSchemaForm(form.schema, 'task-field');
  return {
    element: rendered.element,
    values: async () => (rendered.check() ? rendered.values() : undefined),
    showServerErrors: rendered.showServerErrors,
    dispose: () => undefined,
  };
}

async function camundaForm(form: TaskForm): Promise<FilledForm> {
  const [{ Form }] = await Promise.all([import('@bpmn-io/form-js-viewer'), loadStyle('forms')]);
  const host = h('div', { class: 'camunda-form' });
  const viewer = new Form({ container: host } as any);
  await viewer.importSchema(form.schema as any, {});
  return {
    element: host,
    values: async () => {
      const { data, errors } = viewer.submit() as { data: Record<string, unknown>; errors: Record<string, unknown> };
      return Object.keys(errors).length > 0 ? undefined : data;
    },
    // form-js has checked what it could; the server's remaining refusals are shown as the page's message.
    showServerErrors: (errors) => errors,
    dispose: () => viewer.destroy(),
  };
}

/** The form of `form`'s kind. */
export function fillableForm(form: TaskForm): Promise<FilledForm> | FilledForm {
  return form.kind === 'camunda-form' ? camundaForm(form) : jsonSchemaForm(form);
}
