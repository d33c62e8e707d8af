/**
 * Birth registration (Luật Hộ tịch 2014 art. 13, 16; same day, 15:00 cut-off): the commune
 * People's Committee alone. As-is: paper at the desk, two visits. To-be: online, one
 * dossier, electronic hand-offs and e-result.
 */
import { AGENCY, APPLICANT_LANE, asIsProcess, lane } from '../agencies';
import { date, lifecycleForms, receiveForm, text, choice } from '../forms';
import { SUPPLEMENT_MESSAGE, toBeProcess } from '../one-stop';
import type { ProcedureModels } from './model';

const A = AGENCY.communePc;

/** Vietnamese fields of a birth declaration (the reception form adds them). */
export const BIRTH_DECLARATION = {
  childName: text('Họ, chữ đệm và tên của trẻ', { maxLength: 100 }),
  childBirthDate: date('Ngày sinh'),
  childSex: choice('Giới tính', [['nam', 'Nam'], ['nu', 'Nữ']]),
  birthPlace: text('Nơi sinh'),
  motherId: text('Số định danh cá nhân của mẹ', { pattern: '^[0-9]{12}$' }),
  fatherId: text('Số định danh cá nhân của cha', { pattern: '^[0-9]{12}$' }),
};

/** Birth registration: the paper as-is and the online to-be of the commune People's Committee. */
export const birthRegistration: ProcedureModels = {
  code: 'birth-registration',
  asIs: {
    id: 'birth-registration-as-is',
    comment: 'As-is: the paper procedure before re-engineering (Luật Hộ tịch 2014 art. 16), at today\'s competent level (commune). Not executable.',
    processes: [
      asIsProcess({
        id: 'birth-registration-as-is',
        name: 'Đăng ký khai sinh (hiện trạng, hồ sơ giấy)',
        participantName: 'Đăng ký khai sinh – hiện trạng',
        agency: A,
        statutoryTime: 8,
        timeUnit: 'workingHours',
        lanes: [APPLICANT_LANE, lane('asisDesk', 'UBND xã – Bộ phận Một cửa'), lane('asisCivil', 'UBND xã – Công chức tư pháp – hộ tịch'), lane('asisHead', 'UBND xã – Chủ tịch')],
        steps: [
          { id: 'a1', lane: 'applicant', name: 'Xin giấy chứng sinh, sao giấy tờ tùy thân, sổ hộ khẩu, đăng ký kết hôn' },
          { id: 'a2', lane: 'applicant', name: 'Đến UBND xã nộp hồ sơ giấy (lần 1)' },
          { id: 'a3', lane: 'asisDesk', name: 'Tiếp nhận, kiểm tra bản giấy, viết giấy hẹn', agency: A, share: 1, unit: 'workingHours', documents: ['Tờ khai', 'Giấy chứng sinh', 'Giấy tờ tùy thân', 'Sổ hộ khẩu', 'Giấy chứng nhận kết hôn'] },
          { id: 'a4', lane: 'asisCivil', name: 'Nhận hồ sơ giấy, ghi sổ hộ tịch, in giấy khai sinh', agency: A, share: 4, unit: 'workingHours' },
          { id: 'a5', lane: 'asisHead', name: 'Ký giấy khai sinh', agency: A, share: 2, unit: 'workingHours' },
          { id: 'a6', lane: 'asisDesk', name: 'Nhận giấy khai sinh, trả kết quả', agency: A, share: 1, unit: 'workingHours' },
          { id: 'a7', lane: 'applicant', name: 'Đến UBND xã nhận giấy khai sinh (lần 2)' },
        ],
      }),
    ],
  },
  toBe: {
    id: 'birth-registration',
    comment: 'To-be: online through VNeID, data from the national databases, electronic hand-offs and e-result. Same day; after 15:00 the next working day (the legal cut-off on the process).',
    messages: [SUPPLEMENT_MESSAGE],
    processes: [
      toBeProcess({
        processId: 'birth-registration',
        name: 'Đăng ký khai sinh',
        participantName: 'Đăng ký khai sinh – UBND xã',
        facts: { agency: A, statutoryTime: 1, timeUnit: 'sameDay', cutoff: 'legal' },
        lanes: [lane('desk', 'UBND xã – Bộ phận Một cửa'), lane('civil', 'UBND xã – Công chức tư pháp – hộ tịch'), lane('head', 'UBND xã – Chủ tịch')],
        desk: { lane: 'desk', agency: A, receiveShare: 1, returnShare: 1, unit: 'workingHours', documents: ['Tờ khai đăng ký khai sinh', 'Giấy chứng sinh'] },
        examine: { id: 'examine', name: 'Kiểm tra, đối chiếu CSDL, ghi sổ hộ tịch điện tử', lane: 'civil', agency: A, groups: 'specialist', share: 4, unit: 'workingHours', status: 'processing', dueSoon: 'PT3H' },
        sign: { id: 'sign', name: 'Ký số giấy khai sinh', lane: 'head', agency: A, groups: 'head', share: 2, unit: 'workingHours', status: 'processing' },
        resultName: 'giấy khai sinh điện tử',
      }),
    ],
  },
  forms: lifecycleForms(receiveForm(BIRTH_DECLARATION, ['childName', 'childBirthDate', 'childSex'])),
};
