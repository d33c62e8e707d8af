/**
 * A task's JSON Schema form (the procedure library's `forms/<key>.schema.json`) as HTML
 * fields an official fills in: one field per top-level property, in the schema's order.
 *
 *   oneOf of consts / enum    radio buttons (up to 4 choices) or a list
 *   boolean                   a check box
 *   integer / number          a number field (min / max from the schema)
 *   string, format date       a date field; date-time: date and time (sent as ISO 8601)
 *   string                    a line, or a text area when it may be long (maxLength > 200)
 *   array of choices          check boxes; array of strings: a text area, one item per line
 *   anything else             JSON in a text area
 *
 * Checked here before sending (required, the `if`/`then` requirement of a chosen value,
 * lengths, patterns, bounds, dates, item counts), in the person's language, so most mistakes are
 * shown at once; the server checks the same schema with ajv and stays the judge: its
 * refusal (`errors: [{ field: 'body.variables.<key>' }]`) is marked on the same fields.
 * The page's policy (`script-src 'self'`) allows no compiled validator here.
 */
import { h } from './dom';
import { t } from './i18n';

type Node = Record<string, any>;

interface Choice {
  value: string | number | boolean;
  label: string;
}

interface Field {
  key: string;
  node: Node;
  element: HTMLElement;
  read: () => unknown;
  error: HTMLElement;
}

/** A rendered form: its element, its values (empty fields left out), its checks. */
export interface SchemaForm {
  element: HTMLElement;
  values(): Record<string, unknown>;
  /** Marks what is wrong locally; true when nothing is. */
  check(): boolean;
  /** Marks the server's field errors (`<prefix><key>…`; default `body.variables.`); returns those that name no field of the form. */
  showServerErrors(errors: Array<{ field: string; message: string }>, prefix?: string): Array<{ field: string; message: string }>;
  clearErrors(): void;
}

function choicesOf(node: Node): Choice[] {
  if (Array.isArray(node.oneOf) && node.oneOf.length > 0 && node.oneOf.every((o: Node) => o && 'const' in o)) return node.oneOf.map((o: Node) => ({ value: o.const, label: String(o.title ?? o.const) }));
  if (Array.isArray(node.enum)) return node.enum.map((v: string | number | boolean) => ({ value: v, label: String(v) }));
  return [];
}

const typeOf = (node: Node): string | undefined => (Array.isArray(node.type) ? node.type.find((x: string) => x !== 'null') : node.type);

/** The keys `if`/`then` requires for the values chosen (the `if` of consts only, as the library writes them). */
function conditionallyRequired(schema: Node, values: Record<string, unknown>): string[] {
  const required: string[] = [];
  const branches = [schema, ...(Array.isArray(schema.allOf) ? schema.allOf : [])];
  for (const branch of branches) {
    if (!branch?.if?.properties || !branch.then) continue;
    const matches = Object.entries<Node>(branch.if.properties).every(([key, cond]) => ('const' in cond ? values[key] === cond.const : Array.isArray(cond.enum) ? cond.enum.includes(values[key]) : true));
    const ifRequired: string[] = Array.isArray(branch.if.required) ? branch.if.required : [];
    if (matches && ifRequired.every((key) => values[key] !== undefined) && Array.isArray(branch.then.required)) required.push(...branch.then.required);
  }
  return required;
}

/** The `then` branch's extra bounds of a key (e.g. minItems) when its `if` holds. */
function conditionalNode(schema: Node, key: string, values: Record<string, unknown>): Node {
  let node: Node = {};
  for (const branch of [schema, ...(Array.isArray(schema.allOf) ? schema.allOf : [])]) {
    if (!branch?.if?.properties || !branch.then?.properties?.[key]) continue;
    if (conditionallyRequired({ if: branch.if, then: { required: [key] } }, values).includes(key)) node = { ...node, ...branch.then.properties[key] };
  }
  return node;
}

/** A schema's pattern as ajv reads it (Unicode); undefined when this browser cannot read it (the server judges). */
function patternOf(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
}

/** Our sentence for one of the server's (ajv's) messages. */
export function fieldMessage(message: string): string {
  let m: RegExpExecArray | null;
  if (/required property/.test(message)) return t('field.required');
  if ((m = /more than (\d+) characters/.exec(message))) return t('field.tooLong', { max: m[1] });
  if ((m = /fewer than (\d+) items/.exec(message))) return t('field.tooFewItems', { min: m[1] });
  if ((m = /more than (\d+) items/.exec(message))) return t('field.tooManyItems', { max: m[1] });
  if ((m = /must be >=? (\S+)/.exec(message))) return t('field.tooSmall', { min: m[1] });
  if ((m = /must be <=? (\S+)/.exec(message))) return t('field.tooLarge', { max: m[1] });
  if (/must match pattern/.test(message)) return t('field.pattern');
  if (/must be integer/.test(message)) return t('field.notInteger');
  if (/must be number/.test(message)) return t('field.notNumber');
  if (/must be string/.test(message)) return t('field.notText');
  if (/format "email"/.test(message)) return t('field.badEmail');
  if (/date/.test(message)) return t('field.badDate');
  if (/one of|allowed values|equal to constant|oneOf|exactly one schema/.test(message)) return t('field.badChoice');
  return t('field.invalid');
}

