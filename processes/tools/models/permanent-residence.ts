/**
 * Permanent residence registration (Law on Residence 2020 art. 20–22, amended 2024, 2025):
 * the commune police, 7 working days. As-is: paper proof of lawful residence, a visit to
 * collect the result. To-be: online, proofs checked against the national databases, the
 * result written to the residence database with an electronic notice.
 */
import { AGENCY, APPLICANT_LANE, asIsProcess, lane } from '../agencies';
import { choice, lifecycleForms, receiveForm, text } from '../forms';
import { SUPPLEMENT_MESSAGE, toBeProcess } from '../one-stop';
import type { ProcedureModels } from './model';

const CA = AGENCY.communePolice;

/** Permanent residence registration at the commune police. */
export const permanentResidence: ProcedureModels = {
  code: 'permanent-residence',
  asIs: {
    id: 'permanent-residence-as-is',
    comment: 'As-is: paper CT01 and copies of proofs, hand-offs on paper, result collected at the station. Not executable.',
    processes: [
      asIsProcess({
        id: 'permanent-residence-as-is',
        name: 'Đăng ký thường trú (hiện trạng)',
        participantName: 'Đăng ký thường trú – hiện trạng',
        agency: CA,
        statutoryTime: 7,
        timeUnit: 'workingDays',
        lanes: [APPLICANT_LANE, lane('asisDesk', 'Công an xã – Tiếp nhận'), lane('asisOfficer', 'Công an xã – Cán bộ cư trú'), lane('asisHead', 'Công an xã – Trưởng Công an')],
        steps: [
          { id: 'a1', lane: 'applicant', name: 'Xin xác nhận chỗ ở, sao giấy tờ nhân thân' },
          { id: 'a2', lane: 'applicant', name: 'Nộp hồ sơ giấy tại Công an xã (lần 1)' },
          { id: 'a3', lane: 'asisDesk', name: 'Tiếp nhận, viết phiếu hẹn', agency: CA, share: 0.5, unit: 'workingDays', documents: ['Tờ khai CT01', 'Giấy tờ chỗ ở hợp pháp', 'Giấy tờ quan hệ nhân thân'] },
          { id: 'a4', lane: 'asisOfficer', name: 'Thẩm định, xác minh chỗ ở', agency: CA, share: 4, unit: 'workingDays' },
          { id: 'a5', lane: 'asisHead', name: 'Phê duyệt', agency: CA, share: 1.5, unit: 'workingDays' },
          { id: 'a6', lane: 'asisDesk', name: 'Thông báo kết quả', agency: CA, share: 1, unit: 'workingDays' },
          { id: 'a7', lane: 'applicant', name: 'Nhận thông báo (lần 2)' },
        ],
        endName: 'Đã đăng ký thường trú',
      }),
    ],
  },
  toBe: {
    id: 'permanent-residence',
    comment: 'To-be: online through VNeID; lawful residence and family ties checked against the population and land databases; result written to the residence database.',
    messages: [SUPPLEMENT_MESSAGE],
    processes: [
      toBeProcess({
        processId: 'permanent-residence',
        name: 'Đăng ký thường trú',
        participantName: 'Đăng ký thường trú – Công an xã',
        facts: { agency: CA, statutoryTime: 7, timeUnit: 'workingDays' },
        lanes: [lane('desk', 'Công an xã – Tiếp nhận'), lane('officer', 'Công an xã – Cán bộ cư trú'), lane('head', 'Công an xã – Trưởng Công an')],
        desk: { lane: 'desk', agency: CA, receiveShare: 0.5, returnShare: 1, unit: 'workingDays', documents: ['Tờ khai thay đổi thông tin cư trú (CT01)'] },
        examine: { id: 'examine', name: 'Thẩm định, đối chiếu CSDL dân cư và đất đai', lane: 'officer', agency: CA, groups: 'specialist', share: 3.5, unit: 'workingDays', status: 'processing', dueSoon: 'P3D' },
        sign: { id: 'sign', name: 'Phê duyệt, cập nhật CSDL cư trú', lane: 'head', agency: CA, groups: 'head', share: 2, unit: 'workingDays', status: 'processing' },
        resultName: 'thông báo đăng ký thường trú điện tử',
      }),
    ],
  },
  forms: lifecycleForms(
    receiveForm(
      {
        applicantName: text('Họ, chữ đệm và tên', { maxLength: 100 }),
        personalId: text('Số định danh cá nhân', { pattern: '^[0-9]{12}$' }),
        newAddress: text('Địa chỉ đăng ký thường trú'),
        basis: choice('Trường hợp đăng ký', [['owner', 'Chỗ ở hợp pháp thuộc quyền sở hữu'], ['relative', 'Về ở với người thân'], ['rented', 'Thuê, mượn, ở nhờ']]),
      },
      ['applicantName', 'personalId', 'newAddress', 'basis'],
    ),
  ),
};
