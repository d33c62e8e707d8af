/**
 * Group 2 of Decree 63/2024 as amended by Decree 301/2026: death registration, deletion of
 * permanent residence, funeral and survivor allowance.
 *
 * As-is: three separate procedures, the family carrying the death extract from the
 * commune to the police and to social insurance. To-be: one electronic dossier; once the
 * death is registered, police and social insurance act in parallel.
 */
import { AGENCY, APPLICANT_LANE, asIsProcess, lane } from '../agencies';
import { choice, date, form, lifecycleForms, receiveForm, text } from '../forms';
import { SUPPLEMENT_MESSAGE, parallel, sequence, toBeProcess, userTask } from '../one-stop';
import type { ProcedureModels } from './model';

const XA = AGENCY.communePc;
const CA = AGENCY.communePolice;
const BH = AGENCY.socialInsurance;

/** Group 2 (death, residence deletion, funeral allowance): three pools as-is, one dossier to-be. */
export const deathGroup: ProcedureModels = {
  code: 'death-group-63-301',
  asIs: {
    id: 'death-group-63-301-as-is',
    comment: 'As-is: three separate procedures, the family carrying the death extract between agencies (times of the separate procedures before the group are unconfirmed). Not executable.',
    processes: [
      asIsProcess({
        id: 'death-group-death-as-is',
        name: 'Đăng ký khai tử (hiện trạng)',
        participantName: 'UBND xã – Đăng ký khai tử',
        agency: XA,
        statutoryTime: 8,
        timeUnit: 'workingHours',
        lanes: [APPLICANT_LANE, lane('d-desk', 'UBND xã – Bộ phận Một cửa'), lane('d-civil', 'UBND xã – Công chức tư pháp – hộ tịch')],
        steps: [
          { id: 'd1', lane: 'applicant', name: 'Nộp tờ khai khai tử, giấy báo tử (lần 1)' },
          { id: 'd2', lane: 'd-desk', name: 'Tiếp nhận hồ sơ giấy', agency: XA, share: 1, unit: 'workingHours', documents: ['Tờ khai khai tử', 'Giấy báo tử', 'Giấy tờ tùy thân'] },
          { id: 'd3', lane: 'd-civil', name: 'Ghi sổ, in trích lục khai tử, trình ký', agency: XA, share: 6, unit: 'workingHours' },
          { id: 'd4', lane: 'd-desk', name: 'Trả trích lục khai tử', agency: XA, share: 1, unit: 'workingHours' },
          { id: 'd5', lane: 'applicant', name: 'Nhận trích lục (lần 2)' },
        ],
        startName: 'Có người mất',
        endName: 'Có trích lục khai tử',
      }),
      asIsProcess({
        id: 'death-group-residence-as-is',
        name: 'Xóa đăng ký thường trú (hiện trạng)',
        participantName: 'Công an xã – Xóa đăng ký thường trú',
        agency: CA,
        statutoryTime: 3,
        timeUnit: 'workingDays',
        lanes: [APPLICANT_LANE, lane('r-officer', 'Công an xã – Cán bộ cư trú'), lane('r-head', 'Công an xã – Trưởng Công an')],
        steps: [
          { id: 'r1', lane: 'applicant', name: 'Mang trích lục khai tử đến Công an xã (lần 3)' },
          { id: 'r2', lane: 'r-officer', name: 'Tiếp nhận, xóa thường trú trong CSDL cư trú', agency: CA, share: 2, unit: 'workingDays', documents: ['Tờ khai CT01', 'Bản sao trích lục khai tử'] },
          { id: 'r3', lane: 'r-head', name: 'Phê duyệt', agency: CA, share: 1, unit: 'workingDays' },
          { id: 'r4', lane: 'applicant', name: 'Nhận thông báo (lần 4)' },
        ],
        startName: 'Có trích lục khai tử',
        endName: 'Đã xóa thường trú',
      }),
      asIsProcess({
        id: 'death-group-allowance-as-is',
        name: 'Giải quyết trợ cấp mai táng, tử tuất (hiện trạng)',
        participantName: 'Bảo hiểm xã hội – Trợ cấp mai táng, tử tuất',
        agency: BH,
        statutoryTime: 10,
        timeUnit: 'workingDays',
        lanes: [APPLICANT_LANE, lane('a-officer', 'BHXH – Chuyên viên'), lane('a-head', 'BHXH – Lãnh đạo')],
        steps: [
          { id: 'a1', lane: 'applicant', name: 'Nộp hồ sơ hưởng chế độ kèm trích lục khai tử (lần 5)' },
          { id: 'a2', lane: 'a-officer', name: 'Tiếp nhận, thẩm định, tính trợ cấp', agency: BH, share: 7, unit: 'workingDays', documents: ['Sổ BHXH', 'Bản sao trích lục khai tử', 'Tờ khai của thân nhân'] },
          { id: 'a3', lane: 'a-head', name: 'Duyệt quyết định hưởng', agency: BH, share: 3, unit: 'workingDays' },
          { id: 'a4', lane: 'applicant', name: 'Nhận quyết định, tiền trợ cấp (lần 6)' },
        ],
        startName: 'Có trích lục khai tử',
        endName: 'Đã hưởng trợ cấp',
      }),
    ],
    messageFlows: [
      { id: 'handoff-death-residence', from: 'd5', to: 'r1', name: 'Gia đình mang trích lục khai tử' },
      { id: 'handoff-residence-allowance', from: 'r4', to: 'a1', name: 'Gia đình mang bản sao trích lục' },
    ],
  },
  toBe: {
    id: 'death-group-63-301',
    comment: 'To-be: one electronic dossier (Decree 63/2024 as amended by Decree 301/2026); the clock pauses during the supplement (procedure.json).',
    messages: [SUPPLEMENT_MESSAGE],
    processes: [
      toBeProcess({
        processId: 'death-group-63-301',
        name: 'Liên thông khai tử – xóa thường trú – trợ cấp mai táng',
        participantName: 'Liên thông nhóm 2 (khai tử, xóa thường trú, mai táng phí)',
        facts: { agency: XA, statutoryTime: 10, timeUnit: 'workingDays', cutoff: 'legal' },
        lanes: [
          lane('desk', 'UBND xã – Bộ phận Một cửa'),
          lane('civil', 'UBND xã – Công chức tư pháp – hộ tịch'),
          lane('head', 'UBND xã – Chủ tịch'),
          lane('police', 'Công an xã – Cán bộ cư trú'),
          lane('policeHead', 'Công an xã – Trưởng Công an'),
          lane('insurance', 'BHXH – Chuyên viên'),
          lane('insuranceHead', 'BHXH – Lãnh đạo'),
        ],
        desk: { lane: 'desk', agency: XA, receiveShare: 2, returnShare: 2, unit: 'workingHours', documents: ['Tờ khai điện tử liên thông', 'Giấy báo tử'] },
        examine: { id: 'examine', name: 'Kiểm tra, ghi sổ khai tử điện tử', lane: 'civil', agency: XA, groups: 'specialist', share: 16, unit: 'hours', status: 'processing' },
        sign: { id: 'sign', name: 'Ký số trích lục khai tử', lane: 'head', agency: XA, groups: 'head', share: 8, unit: 'hours', status: 'processing' },
        after: parallel('handoff', 'desk', [
          sequence([
            userTask({ id: 'deleteResidence', name: 'Xóa đăng ký thường trú', lane: 'police', agency: CA, groups: 'specialist', share: 6, unit: 'workingHours', status: 'processing', formKey: 'delete-residence' }),
            userTask({ id: 'approveDeletion', name: 'Phê duyệt xóa thường trú', lane: 'policeHead', agency: CA, groups: 'head', share: 2, unit: 'workingHours', status: 'processing', formKey: 'approve-deletion' }),
          ]),
          sequence([
            userTask({ id: 'assessAllowance', name: 'Thẩm định, tính trợ cấp mai táng, tử tuất', lane: 'insurance', agency: BH, groups: 'specialist', share: 6, unit: 'workingDays', status: 'processing', formKey: 'assess-allowance' }),
            userTask({ id: 'approveAllowance', name: 'Ký quyết định hưởng trợ cấp', lane: 'insuranceHead', agency: BH, groups: 'head', share: 2, unit: 'workingDays', status: 'processing', formKey: 'approve-allowance' }),
          ]),
        ], { fork: 'Chuyển điện tử cùng lúc' }),
        resultName: 'trích lục khai tử, xác nhận xóa thường trú, quyết định trợ cấp',
        supplementWait: {
          duration: 'P7D',
          name: '7 ngày làm việc không bổ sung',
          comment: '7 working days (Decree 301/2026): a plain ISO duration (7 calendar days) until calendar-based timers exist.',
        },
      }),
    ],
  },
  forms: lifecycleForms(
    receiveForm(
      {
        deceasedName: text('Họ, chữ đệm và tên người chết', { maxLength: 100 }),
        deceasedId: text('Số định danh cá nhân người chết', { pattern: '^[0-9]{12}$' }),
        dateOfDeath: date('Ngày chết'),
        placeOfDeath: text('Nơi chết'),
        claimantRelation: choice('Quan hệ với người chết', [['vo-chong', 'Vợ/chồng'], ['con', 'Con'], ['cha-me', 'Cha/mẹ'], ['khac', 'Khác']]),
      },
      ['deceasedName', 'dateOfDeath'],
    ),
    {
      'delete-residence': form('Xóa đăng ký thường trú', { note: text('Ghi chú') }),
      'approve-deletion': form('Phê duyệt xóa thường trú', { deletionApproved: { type: 'boolean', title: 'Đồng ý xóa đăng ký thường trú' } }, ['deletionApproved']),
      'assess-allowance': form('Thẩm định trợ cấp mai táng, tử tuất', { allowanceAmount: { type: 'integer', minimum: 0, title: 'Số tiền trợ cấp (đồng)' }, note: text('Ghi chú') }, ['allowanceAmount']),
      'approve-allowance': form('Quyết định hưởng trợ cấp', { allowanceApproved: { type: 'boolean', title: 'Phê duyệt' }, decisionNumber: text('Số quyết định', { maxLength: 50 }) }, ['allowanceApproved']),
    },
  ),
};
