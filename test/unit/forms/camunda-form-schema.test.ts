/**
 * Camunda forms on the server: the JSON Schema derived from a form-js schema takes and
 * refuses the inputs of the table (camunda-form-table.ts) as form-js does; the browser test
 * runs the same table through the real viewer. Plus: what cannot be converted, and notes.
 */
import { camundaFormErrors } from '../../../api/src/forms/camunda-form-ajv';
import { camundaFormSchema, isCamundaForm } from '../../../api/src/forms/camunda-form-schema';
import { formSchemaHash } from '../../../api/src/validation';
import { FORMS, ROWS, formJsSchema } from './camunda-form-table';

function converted(formId: string) {
  const form = FORMS.find((f) => f.id === formId)!;
  const { schema, problems } = camundaFormSchema(formJsSchema(form));
  expect(problems).toEqual([]);
  return schema;
}

describe('forms/camunda-form-schema', () => {
  describe('the table: accepted and refused as form-js does', () => {
    it.each(ROWS.map((row) => [`${row.form}: ${row.what} → ${(row.server ?? row.accept) ? 'accepted' : 'refused'}`, row] as const))('%s', (_name, row) => {
      // given
      const schema = converted(row.form);

      // when
      const errors = camundaFormErrors(schema, formSchemaHash(schema), row.data);

      // then
      expect(errors.length === 0).toBe(row.server ?? row.accept);
    });

    it('should cover every field type and every validation the forms use', () => {
      const types = new Set<string>();
      const rules = new Set<string>();
      const visit = (components: Array<Record<string, unknown>>) => {
        for (const c of components) {
          types.add(c.type as string);
          if (c.subtype) types.add(`datetime:${c.subtype}`);
          for (const rule of Object.keys((c.validate as object) ?? {})) rules.add(rule === 'validationType' ? `validationType:${(c.validate as Record<string, string>).validationType}` : rule);
          for (const key of ['decimalDigits', 'increment', 'disabled', 'values']) if (key in c) rules.add(key);
          if (Array.isArray(c.components)) visit(c.components);
        }
      };
      FORMS.forEach((f) => visit(f.components));
      expect([...types].sort()).toEqual(
        ['checkbox', 'checklist', 'datetime', 'datetime:date', 'datetime:datetime', 'datetime:time', 'dynamiclist', 'group', 'number', 'radio', 'select', 'taglist', 'text', 'textarea', 'textfield'].sort(),
      );
      expect([...rules].sort()).toEqual(
        ['decimalDigits', 'disabled', 'increment', 'max', 'maxLength', 'min', 'minLength', 'pattern', 'required', 'validationType:email', 'validationType:phone', 'values'].sort(),
      );
      for (const form of FORMS) {
        expect(ROWS.filter((r) => r.form === form.id && r.accept).length).toBeGreaterThan(0);
        expect(ROWS.filter((r) => r.server !== undefined).length).toBeLessThanOrEqual(4);
        expect(ROWS.filter((r) => r.form === form.id && !r.accept).length).toBeGreaterThan(0);
      }
    });
  });

  describe('errors', () => {
    it('should name each refused field by its path', () => {
      // given
      const schema = converted('nested');

      // when
      const errors = camundaFormErrors(schema, formSchemaHash(schema), { applicant: {}, address: { city: 'H' }, members: [{ age: 30 }, { age: 3 }] });

      // then
      expect(errors).toEqual([
        { field: 'body.variables.applicant.name', message: "must have required property 'name'" },
        { field: 'body.variables.address.city', message: 'must have at least 2 characters (not counting spaces at either end)' },
        { field: 'body.variables.members[1].age', message: 'must be >= 18' },
      ]);
    });

    it('should say that a required field is empty, unchecked or has no choice', () => {
      const text = converted('text');
      const choices = converted('choices');
      expect(camundaFormErrors(text, formSchemaHash(text), { name: '' })).toEqual([{ field: 'body.variables.name', message: 'is required' }]);
      expect(camundaFormErrors(choices, formSchemaHash(choices), { agree: false, office: 'hn', papers: [] })).toEqual([
        { field: 'body.variables.agree', message: 'is required (must be checked)' },
        { field: 'body.variables.papers', message: 'is required' },
      ]);
    });

    it('should say what a phone number must look like', () => {
      const schema = converted('contact');
      expect(camundaFormErrors(schema, formSchemaHash(schema), { phone: '0912' })).toEqual([
        { field: 'body.variables.phone', message: 'must be a valid international phone number (e.g. +84912345678)' },
      ]);
    });
  });

  describe('conversion', () => {
    it('should tell a form-js schema from a JSON Schema', () => {
      expect(isCamundaForm({ components: [] })).toBe(true);
      expect(isCamundaForm({ type: 'object', properties: {} })).toBe(false);
    });

    it('should refuse unknown component types, duplicate keys and keys that are no names, all at once', () => {
      // when
      const { problems } = camundaFormSchema({
        components: [
          { type: 'signature', key: 'sign' },
          { type: 'textfield', key: 'a' },
          { type: 'number', key: 'a' },
          { type: 'textfield', key: 'b..c' },
          { type: 'dynamiclist', components: [] },
        ],
      });

      // then
      expect(problems).toEqual([
        "'sign': the component type 'signature' is not supported",
        "'a': two fields have this key",
        '\'b..c\' (textfield): its key "b..c" is not a dotted name',
        'components[4] (dynamiclist): its path "" is not a dotted name',
      ]);
    });

    it('should not require a conditional field, and say so in a note', () => {
      // given
      const form = {
        components: [
          { type: 'checkbox', key: 'married' },
          { type: 'textfield', key: 'spouse', validate: { required: true, minLength: 2 }, conditional: { hide: '=not(married)' } },
        ],
      };

      // when
      const { schema, notes } = camundaFormSchema(form);
      const hash = formSchemaHash(schema);

      // then
      expect(camundaFormErrors(schema, hash, { married: false })).toEqual([]);
      expect(camundaFormErrors(schema, hash, { married: true, spouse: 'X' })).toHaveLength(1);
      expect(notes).toContain("'spouse': required only when shown (a conditional field), so the server does not require it");
    });

    it('should note rules written in FEEL, which the server does not check', () => {
      const { notes } = camundaFormSchema({ components: [{ type: 'number', key: 'n', validate: { min: '=limit' } }] });
      expect(notes).toEqual(["'n': min given as FEEL expressions are not checked by the server"]);
    });

    it('should take any value of expression fields and options from the data', () => {
      const { schema } = camundaFormSchema({
        components: [
          { type: 'expression', key: 'total', expression: '=a + b' },
          { type: 'select', key: 'office', valuesKey: 'offices' },
        ],
      });
      expect(camundaFormErrors(schema, formSchemaHash(schema), { total: { any: 1 }, office: 'anything' })).toEqual([]);
    });
  });
});
