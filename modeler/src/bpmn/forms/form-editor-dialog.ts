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

/** What the dialog shows about the task and its form. */
export interface FormDialogOptions {
  taskName: string;
  schema: FormSchema;
  /** One line on how the form is kept (embedded in the model, or a linked .form file). */
  keptAs: string;
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
    const dialog = h(
      'dialog',
      { class: 'form-dialog', 'aria-labelledby': 'form-dialog-title', 'data-testid': 'form-dialog' },
      h(
        'header',
        { class: 'form-dialog-header' },
        h('div', {}, h('h2', { id: 'form-dialog-title' }, t('form.title', { name: options.taskName })), h('p', { class: 'hint' }, options.keptAs)),
        tabs,
      ),
      h('div', { class: 'form-dialog-body' }, editorHost, previewHost),
      h(
        'footer',
        { class: 'form-dialog-footer' },
        h('button', { type: 'button', onclick: () => close(undefined) }, t('form.cancel')),
        h('button', { type: 'button', class: 'primary', onclick: () => close(editor.saveSchema()), 'data-testid': 'form-apply' }, t('form.apply')),
      ),
    );
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(undefined);
    });
    document.body.append(dialog);
    const editor = new FormEditor({ container: editorHost });
    let preview: Form | undefined;
    void editor.importSchema(options.schema);
    dialog.showModal();

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
      await preview.importSchema(editor.saveSchema());
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
      editor.destroy();
      dialog.close();
      dialog.remove();
      resolve(result);
    }
  });
}
