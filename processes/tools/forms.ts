/**
 * The JSON Schema task forms of the library, Vietnamese titles first. The forms of the
 * lifecycle steps are the same for every procedure (the variables the gateways read:
 * `decision`, `outcome`, `approved`); a procedure adds the fields of its own reception
 * and of its agencies' steps.
 *
 * Why JSON Schema: it is what the API validates task completions against
 * (api/src/routes/deployments.ts: `forms` deployed with the model, matched by form key).
 */

/** A JSON Schema object (loosely typed: these are data). */
export type FormSchema = Record<string, unknown>;

/** A string field with a Vietnamese title. */
export function text(title: string, more: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'string', title, maxLength: 1000, ...more };
}

/** A date field (yyyy-mm-dd). */
export function date(title: string): Record<string, unknown> {
  return { type: 'string', title, format: 'date' };
}

/** A choice among values, each with its Vietnamese title. */
export function choice(title: string, options: Array<[string, string]>): Record<string, unknown> {
  return { type: 'string', title, oneOf: options.map(([value, label]) => ({ const: value, title: label })) };
}

/** An object form. */
export function form(title: string, properties: Record<string, unknown>, required: string[] = [], description?: string): FormSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    title,
    ...(description ? { description } : {}),
    required,
    properties,
  };
}


/** Reception (mẫu 01 or 03) with the procedure's own declaration fields. */
export function receiveForm(declaration: Record<string, unknown>, requiredDeclaration: string[]): FormSchema {
  return form(
    'Tiếp nhận hồ sơ',
    {
      // No dossier code or channel here: they come from the dossier (protected variables), never typed in.
      decision: choice('Kết quả kiểm tra', [['accept', 'Tiếp nhận (mẫu 01)'], ['refuse', 'Từ chối tiếp nhận (mẫu 03)']]),
      refusalReason: text('Lý do từ chối tiếp nhận'),
      ...declaration,
    },
    ['decision', ...requiredDeclaration],
    'Kiểm tra danh tính (VNeID) và thành phần hồ sơ; dữ liệu đã có trong cơ sở dữ liệu quốc gia không yêu cầu nộp lại.',
  );
}

/** Examination by the processing unit: a supplement names every missing item (one request, all items). */
export const EXAMINE_FORM: FormSchema = {
  ...form(
    'Thẩm định hồ sơ',
    {
      outcome: choice('Đề xuất', [['propose-approve', 'Đề xuất giải quyết'], ['propose-reject', 'Đề xuất từ chối'], ['supplement', 'Yêu cầu bổ sung, hoàn thiện hồ sơ']]),
      missingItems: { type: 'array', title: 'Nội dung cần bổ sung', items: text('Nội dung'), maxItems: 50 },
      opinion: text('Ý kiến thẩm định'),
    },
    ['outcome'],
  ),
  if: { properties: { outcome: { const: 'supplement' } }, required: ['outcome'] },
  then: { required: ['missingItems'], properties: { missingItems: { minItems: 1 } } },
};

/** The one supplement request (mẫu 02): every missing or wrong item, once. */
export const REQUEST_SUPPLEMENT_FORM = form(
  'Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)',
  {
    missingItems: { type: 'array', title: 'Nội dung cần bổ sung (nêu đầy đủ một lần)', items: text('Nội dung'), minItems: 1, maxItems: 50 },
    reason: text('Lý do'),
  },
  ['missingItems'],
);

/** The decision of the head. */
export const SIGN_FORM = form(
  'Phê duyệt kết quả',
  {
    approved: { type: 'boolean', title: 'Phê duyệt (ký số kết quả)' },
    rejectionReason: text('Lý do từ chối giải quyết'),
  },
  ['approved'],
);

/** The return of the result. */
export const RETURN_RESULT_FORM = form(
  'Trả kết quả',
  {
    returnChannel: choice('Hình thức trả', [['online', 'Kết quả điện tử'], ['desk', 'Tại Bộ phận Một cửa'], ['post', 'Qua bưu chính']]),
    resultNumber: text('Số, ký hiệu kết quả', { maxLength: 100 }),
  },
  ['returnChannel'],
);

/** The return of a reasoned refusal (art. 19(3)). */
export const RETURN_REFUSAL_FORM = form(
  'Trả văn bản từ chối giải quyết',
  {
    returnChannel: choice('Hình thức trả', [['online', 'Trực tuyến'], ['desk', 'Tại Bộ phận Một cửa'], ['post', 'Qua bưu chính']]),
    reason: text('Lý do từ chối'),
  },
  ['returnChannel', 'reason'],
);

/** The lifecycle forms by form key, plus a procedure's reception and own forms. */
export function lifecycleForms(receive: FormSchema, own: Record<string, FormSchema> = {}): Record<string, FormSchema> {
  return {
    receive,
    examine: EXAMINE_FORM,
    'request-supplement': REQUEST_SUPPLEMENT_FORM,
    sign: SIGN_FORM,
    'return-result': RETURN_RESULT_FORM,
    'return-refusal': RETURN_REFUSAL_FORM,
    ...own,
  };
}
