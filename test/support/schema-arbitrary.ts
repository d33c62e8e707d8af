/**
 * fast-check arbitraries from JSON Schemas (the subset the OpenAPI document uses:
 * type, enum, min/max, minLength/maxLength, pattern, format date-time and date (with out-of-range years), properties,
 * required, additionalProperties, propertyNames, items, $ref): values that satisfy
 * the schema, values that break it (wrong type, out of range, too long, required
 * property missing, unknown property), and hostile strings anywhere a string goes.
 * Why: the API fuzz test generates its requests from the served document itself, so
 * every operation and every field is exercised without a hand-written list.
 */
import fc from 'fast-check';

export type Schema = Record<string, unknown>;

/** Resolves `$ref`s of the document (`#/components/schemas/Name`). */
export type RefResolver = (ref: string) => Schema;

/** Strings that have broken parsers, drivers and databases before. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '%',
  '%E0%A4%A',
  '%00',
  '%ED%A0%80',
  '%25%',
  "'; DROP TABLE instances; --",
  "' OR '1'='1",
  '"]}',
  '{"a":',
  '\\',
  '\\u0000',
  '../../../etc/passwd',
  '__proto__',
  'constructor',
  '$where',
  'null',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  '99999999999999999999999999',
  'Thủ tục hành chính một cửa',
  '𝕏🙂\u200d🙂',
  '\u202e\u0301',
  '\r\nX-Injected: 1',
  '<![CDATA[x]]><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
  'x'.repeat(300),
  'y'.repeat(70_000),
];

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

/** A hostile string: a known one, random code units (lone surrogates, NUL), or random code points. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: codeUnit, maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

/** Numbers at the edges of what JSON, JavaScript and PostgreSQL carry. */
const edgeNumber = fc.constantFrom(0, -0, -1, 0.5, 2 ** 31, 2 ** 53, 2 ** 63, -(2 ** 63), 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 5e-324);

/** Any JSON value, hostile strings and edge numbers included. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    edgeNumber,
    fc.integer(),
    hostileString,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

function typesOf(schema: Schema): string[] {
  const type = schema.type;
  return Array.isArray(type) ? type.map(String) : typeof type === 'string' ? [type] : [];
}

function resolved(schema: Schema, resolve: RefResolver): Schema {
  return typeof schema.$ref === 'string' ? resolved(resolve(schema.$ref), resolve) : schema;
}

function validString(schema: Schema): fc.Arbitrary<string> {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = Math.max(min, Math.min(typeof schema.maxLength === 'number' ? schema.maxLength : 40, 40));
  // The server takes dates and moments in the years 1900–9999 (REQUEST_YEARS in api/src/validation.ts), the edges too; beyond them: invalidValue.
  if (schema.format === 'date-time') {
    return fc.oneof(
      { weight: 4, arbitrary: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()) },
      { weight: 1, arbitrary: fc.constantFrom('1900-01-01T00:00:00Z', '9999-12-31T23:59:59Z') },
    );
  }
  if (schema.format === 'date') {
    return fc.oneof(
      { weight: 4, arbitrary: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
      { weight: 1, arbitrary: fc.constantFrom('1900-01-01', '9999-12-31') },
    );
  }
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= max);
  }
  return fc.string({ minLength: min, maxLength: max });
}

/** Values that satisfy `schema`. */
export function validValue(schema: Schema, resolve: RefResolver): fc.Arbitrary<unknown> {
  const s = resolved(schema, resolve);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const types = typesOf(s);
  const arbitraries: Array<fc.Arbitrary<unknown>> = [];
  for (const type of types) {
    switch (type) {
      case 'string':
        arbitraries.push(validString(s));
        break;
      case 'integer':
        arbitraries.push(fc.integer({ min: typeof s.minimum === 'number' ? s.minimum : -1_000_000, max: typeof s.maximum === 'number' ? s.maximum : 1_000_000 }));
        break;
      case 'number':
        arbitraries.push(fc.double({ noNaN: true, noDefaultInfinity: true, min: typeof s.minimum === 'number' ? s.minimum : -1e6, max: typeof s.maximum === 'number' ? s.maximum : 1e6 }));
        break;
      case 'boolean':
        arbitraries.push(fc.boolean());
        break;
      case 'null':
        arbitraries.push(fc.constant(null));
        break;
      case 'array':
        arbitraries.push(fc.array(s.items ? validValue(s.items as Schema, resolve) : anyJson, { maxLength: 3 }));
        break;
      case 'object':
        arbitraries.push(validObject(s, resolve));
        break;
    }
  }
  if (arbitraries.length === 0) return anyJson;
  return arbitraries.length === 1 ? arbitraries[0] : fc.oneof(...arbitraries);
}

