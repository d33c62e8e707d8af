/**
 * First registration and land-use right certificate for an individual (Land Law 2024;
 * Decree 49/2026 art. 14–15): the land registration office with the commune and the tax
 * authority; set by each province, reference 20 working days. As-is: paper files carried
 * from office to commune to tax and back. To-be: the commune and the land office check in
 * parallel, the tax authority receives the cadastral data electronically.
 */
import { AGENCY, APPLICANT_LANE, asIsProcess, lane } from '../agencies';
import { form, lifecycleForms, receiveForm, text } from '../forms';
import { SUPPLEMENT_MESSAGE, chain, parallel, sequence, toBeProcess, userTask } from '../one-stop';
import type { ProcedureModels } from './model';

const VP = AGENCY.landRegistration;
const XA = AGENCY.communePc;
const TAX = AGENCY.tax;

/** First land-use right certificate: commune, land office and tax authority. */
export const landUseCertificateFirst: ProcedureModels = {
  code: 'land-use-certificate-first',
  asIs: {
    id: 'land-use-certificate-first-as-is',
    comment: 'As-is: the paper file goes from the land office to the commune, back, to the tax authority and back, one after the other. Not executable.',
    processes: [
      asIsProcess({
        id: 'land-use-certificate-first-as-is',
        name: 'Cấp Giấy chứng nhận lần đầu (hiện trạng)',
        participantName: 'Cấp Giấy chứng nhận lần đầu – hiện trạng',
        agency: VP,
        statutoryTime: 20,
        timeUnit: 'workingDays',
        lanes: [APPLICANT_LANE, lane('asisDesk', 'VP Đăng ký đất đai – Tiếp nhận'), lane('asisOfficer', 'VP Đăng ký đất đai – Chuyên viên'), lane('asisCommune', 'UBND xã – Công chức địa chính'), lane('asisTax', 'Thuế tỉnh – Công chức'), lane('asisHead', 'VP Đăng ký đất đai – Giám đốc')],
        steps: [
          { id: 'a1', lane: 'applicant', name: 'Nộp đơn 04/ĐK và giấy tờ (lần 1)' },
          { id: 'a2', lane: 'asisDesk', name: 'Tiếp nhận hồ sơ giấy', agency: VP, share: 1, unit: 'workingDays', documents: ['Đơn 04/ĐK', 'Giấy tờ về quyền sử dụng đất', 'Bản sao giấy tờ tùy thân', 'Sổ hộ khẩu'] },
          { id: 'a3', lane: 'asisCommune', name: 'Xác nhận nguồn gốc, hiện trạng; niêm yết công khai', agency: XA, share: 6, unit: 'workingDays' },
          { id: 'a4', lane: 'asisOfficer', name: 'Kiểm tra, trích đo bản đồ địa chính', agency: VP, share: 5, unit: 'workingDays' },
          { id: 'a5', lane: 'asisTax', name: 'Xác định nghĩa vụ tài chính, ra thông báo', agency: TAX, share: 3, unit: 'workingDays', documents: ['Phiếu chuyển thông tin địa chính (giấy)'] },
          { id: 'a6', lane: 'applicant', name: 'Nhận thông báo thuế, nộp tiền, nộp chứng từ (lần 2, 3)' },
          { id: 'a7', lane: 'asisHead', name: 'Ký Giấy chứng nhận', agency: VP, share: 3, unit: 'workingDays' },
          { id: 'a8', lane: 'asisDesk', name: 'Trả Giấy chứng nhận', agency: VP, share: 2, unit: 'workingDays' },
          { id: 'a9', lane: 'applicant', name: 'Nhận Giấy chứng nhận (lần 4)' },
        ],
        endName: 'Có Giấy chứng nhận',
      }),
    ],
  },
  toBe: {
    id: 'land-use-certificate-first',
    comment: 'To-be: commune confirmation and cadastral check in parallel; cadastral data to the tax authority electronically; tax paid online (the applicant\'s payment time is not counted).',
    messages: [SUPPLEMENT_MESSAGE],
    processes: [
      toBeProcess({
        processId: 'land-use-certificate-first',
        name: 'Đăng ký, cấp Giấy chứng nhận quyền sử dụng đất lần đầu',
        participantName: 'Cấp Giấy chứng nhận lần đầu – VP Đăng ký đất đai, UBND xã, Thuế',
        facts: { agency: VP, statutoryTime: 20, timeUnit: 'workingDays' },
        lanes: [lane('desk', 'VP Đăng ký đất đai – Tiếp nhận'), lane('officer', 'VP Đăng ký đất đai – Chuyên viên'), lane('commune', 'UBND xã – Công chức địa chính'), lane('tax', 'Thuế tỉnh – Công chức'), lane('head', 'VP Đăng ký đất đai – Giám đốc')],
        desk: { lane: 'desk', agency: VP, receiveShare: 1, returnShare: 1, unit: 'workingDays', documents: ['Đơn đăng ký đất đai (mẫu 04/ĐK)'] },
        examine: { id: 'examine', name: 'Kiểm tra hồ sơ đăng ký', lane: 'officer', agency: VP, groups: 'specialist', share: 3, unit: 'workingDays', status: 'processing', dueSoon: 'P2D' },
        before: chain([
          parallel('checks', 'officer', [
            sequence([userTask({ id: 'confirmOrigin', name: 'Xác nhận nguồn gốc, hiện trạng, tranh chấp; niêm yết', lane: 'commune', agency: XA, groups: 'specialist', share: 5, unit: 'workingDays', status: 'processing', formKey: 'confirm-origin' })]),
            sequence([userTask({ id: 'checkCadastre', name: 'Kiểm tra bản đồ địa chính, trích đo', lane: 'officer', agency: VP, groups: 'specialist', share: 5, unit: 'workingDays', status: 'processing', formKey: 'check-cadastre' })]),
          ], { fork: 'Chuyển điện tử cùng lúc' }),
          sequence([userTask({ id: 'assessTax', name: 'Xác định nghĩa vụ tài chính (thông báo điện tử)', lane: 'tax', agency: TAX, groups: 'specialist', share: 3, unit: 'workingDays', status: 'processing', formKey: 'assess-tax' })]),
        ]),
        sign: { id: 'sign', name: 'Ký số Giấy chứng nhận', lane: 'head', agency: VP, groups: 'head', share: 3, unit: 'workingDays', status: 'processing' },
        resultName: 'Giấy chứng nhận quyền sử dụng đất',
      }),
    ],
  },
  forms: lifecycleForms(
    receiveForm(
      {
        applicantName: text('Họ, chữ đệm và tên người sử dụng đất', { maxLength: 100 }),
        personalId: text('Số định danh cá nhân', { pattern: '^[0-9]{12}$' }),
        parcelNumber: text('Thửa đất số', { maxLength: 20 }),
        mapSheet: text('Tờ bản đồ số', { maxLength: 20 }),
        area: { type: 'number', exclusiveMinimum: 0, title: 'Diện tích (m²)' },
        landUse: text('Mục đích sử dụng đất'),
      },
      ['applicantName', 'parcelNumber', 'mapSheet', 'area'],
    ),
    {
      'confirm-origin': form('Xác nhận của UBND xã', { origin: text('Nguồn gốc sử dụng đất'), inDispute: { type: 'boolean', title: 'Có tranh chấp' }, postedPublicly: { type: 'boolean', title: 'Đã niêm yết công khai' } }, ['origin', 'inDispute']),
      'check-cadastre': form('Kiểm tra bản đồ địa chính', { cadastreMatches: { type: 'boolean', title: 'Khớp bản đồ địa chính' }, surveyNeeded: { type: 'boolean', title: 'Cần trích đo' } }, ['cadastreMatches']),
      'assess-tax': form('Xác định nghĩa vụ tài chính', { landLevy: { type: 'integer', minimum: 0, title: 'Tiền sử dụng đất (đồng)' }, registrationFee: { type: 'integer', minimum: 0, title: 'Lệ phí trước bạ (đồng)' }, taxNoticeNumber: text('Số thông báo thuế', { maxLength: 50 }) }, ['landLevy', 'registrationFee']),
    },
  ),
};
