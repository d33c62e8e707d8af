/**
 * Camunda Forms (form-js JSON) → the JSON Schema a task completion is validated against.
 *
 * ## What "the same as form-js" means
 * form-js (1.23) accepts a value when it submits it unchanged with no error: on import it
 * sanitizes values (a select's value that is not an option becomes `null`, a text field's
 * newline a space, a checkbox's `"yes"` `false`), and on submit it validates each field it
 * shows. The schema made here accepts exactly the values form-js would submit unchanged
 * without an error, so a server check never refuses what the browser sent, and never
 * lets through what the browser would have stopped. `test/browser/camunda-form-parity.test.ts`
 * runs the table of `test/unit/forms/camunda-form-schema.test.ts` through the real viewer.
 *
 * ## Field by field
 * - `textfield`: a string without newline or tab; `textarea`: a string.
 * - `number`: a number (or `null` when not required); a numeric string when
 *   `serializeToString`; `decimalDigits` and `increment` as form-js counts them.
 * - `checkbox`: a boolean (required means checked). `checklist`, `taglist`: an array of the
 *   options' values (required means at least one). `radio`, `select`: one option's value, or
 *   `null` when not required. Options from the input data (`valuesKey`) or from an
 *   expression (`valuesExpression`) are not known here: any value is taken.
 * - `datetime`: `date` YYYY-MM-DD, `time` HH:mm (with `Z` or an offset), `datetime` the
 *   two joined by `T`; or `null` when not required. The server accepts only these ISO
 *   shapes (form-js's own output); form-js also takes what `Date.parse` reads.
 * - `validate`: `required`, `minLength`/`maxLength` (on the trimmed text, as form-js
 *   measures), `min`/`max`, `pattern` (unanchored, no `u` flag, as `new RegExp(pattern)`),
 *   `validationType` `email` and `phone`. Like form-js, an empty value (`''`, `null`) skips
 *   every rule but `required`.
 * - `group` nests its fields under its `path` (if any), `dynamiclist` makes its `path` an
 *   array of objects of its fields; a `key` `a.b` nests as `{ a: { b } }`.
 * - Display components (`text`, `html`, `image`, `spacer`, `separator`, `button`, `iframe`,
 *   `table`, `documentPreview`) have no value. `expression` and `filepicker` fields have a
 *   value the server does not check. A `disabled` field is not validated (nor submitted).
 *
 * ## Conditional fields
 * A field (or a group around it) with `conditional.hide` is shown or hidden by a FEEL
 * condition over the form's data; form-js neither validates nor submits a hidden field.
 * The server does not evaluate those conditions: such a field is never required, and
 * its other rules apply when a value is sent. Rules written as FEEL expressions
 * (`"=..."`) are not checked by the server either; both are returned as notes (deploy
 * warnings).
 *
 * Unknown component types and duplicate keys are problems: the form cannot be deployed.
 */
import type { JsonSchema } from '../validation';

/** A form-js component as read here (the JSON is untrusted: every field is checked). */
type Component = Record<string, unknown>;

/** What a form-js schema converts to. */
export interface CamundaFormConversion {
  /** The JSON Schema of the task variables (with the `x-` keywords of `camunda-form-ajv.ts`). */
  schema: JsonSchema;
  /** What the server does not check (conditional fields, FEEL-valued rules). */
  notes: string[];
  /** Why the form cannot be used; empty when it can. */
  problems: string[];
}

/** Components without a value. */
const DISPLAY_TYPES = new Set(['text', 'html', 'image', 'spacer', 'separator', 'button', 'iframe', 'table', 'documentPreview']);
/** Fields whose value the server takes as it comes. */
const UNCHECKED_TYPES = new Set(['expression', 'filepicker']);
const INPUT_TYPES = new Set(['textfield', 'textarea', 'number', 'checkbox', 'checklist', 'radio', 'select', 'taglist', 'datetime']);