function validObject(s: Schema, resolve: RefResolver): fc.Arbitrary<unknown> {
  const properties = (s.properties ?? {}) as Record<string, Schema>;
  const required = (s.required ?? []) as string[];
  if (Object.keys(properties).length === 0) {
    if (s.additionalProperties === false) return fc.constant({});
    const key = s.propertyNames ? validString(s.propertyNames as Schema) : fc.string({ maxLength: 10 });
    return fc.dictionary(key, anyJson, { maxKeys: 4 });
  }
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) model[name] = validValue(property, resolve);
  return fc.record(model, { requiredKeys: required.filter((r) => r in model) });
}

/** Values that break `schema` where they can: wrong type, out of range, too long. */
function invalidValue(schema: Schema, resolve: RefResolver): fc.Arbitrary<unknown> {
  const s = resolved(schema, resolve);
  const options: Array<fc.Arbitrary<unknown>> = [anyJson];
  if (typeof s.minimum === 'number') options.push(fc.constantFrom(s.minimum - 1, s.minimum - 0.5, -1e308));
  if (typeof s.maximum === 'number') options.push(fc.constantFrom(s.maximum + 1, 1e308));
  if (typeof s.maxLength === 'number') options.push(fc.constant('z'.repeat(s.maxLength + 1)));
  // Dates the database or the calendars cannot hold (QA findings 7–9 were 500s on these).
  if (s.format === 'date') options.push(fc.constantFrom('0001-01-01', '0000-01-01', '1899-12-31', '2026-02-30', '+010000-01-01'));
  if (s.format === 'date-time') options.push(fc.constantFrom('0001-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '1899-12-31T23:59:59+07:00', '+275760-09-13T00:00:00Z'));
  return fc.oneof(...options);
}

/**
 * Valid values mostly, else invalid or hostile ones, recursively: an object's
 * properties are fuzzed one by one, a required one may be missing, an unknown one
 * (with a hostile name) may be added.
 */
export function fuzzValue(schema: Schema, resolve: RefResolver, depth = 0): fc.Arbitrary<unknown> {
  const s = resolved(schema, resolve);
  const types = typesOf(s);
  if (types.includes('object') && depth < 3) {
    const properties = (s.properties ?? {}) as Record<string, Schema>;
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, property] of Object.entries(properties)) model[name] = fuzzValue(property, resolve, depth + 1);
    const fuzzed = fc
      .tuple(
        fc.record(model, { requiredKeys: [] }),
        fc.option(fc.dictionary(hostileString, anyJson, { maxKeys: 2 }), { freq: 4 }),
        s.propertyNames ? fc.dictionary(fc.oneof(validString(s.propertyNames as Schema), hostileString), anyJson, { maxKeys: 3 }) : fc.constant({}),
      )
      .map(([known, extra, named]) => ({ ...named, ...(extra ?? {}), ...known }));
    return fc.oneof({ weight: 3, arbitrary: validValue(s, resolve) }, { weight: 4, arbitrary: fuzzed }, { weight: 1, arbitrary: invalidValue(s, resolve) });
  }
  return fc.oneof({ weight: 3, arbitrary: validValue(s, resolve) }, { weight: 2, arbitrary: invalidValue(s, resolve) }, { weight: 3, arbitrary: hostileString });
}

/**
 * Percent-encodes any string, lone surrogates too (as the three bytes a lenient
 * encoder would write, which is not UTF-8: the server must refuse it, not crash).
 */
export function percentEncode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    let out = '';
    for (const ch of text) {
      const unit = ch.charCodeAt(0);
      if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
        out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
      } else {
        out += encodeURIComponent(ch);
      }
    }
    return out;
  }
}

/** Text as it goes into a URL: percent-encoded, or (sometimes) raw percent-garbage as is. */
export const RAW_URL_GARBAGE: readonly string[] = ['%', '%E0%A4%A', '%00', '%ED%A0%80', '%%', '%zz', '%C0%80', '%FF', 'a%2F..%2F..', '%u0000'];
