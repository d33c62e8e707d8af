/**
 * The ajv instance that validates task variables against a Camunda form's JSON Schema
 * (`camunda-form-schema.ts`), with the few keywords standard JSON Schema has no word for,
 * each one a rule of form-js 1.23 (`Validator`, the fields' value sanitizers):
 *
 * | keyword              | form-js rule                                                     |
 * |----------------------|------------------------------------------------------------------|
 * | `x-required`         | `required`: not `''`, not `[]`, a checkbox checked (`null` and a  |
 * |                      | missing value are refused by `type` and `required`)              |
 * | `x-trimmedMinLength` | `value.trim().length < minLength` is refused                     |
 * | `x-trimmedMaxLength` | `value.trim().length > maxLength` is refused                     |
 * | `x-validationType`   | `email`, `phone` (the same patterns, see below)                   |
 * | `x-decimalDigits`    | a number with more decimals than `decimalDigits`                  |
 * | `x-increment`        | a number that is not a multiple of `increment` (exact decimals)   |
 * | `x-singleLine`       | a text field never submits a newline or tab (it makes them spaces)|
 * | `x-numericString`    | `serializeToString` numbers: text that `Number()` reads           |
 * | `x-dateTime`         | `date`, `time`, `datetime` in the ISO shapes form-js writes      |
 *
 * Patterns run without the `u` flag (`unicodeRegExp: false`), as form-js's `new RegExp(pattern)`.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { FormValidationError } from '../problem';
import { camundaFormSchema } from './camunda-form-schema';
import { fieldErrors, formSchemaHash, type JsonSchema } from '../validation';

/**
 * The e-mail rule form-js applies: the HTML "valid e-mail address" grammar
 * (https://html.spec.whatwg.org/multipage/input.html#valid-e-mail-address).
 */
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

/**
 * A phone number in international form, as ITU-T E.164 writes it: `+` (or the international
 * prefix `00`), a country code that does not start with 0, then the rest of the number: 7 to 15
 * digits in all. form-js 1.23 is stricter in one way (it knows the assigned country codes and
 * their leading digits, so `+999…` is refused in the browser) and looser in another (it looks for
 * the number at the end of the text only): the browser refuses those first, and the table of
 * test/unit/forms marks both rows where the server differs.
 */
const PHONE = /^(\+|00)[1-9]\d{6,14}$/;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isDateTime(text: string, subtype: unknown): boolean {
  if (subtype === 'date') return isDate(text);
  if (subtype === 'time') return TIME.test(text);
  const [date, time, ...rest] = text.split('T');
  return rest.length === 0 && time !== undefined && isDate(date) && TIME.test(time);
}

/** The number of decimals of a JS number as form-js counts them (its decimal expansion). */
export function decimalsOf(value: number): number {
  const [mantissa, exponent] = String(Math.abs(value)).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent ?? 0));
}

/** A decimal as an integer scaled by 10^scale (exact, from its decimal text). */
function scaled(text: string, scale: number): bigint {
  const [mantissa, exponent = '0'] = text.toLowerCase().split('e');
  const negative = mantissa.startsWith('-');
  const [whole, fraction = ''] = mantissa.replace(/^[-+]/, '').split('.');
  const shift = scale + Number(exponent) - fraction.length;
  const digits = BigInt(`${whole}${fraction}` || '0');
  const value = shift >= 0 ? digits * 10n ** BigInt(shift) : digits / 10n ** BigInt(-shift);
  return negative ? -value : value;
}

/** True when `value` is a whole multiple of `increment` in exact decimal arithmetic. */
export function isMultipleOf(value: number, increment: string): boolean {
  const scale = Math.max(decimalsOf(value), decimalsOf(Number(increment)));
  if (scale > 40) return false;
  const step = scaled(increment, scale);
  return step !== 0n && scaled(String(value), scale) % step === 0n;
}

type Check = (schema: any, data: unknown) => string | undefined;

