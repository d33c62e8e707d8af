/**
 * The inbox's form (modeler/src/shared/schema-form.ts) marks the server's refusal of a task's
 * variables on the field it names, in Vietnamese. The refusals here are the server's own: the
 * library's JSON Schema forms checked by api/src/validation.ts's `validateForm`, as a
 * completion is. Every message must get its own sentence (never the catch-all) and name a
 * field of the form.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fieldMessage } from '../../../modeler/src/shared/schema-form';

// The server's validation, required rather than imported: this folder is type-checked with the
// browser code's settings (modeler/tsconfig.json), which must not take in the server's sources.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { formSchemaHash, validateForm } = require('../../../api/src/validation') as {
  formSchemaHash(schema: Record<string, unknown>): string;
  validateForm(formKey: string, schema: Record<string, unknown>, hash: string, variables: unknown): void;
};

const FORMS = path.join(__dirname, '..', '..', '..', 'processes', 'birth-registration', 'forms');
const form = (key: string) => JSON.parse(readFileSync(path.join(FORMS, `${key}.schema.json`), 'utf8')) as Record<string, any>;

/** The server's field errors for `variables` against `schema`. */
function refusal(schema: Record<string, any>, variables: Record<string, unknown>): Array<{ field: string; message: string }> {
  try {
    validateForm('test', schema, formSchemaHash(schema), variables);
  } catch (error) {
    const refused = error as { code?: string; errors?: Array<{ field: string; message: string }> };
    if (refused.code === 'FORM_INVALID' && refused.errors) return refused.errors;
    throw error;
  }
  throw new Error('the server took these variables');
}

describe('schema-form: the server’s refusals in our words, on their fields', () => {
  const receive = form('receive');
  const examine = form('examine');

  it.each([
    ['a missing required field', receive, { decision: 'accept', childBirthDate: '2026-12-01', childSex: 'nam' }, 'childName', 'Bắt buộc nhập.'],
    ['a value that is no choice', receive, { decision: 'maybe', childName: 'An', childBirthDate: '2026-12-01', childSex: 'nam' }, 'decision', 'Chọn một trong các giá trị cho sẵn.'],
    ['a malformed date', receive, { decision: 'accept', childName: 'An', childBirthDate: '01/12/2026', childSex: 'nam' }, 'childBirthDate', 'Ngày không hợp lệ.'],
    ['a malformed id number', receive, { decision: 'accept', childName: 'An', childBirthDate: '2026-12-01', childSex: 'nam', motherId: '00119' }, 'motherId', 'Không đúng định dạng.'],
    ['a text too long', receive, { decision: 'accept', childName: 'A'.repeat(101), childBirthDate: '2026-12-01', childSex: 'nam' }, 'childName', 'Tối đa 100 ký tự.'],
    ['a wrong type', receive, { decision: 'accept', childName: 42, childBirthDate: '2026-12-01', childSex: 'nam' }, 'childName', 'Phải là văn bản.'],
    ['a required list left empty by the if/then of a choice', examine, { outcome: 'supplement', missingItems: [] }, 'missingItems', 'Cần ít nhất 1 dòng.'],
    ['a list the if/then of a choice requires', examine, { outcome: 'supplement' }, 'missingItems', 'Bắt buộc nhập.'],
  ])('%s', (_what, schema, variables, key, sentence) => {
    const errors = refusal(schema, variables);
    const on = errors.filter((e) => e.field === `body.variables.${key}`);
    expect(on.length).toBeGreaterThan(0);
    expect(on.map((e) => fieldMessage(e.message))).toContain(sentence);
    // every refusal names a field of the form
    for (const e of errors) expect(Object.keys(schema.properties)).toContain(/^body\.variables\.([^.]+)/.exec(e.field)?.[1]);
  });
});