/** True when `value` looks like a form-js schema (what a `.form` file holds) rather than a JSON Schema. */
export function isCamundaForm(value: unknown): boolean {
  return !!value && typeof value === 'object' && !Array.isArray(value) && Array.isArray((value as Component).components);
}

interface ObjectSchema {
  type: 'object';
  properties: Record<string, JsonSchema>;
  required?: string[];
}

interface Walk {
  /** Where the field's name starts (for notes and problems). */
  where: string;
  conditional: boolean;
}

function newObject(): ObjectSchema {
  return { type: 'object', properties: {} };
}

function isFeel(value: unknown): boolean {
  return typeof value === 'string' && value.trim().startsWith('=');
}

function segmentsOf(path: unknown): string[] | undefined {
  if (typeof path !== 'string' || path.trim() === '') return undefined;
  const segments = path.split('.');
  return segments.every((s) => s !== '') ? segments : undefined;
}

/** The object at `segments` below `root`, made on the way; `required` marks each step required. */
function objectAt(root: ObjectSchema, segments: string[], required: boolean): ObjectSchema | string {
  let node = root;
  for (const segment of segments) {
    let child = node.properties[segment] as unknown as ObjectSchema | undefined;
    if (!child) {
      child = newObject();
      node.properties[segment] = child as unknown as JsonSchema;
    } else if (child.type !== 'object' || !child.properties) {
      return segment;
    }
    if (required) markRequired(node, segment);
    node = child;
  }
  return node;
}

function markRequired(node: ObjectSchema, name: string): void {
  node.required ??= [];
  if (!node.required.includes(name)) node.required.push(name);
}

/** Option values of a select-like field, or undefined when they come from the data or an expression. */
function staticValues(component: Component, name: string, notes: string[]): unknown[] | undefined {
  if (component.valuesKey !== undefined || component.valuesExpression !== undefined) {
    notes.push(`${name}: its options come from ${component.valuesKey !== undefined ? `the input data ('${String(component.valuesKey)}')` : 'an expression'}, so any value is taken`);
    return undefined;
  }
  const values = Array.isArray(component.values) ? component.values : [];
  return values.filter((v): v is { value: unknown } => !!v && typeof v === 'object' && 'value' in v).map((v) => v.value);
}

/** The rules form-js applies to a non-empty value, as schema keywords (`then` of "when not empty"). */
function valueRules(component: Component, validate: Record<string, unknown>, name: string, notes: string[], kind: 'string' | 'number'): JsonSchema {
  const rules: JsonSchema = {};
  const feel = ['min', 'max', 'minLength', 'maxLength'].filter((k) => isFeel(validate[k]));
  if (feel.length > 0) notes.push(`${name}: ${feel.join(', ')} given as FEEL expressions are not checked by the server`);
  const numberOf = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !isFeel(v) ? Number(v) : undefined);
  if (kind === 'string') {
    if (typeof validate.pattern === 'string' && validate.pattern !== '') rules.pattern = validate.pattern;
    const minLength = numberOf(validate.minLength);
    const maxLength = numberOf(validate.maxLength);
    if (minLength !== undefined && Number.isFinite(minLength)) rules['x-trimmedMinLength'] = minLength;
    if (maxLength !== undefined && Number.isFinite(maxLength)) rules['x-trimmedMaxLength'] = maxLength;
    if (validate.validationType === 'email' || validate.validationType === 'phone') rules['x-validationType'] = validate.validationType;
  } else {
    const min = numberOf(validate.min);
    const max = numberOf(validate.max);
    if (min !== undefined && Number.isFinite(min)) rules.minimum = min;
    if (max !== undefined && Number.isFinite(max)) rules.maximum = max;
    if (typeof component.decimalDigits === 'number' && component.decimalDigits >= 0) rules['x-decimalDigits'] = component.decimalDigits;
    const increment = numberOf(component.increment);
    if (increment !== undefined && Number.isFinite(increment) && increment > 0) rules['x-increment'] = String(component.increment);
  }
  return rules;
}

