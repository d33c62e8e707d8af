/**
 * The table of Camunda forms and inputs that the server (ajv over the derived JSON Schema)
 * and form-js (the real viewer, in Chromium) must judge alike: every field type and every
 * validation the forms use, each with values taken and refused.
 *
 * `accept` is what form-js does: it takes a value when it submits it unchanged with no
 * error (a value it sanitizes, e.g. a select value that is no option, it never sends).
 * Used by test/unit/forms/camunda-form-schema.test.ts and test/browser/camunda-form-parity.test.ts.
 */

export interface TableForm {
  id: string;
  components: Array<Record<string, unknown>>;
}

export interface TableRow {
  form: string;
  what: string;
  data: Record<string, unknown>;
  /** What form-js does. */
  accept: boolean;
  /**
   * What the server does, only where it differs on purpose (documented in
   * api/src/forms/camunda-form-schema.ts): a conditional field's `required`, dates that
   * `Date.parse` reads but that are not ISO, phone numbers (E.164 shape, not form-js's list of codes).
   */
  server?: boolean;
}

const options = (...values: string[]) => values.map((value) => ({ label: value.toUpperCase(), value }));

export const FORMS: TableForm[] = [
  {
    id: 'text',
    components: [
      { type: 'textfield', key: 'name', label: 'Name', validate: { required: true, minLength: 2, maxLength: 5 } },
      { type: 'textfield', key: 'code', label: 'Code', validate: { pattern: '^[A-Z]{2}\\d+$' } },
      { type: 'textfield', key: 'ref', label: 'Reference', validate: { pattern: '\\d{3}' } },
      { type: 'textarea', key: 'note', label: 'Note', validate: { maxLength: 6 } },
    ],
  },
  {
    id: 'contact',
    components: [
      { type: 'textfield', key: 'email', label: 'E-mail', validate: { validationType: 'email' } },
      { type: 'textfield', key: 'phone', label: 'Phone', validate: { validationType: 'phone' } },
    ],
  },
  {
    id: 'numbers',
    components: [
      { type: 'number', key: 'amount', label: 'Amount', validate: { required: true, min: 0, max: 100 } },
      { type: 'number', key: 'price', label: 'Price', decimalDigits: 2 },
      { type: 'number', key: 'step', label: 'Step', increment: '0.5' },
    ],
  },
  {
    id: 'choices',
    components: [
      { type: 'checkbox', key: 'agree', label: 'Agree', validate: { required: true } },
      { type: 'checkbox', key: 'subscribe', label: 'Subscribe' },
      { type: 'radio', key: 'channel', label: 'Channel', values: options('post', 'online') },
      { type: 'select', key: 'office', label: 'Office', values: options('hn', 'hcm'), validate: { required: true } },
      { type: 'checklist', key: 'papers', label: 'Papers', values: options('id', 'photo'), validate: { required: true } },
      { type: 'taglist', key: 'tags', label: 'Tags', values: options('red', 'blue') },
    ],
  },
  {
    id: 'dates',
    components: [
      { type: 'datetime', key: 'day', subtype: 'date', dateLabel: 'Day', validate: { required: true } },
      { type: 'datetime', key: 'at', subtype: 'time', timeLabel: 'At', timeSerializingFormat: 'no_timezone', use24h: true },
      { type: 'datetime', key: 'when', subtype: 'datetime', dateLabel: 'Date', timeLabel: 'Time', timeSerializingFormat: 'utc_normalized', use24h: true },
    ],
  },
  {
    id: 'conditional',
    components: [
      { type: 'checkbox', key: 'married', label: 'Married' },
      { type: 'textfield', key: 'spouse', label: 'Spouse', validate: { required: true, minLength: 2 }, conditional: { hide: '=married != true' } },
    ],
  },
  {
    id: 'nested',
    components: [
      { type: 'text', text: '# Applicant' },
      { type: 'textfield', key: 'applicant.name', label: 'Applicant', validate: { required: true } },
      { type: 'group', label: 'Address', path: 'address', components: [{ type: 'textfield', key: 'city', label: 'City', validate: { required: true, minLength: 2 } }] },
      {
        type: 'dynamiclist',
        label: 'Members',
        path: 'members',
        isRepeating: true,
        defaultRepetitions: 1,
        allowAddRemove: true,
        components: [{ type: 'number', key: 'age', label: 'Age', validate: { min: 18 } }],
      },
      { type: 'textfield', key: 'locked', label: 'Locked', disabled: true, validate: { required: true } },
    ],
  },
];

