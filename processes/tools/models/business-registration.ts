/**
 * Business registration (Law on Enterprises 2020 art. 26 as amended by Law 76/2025; Decree
 * 168/2025): the provincial business registration office, 3 working days. As-is: paper
 * registration, then separate visits to tax and social insurance. To-be: one online
 * dossier; tax and social insurance receive the data at once.
 */
import { AGENCY, APPLICANT_LANE, asIsProcess, lane } from '../agencies';
import { choice, form, lifecycleForms, receiveForm, text } from '../forms';
import { SUPPLEMENT_MESSAGE, parallel, sequence, toBeProcess, userTask } from '../one-stop';
import type { ProcedureModels } from './model';

const DK = AGENCY.businessRegistration;
const TAX = AGENCY.tax;
const BH = AGENCY.socialInsurance;

/** Business registration with the tax code and the social-insurance unit code in one dossier. */
export const businessRegistration: ProcedureModels = {
  code: 'business-registration',
  asIs: {
    id: 'business-registration-as-is',
    comment: 'As-is: the paper registration, then the tax and social-insurance formalities done by the founder one after the other. Not executable.',
    processes: [
      asIsProcess({
        id: 'business-registration-as-is',
        name: 'Đăng ký thành lập doanh nghiệp (hiện trạng)',
        participantName: 'Đăng ký doanh nghiệp – hiện trạng',
        agency: DK,
        statutoryTime: 3,
        timeUnit: 'workingDays',
        lanes: [APPLICANT_LANE, lane('asisDesk', 'Phòng ĐKKD – Tiếp nhận'), lane('asisOfficer', 'Phòng ĐKKD – Chuyên viên'), lane('asisHead', 'Phòng ĐKKD – Trưởng phòng'), lane('asisTax', 'Thuế tỉnh – Công chức'), lane('asisInsurance', 'BHXH – Chuyên viên')],
        steps: [
          { id: 'a1', lane: 'applicant', name: 'Nộp hồ sơ giấy tại Phòng ĐKKD (lần 1)' },
          { id: 'a2', lane: 'asisDesk', name: 'Tiếp nhận, viết giấy biên nhận', agency: DK, share: 0.5, unit: 'workingDays', documents: ['Giấy đề nghị', 'Điều lệ', 'Danh sách thành viên', 'Bản sao giấy tờ pháp lý cá nhân'] },
          { id: 'a3', lane: 'asisOfficer', name: 'Thẩm định hồ sơ giấy', agency: DK, share: 1.5, unit: 'workingDays' },
          { id: 'a4', lane: 'asisHead', name: 'Ký giấy chứng nhận', agency: DK, share: 0.5, unit: 'workingDays' },
          { id: 'a5', lane: 'asisDesk', name: 'Trả giấy chứng nhận', agency: DK, share: 0.5, unit: 'workingDays' },
          { id: 'a6', lane: 'applicant', name: 'Nhận giấy chứng nhận (lần 2), đến cơ quan thuế (lần 3)' },
          { id: 'a7', lane: 'asisTax', name: 'Đăng ký khai thuế ban đầu, hóa đơn', agency: TAX, share: 3, unit: 'workingDays', documents: ['Bản sao giấy chứng nhận', 'Tờ khai thuế'] },
          { id: 'a8', lane: 'applicant', name: 'Đến BHXH đăng ký cho người lao động (lần 4)' },
          { id: 'a9', lane: 'asisInsurance', name: 'Cấp mã đơn vị tham gia BHXH', agency: BH, share: 5, unit: 'workingDays', documents: ['Bản sao giấy chứng nhận', 'Tờ khai đơn vị', 'Danh sách lao động'] },
        ],
        endName: 'Doanh nghiệp hoạt động',
      }),
    ],
  },
  toBe: {
    id: 'business-registration',
    comment: 'To-be: one online dossier on the national business registration portal; the enterprise code is the tax code; tax and social insurance receive the data at once.',
    messages: [SUPPLEMENT_MESSAGE],
    processes: [
      toBeProcess({
        processId: 'business-registration',
        name: 'Đăng ký thành lập doanh nghiệp',
        participantName: 'Đăng ký doanh nghiệp – Phòng ĐKKD, Thuế, BHXH',
        facts: { agency: DK, statutoryTime: 3, timeUnit: 'workingDays' },
        lanes: [lane('desk', 'Phòng ĐKKD – Tiếp nhận'), lane('officer', 'Phòng ĐKKD – Chuyên viên'), lane('tax', 'Thuế tỉnh – Công chức'), lane('insurance', 'BHXH – Chuyên viên'), lane('head', 'Phòng ĐKKD – Trưởng phòng')],
        desk: { lane: 'desk', agency: DK, receiveShare: 0.5, returnShare: 0.5, unit: 'workingDays', documents: ['Giấy đề nghị đăng ký doanh nghiệp', 'Điều lệ công ty', 'Danh sách thành viên'] },
        examine: { id: 'examine', name: 'Thẩm định hồ sơ, tên doanh nghiệp, ngành nghề', lane: 'officer', agency: DK, groups: 'specialist', share: 1, unit: 'workingDays', status: 'processing', dueSoon: 'PT20H' },
        before: parallel('exchange', 'officer', [
          sequence([userTask({ id: 'confirmTaxCode', name: 'Xác nhận mã số doanh nghiệp (mã số thuế)', lane: 'tax', agency: TAX, groups: 'specialist', share: 0.5, unit: 'workingDays', status: 'processing', formKey: 'confirm-tax-code' })]),
          sequence([userTask({ id: 'registerInsurance', name: 'Cấp mã đơn vị tham gia BHXH', lane: 'insurance', agency: BH, groups: 'specialist', share: 0.5, unit: 'workingDays', status: 'processing', formKey: 'register-insurance' })]),
        ], { fork: 'Chia sẻ dữ liệu cùng lúc' }),
        sign: { id: 'sign', name: 'Ký số giấy chứng nhận đăng ký doanh nghiệp', lane: 'head', agency: DK, groups: 'head', share: 0.5, unit: 'workingDays', status: 'processing' },
        resultName: 'giấy chứng nhận đăng ký doanh nghiệp điện tử',
      }),
    ],
  },
  forms: lifecycleForms(
    receiveForm(
      {
        companyName: text('Tên doanh nghiệp', { maxLength: 200 }),
        companyType: choice('Loại hình', [['tnhh-1tv', 'Công ty TNHH một thành viên'], ['tnhh-2tv', 'Công ty TNHH hai thành viên trở lên'], ['co-phan', 'Công ty cổ phần'], ['tu-nhan', 'Doanh nghiệp tư nhân']]),
        charterCapital: { type: 'integer', minimum: 0, title: 'Vốn điều lệ (đồng)' },
        headOffice: text('Địa chỉ trụ sở chính'),
        employees: { type: 'integer', minimum: 0, title: 'Số lao động dự kiến' },
      },
      ['companyName', 'companyType'],
    ),
    {
      'confirm-tax-code': form('Xác nhận mã số doanh nghiệp', { taxCode: text('Mã số doanh nghiệp (mã số thuế)', { pattern: '^[0-9]{10}$' }) }, ['taxCode']),
      'register-insurance': form('Cấp mã đơn vị tham gia BHXH', { insuranceUnitCode: text('Mã đơn vị BHXH', { maxLength: 20 }), note: text('Ghi chú') }),
    },
  ),
};