function inputFor(key: string, node: Node, id: string, required: boolean): { element: HTMLElement; read: () => unknown; focusable: HTMLElement } {
  const type = typeOf(node);
  const choices = choicesOf(node);
  if (choices.length > 0 && choices.length <= 4) {
    const radios = choices.map((c, i) => h('input', { type: 'radio', name: id, id: `${id}-${i}`, value: String(i) }));
    const element = h('div', { class: 'choices', role: 'radiogroup', 'aria-labelledby': `${id}-label` }, choices.map((c, i) => h('label', { class: 'choice', for: `${id}-${i}` }, radios[i], c.label)));
    return { element, focusable: radios[0], read: () => { const at = radios.findIndex((r) => r.checked); return at < 0 ? undefined : choices[at].value; } };
  }
  if (choices.length > 0) {
    const select = h('select', { id, required }, h('option', { value: '' }, t('field.choose')), choices.map((c, i) => h('option', { value: String(i) }, c.label)));
    return { element: select, focusable: select, read: () => (select.value === '' ? undefined : choices[Number(select.value)].value) };
  }
  if (type === 'boolean') {
    const box = h('input', { type: 'checkbox', id });
    return { element: h('div', { class: 'checkbox' }, box), focusable: box, read: () => box.checked };
  }
  if (type === 'integer' || type === 'number') {
    const input = h('input', { type: 'number', id, inputmode: type === 'integer' ? 'numeric' : 'decimal', step: type === 'integer' ? '1' : 'any', min: node.minimum, max: node.maximum, required });
    return { element: input, focusable: input, read: () => (input.value.trim() === '' ? undefined : input.valueAsNumber) };
  }
  if (type === 'array') {
    const items: Node = node.items ?? {};
    const itemChoices = choicesOf(items);
    if (itemChoices.length > 0) {
      const boxes = itemChoices.map((c, i) => h('input', { type: 'checkbox', id: `${id}-${i}` }));
      const element = h('div', { class: 'choices', role: 'group', 'aria-labelledby': `${id}-label` }, itemChoices.map((c, i) => h('label', { class: 'choice', for: `${id}-${i}` }, boxes[i], c.label)));
      return { element, focusable: boxes[0], read: () => { const picked = itemChoices.filter((_, i) => boxes[i].checked).map((c) => c.value); return picked.length ? picked : undefined; } };
    }
    if (typeOf(items) === 'string' || items.type === undefined) {
      const area = h('textarea', { id, rows: 3, 'aria-describedby': `${id}-hint` });
      const element = h('div', {}, area, h('p', { class: 'hint', id: `${id}-hint` }, t('field.linesHint')));
      return { element, focusable: area, read: () => { const lines = area.value.split('\n').map((l) => l.trim()).filter(Boolean); return lines.length ? lines : undefined; } };
    }
  }
  if (type === 'string' && node.format === 'date') {
    const input = h('input', { type: 'date', id, required });
    return { element: input, focusable: input, read: () => (input.value === '' ? undefined : input.value) };
  }
  if (type === 'string' && node.format === 'date-time') {
    const input = h('input', { type: 'datetime-local', id, required });
    return { element: input, focusable: input, read: () => (input.value === '' ? undefined : Number.isNaN(Date.parse(input.value)) ? input.value : new Date(input.value).toISOString()) };
  }
  if (type === 'string') {
    // A patterned value (an id number, a code) is one line, however long the schema lets it be.
    const long = !node.pattern && (typeof node.maxLength !== 'number' || node.maxLength > 200);
    const input = long ? h('textarea', { id, rows: 3, maxlength: node.maxLength, required }) : h('input', { id, type: node.format === 'email' ? 'email' : 'text', maxlength: node.maxLength, required, autocomplete: node['x-autocomplete'] });
    if (typeof node.default === 'string') input.value = node.default;
    return { element: input, focusable: input, read: () => (input.value.trim() === '' ? undefined : input.value) };
  }
  // Objects and anything else: JSON, parsed when read (left as text when it is not JSON: the server names the field).
  const area = h('textarea', { id, rows: 4, class: 'json', spellcheck: false });
  return { element: area, focusable: area, read: () => { if (area.value.trim() === '') return undefined; try { return JSON.parse(area.value); } catch { return area.value; } } };
}

