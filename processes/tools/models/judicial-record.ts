/**
 * Judicial record certificate (Law 107/2025/QH15; Decree 216/2026): the provincial police
 * from 01/07/2026, 10 working days, 15 with verification; online dossiers accepted or
 * refused within 8 working hours. As-is: paper, verification requests by post. To-be:
 * online, the judicial-record database first, verification only when needed, e-certificate.
 */
import { AGENCY, APPLICANT_LANE, asIsProcess, lane } from '../agencies';
import { choice, form, lifecycleForms, receiveForm, text, EXAMINE_FORM } from '../forms';
import { SUPPLEMENT_MESSAGE, flow, toBeProcess, userTask, type Fragment } from '../one-stop';
import type { ProcedureModels } from './model';

const CA = AGENCY.provincialPolice;

const verification: Fragment = {
  nodes: [
    { id: 'needsVerification', kind: 'exclusiveGateway', name: 'Cần xác minh?', lane: 'officer' },
    userTask({ id: 'verify', name: 'Xác minh với Tòa án, Viện kiểm sát, cơ quan thi hành án (điện tử)', lane: 'officer', agency: CA, groups: 'specialist', share: 5, unit: 'workingDays', status: 'processing', formKey: 'verify' }),
    { id: 'verified', kind: 'exclusiveGateway', lane: 'officer' },
  ],
  flows: [
    flow('needsVerification', 'verify', { name: 'Có', condition: '=needsVerification = true' }),
    flow('needsVerification', 'verified', { name: 'Không', isDefault: true }),
    flow('verify', 'verified'),
  ],
  entry: 'needsVerification',
  exit: 'verified',
};

/** Judicial record certificate: verification only when needed. */
export const judicialRecord: ProcedureModels = {
  code: 'judicial-record',
  asIs: {
    id: 'judicial-record-as-is',
    comment: 'As-is: paper request at the desk, search of the paper and electronic records, verification letters by post, certificate collected at the desk. Not executable.',
    processes: [
      asIsProcess({
        id: 'judicial-record-as-is',
        name: 'Cấp Phiếu lý lịch tư pháp (hiện trạng)',
        participantName: 'Lý lịch tư pháp – hiện trạng',
        agency: CA,
        statutoryTime: 15,
        timeUnit: 'workingDays',
        lanes: [APPLICANT_LANE, lane('asisDesk', 'Công an tỉnh – Tiếp nhận'), lane('asisOfficer', 'Công an tỉnh – Cán bộ lý lịch tư pháp'), lane('asisHead', 'Công an tỉnh – Lãnh đạo phòng')],
        steps: [
          { id: 'a1', lane: 'applicant', name: 'Nộp tờ khai, bản sao căn cước, giấy tờ cư trú (lần 1)' },
          { id: 'a2', lane: 'asisDesk', name: 'Tiếp nhận hồ sơ giấy', agency: CA, share: 1, unit: 'workingDays', documents: ['Tờ khai', 'Bản sao căn cước', 'Giấy tờ cư trú'] },
          { id: 'a3', lane: 'asisOfficer', name: 'Tra cứu hồ sơ lý lịch tư pháp', agency: CA, share: 4, unit: 'workingDays' },
          { id: 'a4', lane: 'asisOfficer', name: 'Gửi văn bản xác minh, chờ trả lời', agency: CA, share: 6, unit: 'workingDays' },
          { id: 'a5', lane: 'asisHead', name: 'Ký phiếu', agency: CA, share: 3, unit: 'workingDays' },
          { id: 'a6', lane: 'asisDesk', name: 'Trả phiếu', agency: CA, share: 1, unit: 'workingDays' },
          { id: 'a7', lane: 'applicant', name: 'Nhận phiếu (lần 2)' },
        ],
        endName: 'Có phiếu lý lịch tư pháp',
      }),
    ],
  },
  toBe: {
    id: 'judicial-record',
    comment: 'To-be: online through VNeID (accepted or refused within 8 working hours); identity and residence from the national databases; verification only when needed (10 working days, 15 with verification).',
    messages: [SUPPLEMENT_MESSAGE],
    processes: [
      toBeProcess({
        processId: 'judicial-record',
        name: 'Cấp Phiếu lý lịch tư pháp',
        participantName: 'Lý lịch tư pháp – Công an tỉnh',
        facts: { agency: CA, statutoryTime: 10, timeUnit: 'workingDays' },
        lanes: [lane('desk', 'Công an tỉnh – Tiếp nhận'), lane('officer', 'Công an tỉnh – Cán bộ lý lịch tư pháp'), lane('head', 'Công an tỉnh – Lãnh đạo phòng')],
        desk: { lane: 'desk', agency: CA, receiveShare: 1, returnShare: 1, unit: 'workingDays', documents: ['Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp'] },
        examine: { id: 'examine', name: 'Tra cứu CSDL lý lịch tư pháp', lane: 'officer', agency: CA, groups: 'specialist', share: 6, unit: 'workingDays', status: 'processing', formKey: 'examine-record', dueSoon: 'P4D' },
        before: verification,
        sign: { id: 'sign', name: 'Ký số Phiếu lý lịch tư pháp', lane: 'head', agency: CA, groups: 'head', share: 2, unit: 'workingDays', status: 'processing' },
        resultName: 'Phiếu lý lịch tư pháp điện tử',
      }),
    ],
  },
  forms: lifecycleForms(
    receiveForm(
      {
        applicantName: text('Họ, chữ đệm và tên người yêu cầu', { maxLength: 100 }),
        personalId: text('Số định danh cá nhân', { pattern: '^[0-9]{12}$' }),
        certificateType: choice('Loại phiếu', [['so-1', 'Phiếu số 1'], ['so-2', 'Phiếu số 2']]),
        copies: { type: 'integer', minimum: 1, maximum: 10, title: 'Số lượng phiếu' },
        purpose: text('Mục đích sử dụng'),
      },
      ['applicantName', 'personalId', 'certificateType'],
    ),
    {
      'examine-record': {
        ...EXAMINE_FORM,
        title: 'Tra cứu lý lịch tư pháp',
        properties: { ...(EXAMINE_FORM.properties as Record<string, unknown>), needsVerification: { type: 'boolean', title: 'Cần xác minh thêm' } },
      },
      verify: form('Xác minh thông tin', { verifiedWith: text('Cơ quan đã xác minh'), findings: text('Kết quả xác minh') }, ['findings']),
    },
  ),
};