export const ROWS: TableRow[] = [
  // textfield, textarea: required, minLength / maxLength on the trimmed text, pattern
  { form: 'text', what: 'all valid', data: { name: 'Lan', code: 'HN12', note: 'ok' }, accept: true },
  { form: 'text', what: 'required missing', data: { code: 'HN12' }, accept: false },
  { form: 'text', what: 'required empty', data: { name: '' }, accept: false },
  { form: 'text', what: 'minLength counts the trimmed text', data: { name: ' A ' }, accept: false },
  { form: 'text', what: 'minLength met', data: { name: 'An' }, accept: true },
  { form: 'text', what: 'maxLength passed', data: { name: 'Nguyen' }, accept: false },
  { form: 'text', what: 'maxLength ignores spaces at the ends', data: { name: '  Minh  ' }, accept: true },
  { form: 'text', what: 'Vietnamese letters count one each', data: { name: 'Hương' }, accept: true },
  { form: 'text', what: 'pattern refused', data: { name: 'Lan', code: 'hn12' }, accept: false },
  { form: 'text', what: 'pattern anchored by its author', data: { name: 'Lan', code: 'HN12a' }, accept: false },
  { form: 'text', what: 'pattern is not anchored for the author', data: { name: 'Lan', ref: 'HS-123-x' }, accept: true },
  { form: 'text', what: 'pattern not found', data: { name: 'Lan', ref: 'HS-12' }, accept: false },
  { form: 'text', what: 'an empty optional field skips its pattern', data: { name: 'Lan', code: '' }, accept: true },
  { form: 'text', what: 'a text field never has a newline', data: { name: 'La\nn' }, accept: false },
  { form: 'text', what: 'a text area may have a newline', data: { name: 'Lan', note: 'a\nb' }, accept: true },
  { form: 'text', what: 'textarea maxLength', data: { name: 'Lan', note: 'abcdefg' }, accept: false },
  { form: 'text', what: 'a number is not text', data: { name: 'Lan', code: 12 }, accept: false },
  // validationType email / phone
  { form: 'contact', what: 'email', data: { email: 'lan@dvc.gov.vn' }, accept: true },
  { form: 'contact', what: 'email without domain', data: { email: 'lan@' }, accept: false },
  { form: 'contact', what: 'email with a space', data: { email: 'lan @dvc.gov.vn' }, accept: false },
  { form: 'contact', what: 'phone of Viet Nam', data: { phone: '+84912345678' }, accept: true },
  { form: 'contact', what: 'phone with 00', data: { phone: '0084912345678' }, accept: true },
  { form: 'contact', what: 'national phone number', data: { phone: '0912345678' }, accept: false },
  { form: 'contact', what: 'phone with letters', data: { phone: '+84abc' }, accept: false },
  { form: 'contact', what: 'an unassigned country code (form-js knows the codes; the server checks the E.164 shape)', data: { phone: '+9991234567' }, accept: false, server: true },
  { form: 'contact', what: 'text before the number (form-js looks at the end only; the server takes the number alone)', data: { phone: 'tel +84912345678' }, accept: true, server: false },
  { form: 'contact', what: 'both empty', data: { email: '', phone: '' }, accept: true },
  // number: required, min, max, decimalDigits, increment
  { form: 'numbers', what: 'valid', data: { amount: 10, price: 1.25, step: 1.5 }, accept: true },
  { form: 'numbers', what: 'zero is a value', data: { amount: 0 }, accept: true },
  { form: 'numbers', what: 'required missing', data: {}, accept: false },
  { form: 'numbers', what: 'required null', data: { amount: null }, accept: false },
  { form: 'numbers', what: 'below min', data: { amount: -1 }, accept: false },
  { form: 'numbers', what: 'above max', data: { amount: 100.5 }, accept: false },
  { form: 'numbers', what: 'max itself', data: { amount: 100 }, accept: true },
  { form: 'numbers', what: 'too many decimals', data: { amount: 1, price: 1.234 }, accept: false },
  { form: 'numbers', what: 'not on the increment', data: { amount: 1, step: 0.7 }, accept: false },
  { form: 'numbers', what: 'on the increment', data: { amount: 1, step: -2.5 }, accept: true },
  { form: 'numbers', what: 'optional null', data: { amount: 1, price: null }, accept: true },
  { form: 'numbers', what: 'a numeric string is sanitized to a number', data: { amount: '5' }, accept: false },
  // checkbox, radio, select, checklist, taglist: required, values from static options
  { form: 'choices', what: 'all valid', data: { agree: true, subscribe: false, channel: 'post', office: 'hn', papers: ['id'], tags: ['red', 'blue'] }, accept: true },
  { form: 'choices', what: 'required checkbox unchecked', data: { agree: false, office: 'hn', papers: ['id'] }, accept: false },
  { form: 'choices', what: 'checkbox as text', data: { agree: 'true', office: 'hn', papers: ['id'] }, accept: false },
  { form: 'choices', what: 'radio value not an option', data: { agree: true, channel: 'fax', office: 'hn', papers: ['id'] }, accept: false },
  { form: 'choices', what: 'optional radio null', data: { agree: true, channel: null, office: 'hn', papers: ['id'] }, accept: true },
  { form: 'choices', what: 'required select null', data: { agree: true, office: null, papers: ['id'] }, accept: false },
  { form: 'choices', what: 'select value not an option', data: { agree: true, office: 'dn', papers: ['id'] }, accept: false },
  { form: 'choices', what: 'required checklist empty', data: { agree: true, office: 'hcm', papers: [] }, accept: false },
  { form: 'choices', what: 'checklist value not an option', data: { agree: true, office: 'hcm', papers: ['id', 'visa'] }, accept: false },
  { form: 'choices', what: 'taglist value not an option', data: { agree: true, office: 'hcm', papers: ['photo'], tags: ['green'] }, accept: false },
  { form: 'choices', what: 'checklist not an array', data: { agree: true, office: 'hcm', papers: 'id' }, accept: false },
  // datetime: date, time, datetime
  { form: 'dates', what: 'date', data: { day: '2026-12-07' }, accept: true },
  { form: 'dates', what: 'required date missing', data: {}, accept: false },
  { form: 'dates', what: 'date as day/month/year', data: { day: '07/12/2026' }, accept: false },
  { form: 'dates', what: 'date with a time', data: { day: '2026-12-07T10:00' }, accept: false },
  { form: 'dates', what: 'time', data: { day: '2026-12-07', at: '09:30' }, accept: true },
  { form: 'dates', what: 'time out of range', data: { day: '2026-12-07', at: '25:00' }, accept: false },
  { form: 'dates', what: 'datetime in UTC', data: { day: '2026-12-07', when: '2026-12-07T02:30Z' }, accept: true },
  { form: 'dates', what: 'datetime without a time', data: { day: '2026-12-07', when: '2026-12-07' }, accept: false },
  { form: 'dates', what: 'a date Date.parse reads but not ISO (the server takes ISO only)', data: { day: '2026-1-7' }, accept: true, server: false },
  // conditional fields: validated when shown; the server does not evaluate the condition
  { form: 'conditional', what: 'hidden, not sent', data: { married: false }, accept: true },
  { form: 'conditional', what: 'shown and filled', data: { married: true, spouse: 'Lan' }, accept: true },
  { form: 'conditional', what: 'shown, too short', data: { married: true, spouse: 'L' }, accept: false },
  { form: 'conditional', what: 'hidden but sent (form-js drops it; the server checks it)', data: { married: false, spouse: 'L' }, accept: false },
  { form: 'conditional', what: 'shown, required, missing (the server does not require it)', data: { married: true }, accept: false, server: true },
  // nesting: dotted keys, group path, dynamic list path; display fields; disabled fields
  { form: 'nested', what: 'valid', data: { applicant: { name: 'Lan' }, address: { city: 'Huế' }, members: [{ age: 30 }] }, accept: true },
  { form: 'nested', what: 'dotted key missing', data: { applicant: {}, address: { city: 'Huế' }, members: [] }, accept: false },
  { form: 'nested', what: 'group field too short', data: { applicant: { name: 'Lan' }, address: { city: 'H' }, members: [] }, accept: false },
  { form: 'nested', what: 'group field missing', data: { applicant: { name: 'Lan' }, address: {}, members: [] }, accept: false },
  { form: 'nested', what: 'list item below min', data: { applicant: { name: 'Lan' }, address: { city: 'Huế' }, members: [{ age: 30 }, { age: 16 }] }, accept: false },
  { form: 'nested', what: 'list item empty', data: { applicant: { name: 'Lan' }, address: { city: 'Huế' }, members: [{ age: null }] }, accept: true },
];

/** The form-js schema (as a `.form` file holds it) of a table form. */
export function formJsSchema(form: TableForm): Record<string, unknown> {
  const withIds = (components: Array<Record<string, unknown>>, prefix: string): Array<Record<string, unknown>> =>
    components.map((c, i) => ({ id: `${prefix}_${i}`, ...c, ...(Array.isArray(c.components) ? { components: withIds(c.components, `${prefix}_${i}`) } : {}) }));
  return { id: form.id, type: 'default', schemaVersion: 16, components: withIds(form.components, form.id) };
}
