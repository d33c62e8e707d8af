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

export default {
  translate: ['value', translate],
};
