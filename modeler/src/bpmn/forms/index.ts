/**
 * didi module: a "Design the form…" button in the properties panel's form group of a user
 * task. It only fires `motcua.form.edit` with the element: the page that owns the form
 * dialog (and the linked forms) listens to it, as it does to its toolbar button.
 */
import { h } from '@bpmn-io/properties-panel/preact';
import { useService } from 'bpmn-js-properties-panel';
import { t } from '../../shared/i18n';
import { hasEditableForm } from './task-form';

/** The event the button fires; its payload is `{ element }`. */
export const FORM_EDIT_EVENT = 'motcua.form.edit';

function DesignFormButton(props: { element: any; id: string }) {
  const eventBus = useService('eventBus');
  return h(
    'div',
    { class: 'bio-properties-panel-entry motcua-form-entry', 'data-entry-id': props.id },
    h('button', { type: 'button', class: 'motcua-form-button', 'data-testid': 'panel-edit-form', onClick: () => eventBus.fire(FORM_EDIT_EVENT, { element: props.element }) }, t('form.designButton')),
  );
}

class FormEntryProvider {
  static $inject = ['propertiesPanel'];

  constructor(propertiesPanel: any) {
    propertiesPanel.registerProvider(400, this);
  }

  getGroups(element: any) {
    return (groups: any[]) => {
      if (!hasEditableForm(element)) return groups;
      const group = groups.find((g) => g.id === 'form');
      const entry = { id: 'motcua-design-form', element, component: DesignFormButton };
      if (group) group.entries = [...group.entries, entry];
      return groups;
    };
  }
}

export default {
  __init__: ['motcuaFormEntryProvider'],
  motcuaFormEntryProvider: ['type', FormEntryProvider],
};
