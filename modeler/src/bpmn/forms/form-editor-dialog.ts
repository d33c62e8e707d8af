/**
 * The form dialog: form-js's editor (palette, canvas, its properties panel) to design a
 * user task's Camunda form, and a preview tab with form-js's viewer where the form can be
 * filled in and checked as the official will see it. "Apply" hands the schema back; the
 * caller writes it into the model (one undoable change) — nothing is kept on "Cancel".
 */
import { FormEditor } from '@bpmn-io/form-js-editor';
import { Form } from '@bpmn-io/form-js-viewer';
import { h, mount } from '../../shared/dom';
import { t } from '../../shared/i18n';
import type { FormSchema } from './task-form';
import { schemaFields } from './json-schema-form';
import { translateFormJs } from './form-js-vi';

/** What the dialog shows about the task and its form. */
export interface FormDialogOptions {
  taskName: string;
  schema: FormSchema;
  /** One line on how the form is kept (embedded in the model, or a linked .form file). */
  keptAs: string;
  /**
   * The task's form is a JSON Schema form (`formKey` names `forms/<key>.schema.json`, deployed
   * with the model): the dialog shows it read-only (its fields and a preview drawn from it,
   * or, when the schema is not at hand, where it lives), and designs a Camunda form only when
   * the analyst asks to convert it.
   */
  jsonSchema?: { formKey: string; schema?: Record<string, any>; converted?: FormSchema };
}

