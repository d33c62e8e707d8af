/**
 * A JSON Schema task form (the library's `forms/<key>.schema.json`, deployed with the model)
 * read for the modeler: its fields listed, and a form-js schema drawn from it, so the form
 * dialog shows the existing form (read-only) instead of an empty canvas, and the analyst can
 * turn it into a Camunda form on purpose.
 */
import type { FormSchema } from './task-form';

/** One field of a JSON Schema form, as the dialog lists it. */
export interface SchemaField {
  key: string;
  title: string;
  type: string;
  required: boolean;
  choices: Array<{ value: string; label: string }>;
}

type Node = Record<string, any>;

function choicesOf(node: Node): SchemaField['choices'] {
  if (Array.isArray(node.oneOf) && node.oneOf.every((o: Node) => o && 'const' in o)) return node.oneOf.map((o: Node) => ({ value: String(o.const), label: String(o.title ?? o.const) }));
  if (Array.isArray(node.enum)) return node.enum.map((v: unknown) => ({ value: String(v), label: String(v) }));
  return [];
}

/** The fields of a JSON Schema form (top-level properties, in their order). */
export function schemaFields(schema: Node): SchemaField[] {
  const required = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries<Node>(schema.properties ?? {}).map(([key, node]) => ({
    key,
    title: String(node.title ?? key),
    type: node.format ? `${node.type ?? ''} (${node.format})` : Array.isArray(node.type) ? node.type.join(' | ') : String(node.type ?? (node.oneOf ? 'oneOf' : '')),
    required: required.has(key),
    choices: choicesOf(node),
  }));
}

/** form-js components drawn from the JSON Schema (the closest form-js field per type). */
export function formJsFromJsonSchema(schema: Node, id: string): FormSchema {
  const required = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
  const components = Object.entries<Node>(schema.properties ?? {}).map(([key, node]) => {
    const base: Node = { key, label: String(node.title ?? key), id: `Field_${key}`, ...(node.description ? { description: String(node.description) } : {}) };
    const validate: Node = {};
    if (required.has(key)) validate.required = true;
    if (typeof node.maxLength === 'number') validate.maxLength = node.maxLength;
    const choices = choicesOf(node);
    if (choices.length > 0) return { ...base, type: 'select', values: choices, ...(Object.keys(validate).length ? { validate } : {}) };
    if (node.type === 'boolean') return { ...base, type: 'checkbox' };
    if (node.type === 'integer' || node.type === 'number') return { ...base, type: 'number', ...(Object.keys(validate).length ? { validate } : {}) };
    if (node.format === 'date') return { ...base, type: 'datetime', subtype: 'date', dateLabel: base.label, ...(Object.keys(validate).length ? { validate } : {}) };
    if (node.format === 'date-time') return { ...base, type: 'datetime', subtype: 'datetime', dateLabel: base.label, ...(Object.keys(validate).length ? { validate } : {}) };
    if (node.type === 'array' || node.type === 'object') return { ...base, type: 'textarea', ...(Object.keys(validate).length ? { validate } : {}) };
    return { ...base, type: typeof node.maxLength === 'number' && node.maxLength > 200 ? 'textarea' : 'textfield', ...(Object.keys(validate).length ? { validate } : {}) };
  });
  return { id, type: 'default', schemaVersion: 16, components };
}
