/**
 * Group 1 of Decree 63/2024 as amended by Decree 301/2026: birth registration, permanent
 * residence registration and a health-insurance card for a child under 6.
 *
 * As-is: three separate procedures in three pools, the applicant carrying the birth
 * certificate from the commune to the police and to social insurance. To-be: one
 * electronic dossier at the commune desk; once the birth is registered, the commune police
 * and social insurance receive the data at once and act in parallel.
 */
import { AGENCY, APPLICANT_LANE, asIsProcess, lane } from '../agencies';
import { lifecycleForms, form, receiveForm, text } from '../forms';
import { SUPPLEMENT_MESSAGE, parallel, sequence, toBeProcess, userTask } from '../one-stop';
import type { ProcedureModels } from './model';
import { BIRTH_DECLARATION } from './birth-registration';

const XA = AGENCY.communePc;
const CA = AGENCY.communePolice;
const BH = AGENCY.socialInsurance;

/** Group 1 (birth, residence, health-insurance card): three pools as-is, one dossier to-be. */
export const birthGroup: ProcedureModels = {
  code: 'birth-group-63-301',
  asIs: {
    id: 'birth-group-63-301-as-is',
    comment: 'As-is: the three procedures before Decree 63/2024, one after the other, the applicant carrying papers between agencies (about 1 + 7 + 5 working days; the insurance card time is unconfirmed). Not executable.',
    processes: [
      asIsProcess({
        id: 'birth-group-birth-as-is',
        name: 'Đăng ký khai sinh (hiện trạng)',
        participantName: 'UBND xã – Đăng ký khai sinh',
        agency: XA,
        statutoryTime: 8,
        timeUnit: 'workingHours',
        lanes: [APPLICANT_LANE, lane('b-desk', 'UBND xã – Bộ phận Một cửa'), lane('b-civil', 'UBND xã – Công chức tư pháp – hộ tịch')],
        steps: [
          { id: 'b1', lane: 'applicant', name: 'Nộp hồ sơ khai sinh giấy (lần 1)' },
          { id: 'b2', lane: 'b-desk', name: 'Tiếp nhận, viết giấy hẹn', agency: XA, share: 1, unit: 'workingHours', documents: ['Tờ khai khai sinh', 'Giấy chứng sinh', 'Giấy tờ tùy thân', 'Giấy chứng nhận kết hôn'] },
          { id: 'b3', lane: 'b-civil', name: 'Ghi sổ, in giấy khai sinh, trình ký', agency: XA, share: 6, unit: 'workingHours' },
          { id: 'b4', lane: 'b-desk', name: 'Trả giấy khai sinh', agency: XA, share: 1, unit: 'workingHours' },
          { id: 'b5', lane: 'applicant', name: 'Nhận giấy khai sinh (lần 2)' },
        ],
        endName: 'Có giấy khai sinh',
      }),
      asIsProcess({
        id: 'birth-group-residence-as-is',
        name: 'Đăng ký thường trú cho trẻ (hiện trạng)',
        participantName: 'Công an xã – Đăng ký thường trú',
        agency: CA,
        statutoryTime: 7,
        timeUnit: 'workingDays',
        lanes: [APPLICANT_LANE, lane('r-desk', 'Công an xã – Tiếp nhận'), lane('r-officer', 'Công an xã – Cán bộ cư trú'), lane('r-head', 'Công an xã – Trưởng Công an')],
        steps: [
          { id: 'r1', lane: 'applicant', name: 'Mang giấy khai sinh, nộp tờ khai CT01 (lần 3)' },
          { id: 'r2', lane: 'r-desk', name: 'Tiếp nhận hồ sơ giấy', agency: CA, share: 0.5, unit: 'workingDays', documents: ['Tờ khai CT01', 'Bản sao giấy khai sinh', 'Giấy tờ chỗ ở hợp pháp'] },
          { id: 'r3', lane: 'r-officer', name: 'Thẩm định, cập nhật CSDL cư trú', agency: CA, share: 4.5, unit: 'workingDays' },
          { id: 'r4', lane: 'r-head', name: 'Phê duyệt', agency: CA, share: 1.5, unit: 'workingDays' },
          { id: 'r5', lane: 'r-desk', name: 'Thông báo kết quả', agency: CA, share: 0.5, unit: 'workingDays' },
          { id: 'r6', lane: 'applicant', name: 'Nhận thông báo (lần 4)' },
        ],
        startName: 'Đã có giấy khai sinh',
        endName: 'Đã đăng ký thường trú',
      }),
      asIsProcess({
        id: 'birth-group-insurance-as-is',
        name: 'Cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi (hiện trạng)',
        participantName: 'Bảo hiểm xã hội – Cấp thẻ BHYT',
        agency: BH,
        statutoryTime: 5,
        timeUnit: 'workingDays',
        lanes: [APPLICANT_LANE, lane('i-officer', 'BHXH – Chuyên viên'), lane('i-head', 'BHXH – Lãnh đạo')],
        steps: [
          { id: 'i1', lane: 'applicant', name: 'Nộp tờ khai TK1-TS kèm bản sao giấy khai sinh (lần 5)' },
          { id: 'i2', lane: 'i-officer', name: 'Tiếp nhận, lập danh sách cấp thẻ', agency: BH, share: 3, unit: 'workingDays', documents: ['Tờ khai TK1-TS', 'Bản sao giấy khai sinh'] },
          { id: 'i3', lane: 'i-head', name: 'Duyệt, in thẻ BHYT', agency: BH, share: 2, unit: 'workingDays' },
          { id: 'i4', lane: 'applicant', name: 'Nhận thẻ BHYT (lần 6)' },
        ],
        startName: 'Đã có giấy khai sinh',
        endName: 'Có thẻ BHYT',
      }),
    ],
    messageFlows: [
      { id: 'handoff-birth-residence', from: 'b5', to: 'r1', name: 'Người dân mang giấy khai sinh' },
      { id: 'handoff-residence-insurance', from: 'r6', to: 'i1', name: 'Người dân mang bản sao giấy khai sinh' },
    ],
  },
  toBe: {
    id: 'birth-group-63-301',
    comment:
      'To-be: one electronic dossier (Decree 63/2024 as amended by Decree 301/2026). The clock pauses during the supplement and VNeID confirmations and starts the next working day after 15:00 (rules of procedure.json).',
    messages: [SUPPLEMENT_MESSAGE],
    processes: [
      toBeProcess({
        processId: 'birth-group-63-301',
        name: 'Liên thông khai sinh – thường trú – thẻ BHYT',
        participantName: 'Liên thông nhóm 1 (khai sinh, thường trú, BHYT)',
        facts: { agency: XA, statutoryTime: 3, timeUnit: 'workingDays', cutoff: 'legal' },
        lanes: [
          lane('desk', 'UBND xã – Bộ phận Một cửa'),
          lane('civil', 'UBND xã – Công chức tư pháp – hộ tịch'),
          lane('head', 'UBND xã – Chủ tịch'),
          lane('police', 'Công an xã – Cán bộ cư trú'),
          lane('policeHead', 'Công an xã – Trưởng Công an'),
          lane('insurance', 'BHXH – Chuyên viên'),
        ],
        desk: { lane: 'desk', agency: XA, receiveShare: 2, returnShare: 2, unit: 'workingHours', documents: ['Tờ khai điện tử liên thông', 'Giấy chứng sinh điện tử'] },
        examine: { id: 'examine', name: 'Kiểm tra, ghi sổ hộ tịch điện tử, cấp số định danh', lane: 'civil', agency: XA, groups: 'specialist', share: 16, unit: 'hours', status: 'processing', dueSoon: 'PT12H' },
        sign: { id: 'sign', name: 'Ký số giấy khai sinh', lane: 'head', agency: XA, groups: 'head', share: 8, unit: 'hours', status: 'processing' },
        after: parallel('handoff', 'desk', [
          sequence([
            userTask({ id: 'registerResidence', name: 'Đăng ký thường trú cho trẻ', lane: 'police', agency: CA, groups: 'specialist', share: 1, unit: 'workingDays', status: 'processing', formKey: 'register-residence' }),
            userTask({ id: 'approveResidence', name: 'Phê duyệt đăng ký thường trú', lane: 'policeHead', agency: CA, groups: 'head', share: 0.5, unit: 'workingDays', status: 'processing', formKey: 'approve-residence' }),
          ]),
          sequence([
            userTask({ id: 'issueInsuranceCard', name: 'Cấp thẻ BHYT điện tử cho trẻ', lane: 'insurance', agency: BH, groups: 'specialist', share: 1, unit: 'workingDays', status: 'processing', formKey: 'issue-insurance-card' }),
          ]),
        ], { fork: 'Chuyển điện tử cùng lúc' }),
        resultName: 'giấy khai sinh, xác nhận thường trú, thẻ BHYT',
        supplementWait: {
          duration: 'P7D',
          name: '7 ngày làm việc không bổ sung',
          comment: '7 working days (Decree 301/2026): a plain ISO duration (7 calendar days) until calendar-based timers exist.',
        },
      }),
    ],
  },
  forms: lifecycleForms(receiveForm({ ...BIRTH_DECLARATION, residenceAddress: text('Nơi đăng ký thường trú của trẻ') }, ['childName', 'childBirthDate', 'childSex']), {
    'register-residence': form('Đăng ký thường trú cho trẻ', { residenceAddress: text('Địa chỉ thường trú'), note: text('Ghi chú') }, ['residenceAddress']),
    'approve-residence': form('Phê duyệt đăng ký thường trú', { residenceApproved: { type: 'boolean', title: 'Đồng ý đăng ký thường trú' }, note: text('Ghi chú') }, ['residenceApproved']),
    'issue-insurance-card': form('Cấp thẻ bảo hiểm y tế', { insuranceCardNumber: text('Mã số thẻ BHYT', { maxLength: 20 }), note: text('Ghi chú') }, ['insuranceCardNumber']),
  }),
};