/** Opens the dialog; resolves with the edited schema, or undefined when cancelled. */
export function openFormDialog(options: FormDialogOptions): Promise<FormSchema | undefined> {
  return new Promise((resolve) => {
    const editorHost = h('div', { class: 'form-dialog-editor', id: 'form-dialog-design', role: 'tabpanel', 'aria-labelledby': 'form-dialog-tab-design', 'data-testid': 'form-editor' });
    const previewForm = h('div', { class: 'form-dialog-preview-form', 'data-testid': 'form-preview' });
    const previewStatus = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    const previewHost = h(
      'div',
      { class: 'form-dialog-preview', id: 'form-dialog-preview', role: 'tabpanel', 'aria-labelledby': 'form-dialog-tab-preview', hidden: true },
      h('p', { class: 'hint' }, t('form.previewHint')),
      previewForm,
      h('div', { class: 'form-dialog-preview-actions' }, h('button', { type: 'button', onclick: () => checkPreview(), 'data-testid': 'form-preview-check' }, t('form.check')), previewStatus),
    );
    const tab = (id: string, label: string, selected: boolean) =>
      h('button', { type: 'button', role: 'tab', id: `form-dialog-tab-${id}`, 'aria-controls': `form-dialog-${id}`, 'aria-selected': String(selected), tabindex: selected ? '0' : '-1', onclick: () => show(id) }, label);
    const designTab = tab('design', t('form.design'), true);
    const previewTab = tab('preview', t('form.preview'), false);
    const tabs = h('div', { role: 'tablist', class: 'form-dialog-tabs', 'aria-label': t('form.title', { name: options.taskName }) }, designTab, previewTab);
    tabs.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
      const next = designTab.getAttribute('aria-selected') === 'true' ? 'preview' : 'design';
      show(next);
      (next === 'design' ? designTab : previewTab).focus();
    });
    const body = h('div', { class: 'form-dialog-body' }, editorHost, previewHost);
    const cancelButton = h('button', { type: 'button', onclick: () => close(undefined), 'data-testid': 'form-cancel' }, t('form.cancel'));
    const applyButton = h('button', { type: 'button', class: 'primary', onclick: () => close(editor?.saveSchema()), 'data-testid': 'form-apply' }, t('form.apply'));
    const dialog = h(
      'dialog',
      { class: 'form-dialog', 'aria-labelledby': 'form-dialog-title', 'data-testid': 'form-dialog' },
      h(
        'header',
        { class: 'form-dialog-header' },
        h('div', {}, h('h2', { id: 'form-dialog-title' }, t('form.title', { name: options.taskName })), h('p', { class: 'hint' }, options.keptAs)),
        tabs,
      ),
      body,
      h('footer', { class: 'form-dialog-footer' }, cancelButton, applyButton),
    );
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(undefined);
    });
    document.body.append(dialog);
    const stopTranslating = translateFormJs(body);
    let editor: FormEditor | undefined;
    let preview: Form | undefined;
    let existing: Form | undefined;
    const startEditor = (schema: FormSchema) => {
      editor = new FormEditor({ container: editorHost });
      void editor.importSchema(schema);
    };
    if (options.jsonSchema) {
      // The existing form first, read-only; the form-js editor only on "convert".
      tabs.hidden = true;
      editorHost.hidden = true;
      applyButton.hidden = true;
      cancelButton.textContent = t('form.close');
      body.prepend(jsonSchemaView(options.jsonSchema));
    } else startEditor(options.schema);
    dialog.showModal();

    function jsonSchemaView(source: NonNullable<FormDialogOptions['jsonSchema']>): HTMLElement {
      const fields = source.schema ? schemaFields(source.schema) : [];
      const previewHost = h('div', { class: 'form-dialog-preview-form', 'data-testid': 'json-schema-preview' });
      const convert = h('button', { type: 'button', 'data-testid': 'form-convert', onclick: () => convertIt() }, t('form.jsonSchemaConvert'));
      const view = h(
        'section',
        { class: 'form-dialog-json-schema', 'data-testid': 'json-schema-form', 'aria-labelledby': 'json-schema-heading' },
        h('h3', { id: 'json-schema-heading' }, t('form.jsonSchemaHeading', { key: source.formKey })),
        h('p', { class: 'hint' }, t(source.schema ? 'form.jsonSchemaExplain' : 'form.jsonSchemaUnknown', { key: source.formKey })),
        source.schema?.title ? h('p', {}, h('strong', {}, String(source.schema.title)), source.schema.description ? ` — ${String(source.schema.description)}` : '') : null,
        fields.length > 0
          ? h(
              'table',
              { class: 'json-schema-fields', 'data-testid': 'json-schema-fields' },
              h('caption', { class: 'visually-hidden' }, t('form.jsonSchemaFields')),
              h('thead', {}, h('tr', {}, ...(['form.field', 'form.fieldKey', 'form.fieldType', 'form.fieldRequired'] as const).map((k) => h('th', { scope: 'col' }, t(k))))),
              h(
                'tbody',
                {},
                fields.map((f) =>
                  h(
                    'tr',
                    { 'data-field': f.key },
                    h('th', { scope: 'row' }, f.title, f.choices.length ? h('span', { class: 'muted' }, ` (${f.choices.map((c) => c.label).join(' / ')})`) : null),
                    h('td', {}, h('code', {}, f.key)),
                    h('td', {}, f.type),
                    h('td', {}, f.required ? t('form.yes') : ''),
                  ),
                ),
              ),
            )
          : null,
        source.converted ? h('h4', {}, t('form.jsonSchemaPreview')) : null,
        source.converted ? previewHost : null,
        h('p', { class: 'hint' }, t('form.jsonSchemaConvertHint')),
        convert,
      );
      if (source.converted) {
        existing = new Form({ container: previewHost, properties: { readOnly: true } } as any);
        void existing.importSchema(source.converted);
      }
      function convertIt(): void {
        existing?.destroy();
        existing = undefined;
        view.remove();
        tabs.hidden = false;
        editorHost.hidden = false;
        applyButton.hidden = false;
        cancelButton.textContent = t('form.cancel');
        startEditor(source.converted ?? options.schema);
        designTab.focus();
      }
      return view;
    }

    async function show(id: string): Promise<void> {
      designTab.setAttribute('aria-selected', String(id === 'design'));
      previewTab.setAttribute('aria-selected', String(id === 'preview'));
      designTab.tabIndex = id === 'design' ? 0 : -1;
      previewTab.tabIndex = id === 'preview' ? 0 : -1;
      editorHost.hidden = id !== 'design';
      previewHost.hidden = id !== 'preview';
      if (id !== 'preview') return;
      preview?.destroy();
      mount(previewForm);
      previewStatus.textContent = '';
      preview = new Form({ container: previewForm });
      if (editor) await preview.importSchema(editor.saveSchema());
    }

    function checkPreview(): void {
      if (!preview) return;
      const { errors } = preview.submit();
      const count = Object.keys(errors).length;
      previewStatus.textContent = count === 0 ? t('form.valid') : t('form.invalid', { count });
      previewStatus.dataset.kind = count === 0 ? 'ok' : 'error';
    }

    function close(result: FormSchema | undefined): void {
      preview?.destroy();
      existing?.destroy();
      editor?.destroy();
      stopTranslating();
      dialog.close();
      dialog.remove();
      resolve(result);
    }
  });
}