/** `{ if: not empty, then: rules }`, or nothing when there are no rules. */
function whenNotEmpty(rules: JsonSchema, empty: unknown[]): JsonSchema {
  if (Object.keys(rules).length === 0) return {};
  return { if: { not: { enum: empty } }, then: rules };
}

/** The schema of one input field's value, and whether it is required. */
function fieldSchema(component: Component, name: string, walk: Walk, notes: string[]): { schema: JsonSchema; required: boolean } {
  const type = component.type as string;
  const validate = (component.validate && typeof component.validate === 'object' ? component.validate : {}) as Record<string, unknown>;
  if (isFeel(validate.required)) notes.push(`${name}: 'required' given as a FEEL expression is not checked by the server`);
  let required = validate.required === true;
  if (required && walk.conditional) {
    notes.push(`${name}: required only when shown (a conditional field), so the server does not require it`);
    required = false;
  }
  switch (type) {
    case 'textfield':
    case 'textarea': {
      const text: JsonSchema = { type: 'string' };
      // form-js turns a text field's newlines and tabs into spaces: it never submits one.
      if (type === 'textfield') text['x-singleLine'] = true;
      if (required) text['x-required'] = true;
      return { schema: { ...text, ...whenNotEmpty(valueRules(component, validate, name, notes, 'string'), ['']) }, required };
    }
    case 'number': {
      if (component.serializeToString === true) {
        const numeric: JsonSchema = { type: 'string', 'x-numericString': true };
        if (validate.min !== undefined || validate.max !== undefined || component.decimalDigits !== undefined || component.increment !== undefined) {
          notes.push(`${name}: a number kept as text (serializeToString) is checked for being a number only`);
        }
        return { schema: { ...numeric, type: required ? 'string' : ['string', 'null'] }, required };
      }
      // Rules skip null (the custom keywords and minimum/maximum take numbers only); 0 is checked too,
      // as form-js does (`value || value === 0`).
      const number: JsonSchema = { type: required ? 'number' : ['number', 'null'], ...valueRules(component, validate, name, notes, 'number') };
      return { schema: number, required };
    }
    case 'checkbox':
      return { schema: required ? { type: 'boolean', 'x-required': true } : { type: 'boolean' }, required };
    case 'checklist':
    case 'taglist': {
      const values = staticValues(component, name, notes);
      const array: JsonSchema = { type: 'array', items: values ? { enum: values } : {} };
      if (required) array['x-required'] = true;
      return { schema: array, required };
    }
    case 'radio':
    case 'select': {
      const values = staticValues(component, name, notes);
      if (!values) return { schema: required ? { not: { type: 'null' } } : {}, required };
      return { schema: { enum: required ? values : [...values, null] }, required };
    }
    case 'datetime': {
      const subtype = component.subtype === 'date' || component.subtype === 'time' ? component.subtype : 'datetime';
      return { schema: { type: required ? 'string' : ['string', 'null'], 'x-dateTime': subtype }, required };
    }
    default:
      return { schema: {}, required: false };
  }
}

/** An object that holds a required field is itself required (form-js always submits it). */
function requireParents(node: ObjectSchema): boolean {
  for (const [name, child] of Object.entries(node.properties)) {
    const object = child as unknown as ObjectSchema;
    if (object.type === 'object' && object.properties && requireParents(object)) markRequired(node, name);
  }
  return (node.required?.length ?? 0) > 0;
}

/**
 * Converts a form-js schema to the JSON Schema of the variables it submits.
 *
 * @example
 *   const { schema, notes, problems } = camundaFormSchema(JSON.parse(formFile));
 *   if (problems.length === 0) validateCamundaForm('apply', schema, hash, variables);
 */
