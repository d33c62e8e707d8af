/**
 * didi module overriding diagram-js's `translate` with our catalogue: Vietnamese when
 * the app is in Vietnamese (texts not yet in the catalogue stay English), English
 * otherwise. Placeholders `{name}` are filled in as diagram-js's own translate does.
 */
import { currentLocale } from '../../shared/i18n';
import { BPMN_VI } from './vi-catalogue';

/** Translates a bpmn-js/properties-panel text. */
export function translate(template: string, replacements: Record<string, string> = {}): string {
  const text = currentLocale() === 'vi' ? (BPMN_VI[template] ?? template) : template;
  return text.replace(/{([^}]+)}/g, (all, key: string) => replacements[key] ?? all);
}

/**
 * Hands our translate to every group of the properties panel: @bpmn-io/properties-panel
 * translates a group's own buttons ("Toggle section", "Create") only with the `translate`
 * the group carries, and the providers do not give one. Registered last (lowest priority).
 */
class GroupTranslation {
  static $inject = ['propertiesPanel'];

  constructor(propertiesPanel: any) {
    propertiesPanel.registerProvider(1, this);
  }

  getGroups() {
    return (groups: Array<Record<string, unknown>>) => groups.map((group) => ({ ...group, translate }));
  }
}

export default {
  __init__: ['motcuaGroupTranslation'],
  translate: ['value', translate],
  motcuaGroupTranslation: ['type', GroupTranslation],
};