/** The local checks of one value; the first problem, or undefined. */
function problemOf(value: unknown, node: Node, required: boolean): string | undefined {
  if (value === undefined) return required ? t('field.required') : undefined;
  const type = typeOf(node);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return t('field.notNumber');
    if (type === 'integer' && !Number.isInteger(value)) return t('field.notInteger');
    if (typeof node.minimum === 'number' && value < node.minimum) return t('field.tooSmall', { min: node.minimum });
    if (typeof node.maximum === 'number' && value > node.maximum) return t('field.tooLarge', { max: node.maximum });
  }
  if (typeof value === 'string') {
    if (typeof node.maxLength === 'number' && [...value].length > node.maxLength) return t('field.tooLong', { max: node.maxLength });
    if ((node.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) || (node.format === 'date-time' && Number.isNaN(Date.parse(value)))) return t('field.badDate');
    if (node.format === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return t('field.badEmail');
    const pattern = typeof node.pattern === 'string' ? patternOf(node.pattern) : undefined;
    if (pattern && !pattern.test(value)) return t('field.pattern');
  }
  if (Array.isArray(value)) {
    if (typeof node.minItems === 'number' && value.length < node.minItems) return t('field.tooFewItems', { min: node.minItems });
    if (typeof node.maxItems === 'number' && value.length > node.maxItems) return t('field.tooManyItems', { max: node.maxItems });
    const items: Node = node.items ?? {};
    if (typeof items.maxLength === 'number' && value.some((v) => typeof v === 'string' && [...v].length > items.maxLength)) return t('field.tooLong', { max: items.maxLength });
  }
  return undefined;
}

/** Renders `schema`'s fields; ids are prefixed with `idPrefix`. */
export function renderSchemaForm(schema: Node, idPrefix = 'f'): SchemaForm {
  const required = new Set<string>(Array.isArray(schema.required) ? schema.required : []);
  const fields: Field[] = [];
  const rows: HTMLElement[] = [];
  for (const [key, node] of Object.entries<Node>(schema.properties ?? {})) {
    const id = `${idPrefix}-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const input = inputFor(key, node, id, required.has(key));
    const error = h('p', { class: 'field-error', id: `${id}-error`, role: 'alert' });
    input.focusable.setAttribute('aria-describedby', [input.focusable.getAttribute('aria-describedby'), error.id].filter(Boolean).join(' '));
    const label = h('label', { id: `${id}-label`, for: input.focusable.id || id, class: 'field-label' }, String(node.title ?? key), required.has(key) ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null);
    const row = h('div', { class: 'form-field', 'data-key': key }, label, node.description ? h('p', { class: 'hint' }, String(node.description)) : null, input.element, error);
    rows.push(row);
    fields.push({ key, node, element: row, read: input.read, error });
  }
  const element = h('div', { class: 'schema-form' }, schema.description ? h('p', { class: 'lead' }, String(schema.description)) : null, rows);

  const values = (): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      const value = field.read();
      if (value !== undefined) out[field.key] = value;
    }
    return out;
  };
  const mark = (field: Field, message: string) => {
    field.error.textContent = message;
    field.element.classList.add('invalid');
    field.element.querySelectorAll('input, select, textarea').forEach((e) => e.setAttribute('aria-invalid', 'true'));
  };
  const clearErrors = () => {
    for (const field of fields) {
      field.error.textContent = '';
      field.element.classList.remove('invalid');
      field.element.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
    }
  };
  return {
    element,
    values,
    clearErrors,
    check() {
      clearErrors();
      const current = values();
      const needed = new Set([...required, ...conditionallyRequired(schema, current)]);
      let first: Field | undefined;
      for (const field of fields) {
        const problem = problemOf(current[field.key], { ...field.node, ...conditionalNode(schema, field.key, current) }, needed.has(field.key));
        if (problem) {
          mark(field, problem);
          first ??= field;
        }
      }
      first?.element.querySelector<HTMLElement>('input, select, textarea')?.focus();
      return !first;
    },
    showServerErrors(errors, prefix = 'body.variables.') {
      clearErrors();
      const unplaced: Array<{ field: string; message: string }> = [];
      for (const error of errors) {
        const key = error.field.startsWith(prefix) ? /^[^.[]+/.exec(error.field.slice(prefix.length))?.[0] : undefined;
        const field = fields.find((f) => f.key === key);
        if (field) mark(field, fieldMessage(error.message));
        else unplaced.push(error);
      }
      fields.find((f) => f.element.classList.contains('invalid'))?.element.querySelector<HTMLElement>('input, select, textarea')?.focus();
      return unplaced;
    },
  };
}