export function camundaFormSchema(form: unknown): CamundaFormConversion {
  const notes: string[] = [];
  const problems: string[] = [];
  const root = newObject();
  if (!isCamundaForm(form)) return { schema: root as unknown as JsonSchema, notes, problems: ['a Camunda form is a JSON object with a `components` array'] };
  const keys = new Set<string>();

  const walk = (components: unknown, into: ObjectSchema, prefix: string, context: Walk, depth: number): void => {
    if (depth > 20) {
      problems.push(`${context.where}: groups are nested more than 20 deep`);
      return;
    }
    if (!Array.isArray(components)) return;
    components.forEach((raw, index) => {
      const where = `${context.where}components[${index}]`;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
        problems.push(`${where}: a component must be an object`);
        return;
      }
      const component = raw as Component;
      const type = component.type;
      const conditional = context.conditional || (!!component.conditional && typeof component.conditional === 'object' && (component.conditional as Component).hide !== undefined);
      if (typeof type !== 'string') {
        problems.push(`${where}: a component has no type`);
        return;
      }
      const label = typeof component.key === 'string' ? `'${prefix}${component.key}'` : typeof component.id === 'string' ? `'${component.id}'` : where;
      if (DISPLAY_TYPES.has(type)) return;
      if (type === 'group' || type === 'dynamiclist') {
        const segments = component.path === undefined || component.path === '' ? [] : segmentsOf(component.path);
        if (!segments || (type === 'dynamiclist' && segments.length === 0)) {
          problems.push(`${label} (${type}): its path ${JSON.stringify(component.path ?? '')} is not a dotted name`);
          return;
        }
        const next = { where: `${where}.`, conditional };
        if (type === 'group') {
          const target = objectAt(into, segments, false);
          if (typeof target === 'string') return void problems.push(`${label}: '${target}' is both a field and a group`);
          walk(component.components, target, segments.length > 0 ? `${prefix}${segments.join('.')}.` : prefix, next, depth + 1);
          return;
        }
        const last = segments[segments.length - 1];
        const parent = objectAt(into, segments.slice(0, -1), false);
        if (typeof parent === 'string' || parent.properties[last]) return void problems.push(`${label}: '${prefix}${segments.join('.')}' is used twice`);
        const item = newObject();
        walk(component.components, item, `${prefix}${segments.join('.')}[].`, next, depth + 1);
        parent.properties[last] = { type: 'array', items: item as unknown as JsonSchema };
        return;
      }
      if (!INPUT_TYPES.has(type) && !UNCHECKED_TYPES.has(type)) {
        problems.push(`${label}: the component type '${type}' is not supported`);
        return;
      }
      const segments = segmentsOf(component.key);
      if (!segments) {
        problems.push(`${label} (${type}): its key ${JSON.stringify(component.key ?? '')} is not a dotted name`);
        return;
      }
      const name = `${prefix}${segments.join('.')}`;
      if (keys.has(name)) {
        problems.push(`'${name}': two fields have this key`);
        return;
      }
      keys.add(name);
      if (component.disabled === true) return; // neither validated nor submitted by form-js
      if (UNCHECKED_TYPES.has(type)) {
        if (type === 'filepicker') notes.push(`'${name}': a file picker's value is not checked by the server`);
        return;
      }
      if (conditional) notes.push(`'${name}': shown by a condition the server does not evaluate`);
      const { schema, required } = fieldSchema(component, `'${name}'`, { where, conditional }, notes);
      const parent = objectAt(into, segments.slice(0, -1), required);
      const last = segments[segments.length - 1];
      if (typeof parent === 'string' || parent.properties[last]) return void problems.push(`'${name}': the key is used by a field and a group`);
      parent.properties[last] = schema;
      if (required) markRequired(parent, last);
    });
  };

  walk((form as Component).components, root, '', { where: '', conditional: false }, 0);
  requireParents(root);
  return { schema: root as unknown as JsonSchema, notes: [...new Set(notes)], problems };
}