/** form-js's rules as ajv keywords: each check returns the message of a refusal. */
const CHECKS: Record<string, { type: Array<'string' | 'number' | 'boolean' | 'array'>; schema: object; check: Check }> = {
  'x-required': {
    type: ['string', 'boolean', 'array'],
    schema: { const: true },
    check: (_, data) => (data === '' || data === false || (Array.isArray(data) && data.length === 0) ? (data === false ? 'is required (must be checked)' : 'is required') : undefined),
  },
  'x-trimmedMinLength': {
    type: ['string'],
    schema: { type: 'number' },
    check: (n: number, data) => ((data as string).trim().length < n ? `must have at least ${n} characters (not counting spaces at either end)` : undefined),
  },
  'x-trimmedMaxLength': {
    type: ['string'],
    schema: { type: 'number' },
    check: (n: number, data) => ((data as string).trim().length > n ? `must have at most ${n} characters (not counting spaces at either end)` : undefined),
  },
  'x-validationType': {
    type: ['string'],
    schema: { enum: ['email', 'phone'] },
    check: (kind, data) => {
      if (kind === 'email') return EMAIL.test(data as string) ? undefined : 'must be a valid e-mail address';
      return PHONE.test(data as string) ? undefined : 'must be a valid international phone number (e.g. +84912345678)';
    },
  },
  'x-decimalDigits': {
    type: ['number'],
    schema: { type: 'integer', minimum: 0 },
    check: (n: number, data) => (data !== 0 && decimalsOf(data as number) > n ? (n === 0 ? 'must be an integer' : `must have at most ${n} decimal digits`) : undefined),
  },
  'x-increment': {
    type: ['number'],
    schema: { type: 'string' },
    check: (increment: string, data) => (data !== 0 && !isMultipleOf(data as number, increment) ? `must be a multiple of ${increment}` : undefined),
  },
  'x-singleLine': {
    type: ['string'],
    schema: { const: true },
    check: (_, data) => (/[\r\n\t]/.test(data as string) ? 'must be one line (no newline or tab)' : undefined),
  },
  'x-numericString': {
    type: ['string'],
    schema: { const: true },
    check: (_, data) => ((data as string) === '' || Number.isNaN(Number(data)) ? 'must be a number' : undefined),
  },
  'x-dateTime': {
    type: ['string'],
    schema: { enum: ['date', 'time', 'datetime'] },
    check: (subtype, data) => {
      if (isDateTime(data as string, subtype)) return undefined;
      return subtype === 'date' ? 'must be a date (YYYY-MM-DD)' : subtype === 'time' ? 'must be a time (HH:mm, with Z or an offset)' : 'must be a date and time (YYYY-MM-DDTHH:mm, with Z or an offset)';
    },
  },
};

function newCamundaFormAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, unicodeRegExp: false, allowUnionTypes: true });
  addFormats(ajv);
  for (const [keyword, { type, schema, check }] of Object.entries(CHECKS)) {
    const validate = (value: unknown, data: unknown): boolean => {
      const message = check(value, data);
      if (message === undefined) return true;
      (validate as unknown as { errors: Partial<ErrorObject>[] }).errors = [{ keyword, message, params: { [keyword]: value } }];
      return false;
    };
    ajv.addKeyword({ keyword, type, metaSchema: schema, errors: true, validate });
  }
  return ajv;
}

const ajv = newCamundaFormAjv();
const compiled = new Map<string, ValidateFunction>();

/** Compiles the JSON Schema of a Camunda form (cached by its hash); throws when it does not compile. */
export function compileCamundaForm(schema: JsonSchema, hash = formSchemaHash(schema)): ValidateFunction {
  let validate = compiled.get(hash);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(hash, validate);
  }
  return validate;
}

/** The field errors of `variables` against a Camunda form's schema, named from `root` (empty when valid). */
export function camundaFormErrors(schema: JsonSchema, hash: string, variables: unknown, root = 'body.variables') {
  const validate = compileCamundaForm(schema, hash);
  if (validate(variables)) return [];
  // "must match the then schema" only repeats the rule that failed inside it.
  return fieldErrors((validate.errors ?? []).filter((e) => e.keyword !== 'if'), root);
}

/** Validates task variables against a Camunda form; throws FormValidationError naming each field. */
export function validateCamundaForm(formKey: string, schema: JsonSchema, hash: string, variables: unknown): void {
  const errors = camundaFormErrors(schema, hash, variables);
  if (errors.length > 0) throw new FormValidationError(formKey, errors);
}

const converted = new Map<string, { schema: JsonSchema; hash: string }>();

/**
 * Validates task variables against a deployed Camunda form (its form-js JSON, `formHash` the
 * hash stored with it); the derived schema is made once per form. Throws FormValidationError.
 */
export function validateCamundaTaskForm(form: { formKey: string; schema: JsonSchema; schemaHash: string }, variables: unknown): void {
  let derived = converted.get(form.schemaHash);
  if (!derived) {
    const { schema } = camundaFormSchema(form.schema);
    derived = { schema, hash: formSchemaHash(schema) };
    converted.set(form.schemaHash, derived);
  }
  validateCamundaForm(form.formKey, derived.schema, derived.hash, variables);
}
