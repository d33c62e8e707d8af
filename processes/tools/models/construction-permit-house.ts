/**
 * Construction permit for a private house (Construction Law 135/2025/QH15; Decree 217/2026
 * art. 53–54): the commune People's Committee, 7 working days. As-is: paper, site
 * inspection after the planning check. To-be: online, both checks in parallel, e-permit.
 */
import { AGENCY, APPLICANT_LANE, asIsProcess, lane } from '../agencies';
import { form, lifecycleForms, receiveForm, text } from '../forms';
import { SUPPLEMENT_MESSAGE, parallel, sequence, toBeProcess, userTask } from '../one-stop';
import type { ProcedureModels } from './model';

const XA = AGENCY.communePc;

/** Construction permit for a private house: planning check and site inspection in parallel. */
export const constructionPermitHouse: ProcedureModels = {
  code: 'construction-permit-house',
  asIs: {
    id: 'construction-permit-house-as-is',
    comment: 'As-is: paper dossier, planning check and site inspection one after the other, permit collected at the desk. Not executable.',
    processes: [
      asIsProcess({
        id: 'construction-permit-house-as-is',
        name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ (hiện trạng)',
        participantName: 'Giấy phép xây dựng – hiện trạng',
        agency: XA,
        statutoryTime: 7,
        timeUnit: 'workingDays',
        lanes: [APPLICANT_LANE, lane('asisDesk', 'UBND xã – Bộ phận Một cửa'), lane('asisOfficer', 'UBND xã – Công chức địa chính – xây dựng'), lane('asisHead', 'UBND xã – Chủ tịch')],
        steps: [
          { id: 'a1', lane: 'applicant', name: 'Nộp hồ sơ giấy, bản vẽ (lần 1)' },
          { id: 'a2', lane: 'asisDesk', name: 'Tiếp nhận, chuyển hồ sơ giấy', agency: XA, share: 0.5, unit: 'workingDays', documents: ['Đơn đề nghị', 'Bản sao giấy chứng nhận quyền sử dụng đất', 'Bản vẽ thiết kế'] },
          { id: 'a3', lane: 'asisOfficer', name: 'Đối chiếu quy hoạch', agency: XA, share: 2, unit: 'workingDays' },
          { id: 'a4', lane: 'asisOfficer', name: 'Kiểm tra thực địa', agency: XA, share: 2, unit: 'workingDays' },
          { id: 'a5', lane: 'asisHead', name: 'Ký giấy phép', agency: XA, share: 2, unit: 'workingDays' },
          { id: 'a6', lane: 'asisDesk', name: 'Trả giấy phép', agency: XA, share: 0.5, unit: 'workingDays' },
          { id: 'a7', lane: 'applicant', name: 'Nhận giấy phép (lần 2)' },
        ],
        endName: 'Có giấy phép xây dựng',
      }),
    ],
  },
  toBe: {
    id: 'construction-permit-house',
    comment: 'To-be: fully online; the land-use right is read from the land database; planning check and site inspection in parallel; e-permit.',
    messages: [SUPPLEMENT_MESSAGE],
    processes: [
      toBeProcess({
        processId: 'construction-permit-house',
        name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ',
        participantName: 'Giấy phép xây dựng nhà ở riêng lẻ – UBND xã',
        facts: { agency: XA, statutoryTime: 7, timeUnit: 'workingDays' },
        lanes: [lane('desk', 'UBND xã – Bộ phận Một cửa'), lane('officer', 'UBND xã – Công chức địa chính – xây dựng'), lane('head', 'UBND xã – Chủ tịch')],
        desk: { lane: 'desk', agency: XA, receiveShare: 0.5, returnShare: 0.5, unit: 'workingDays', documents: ['Đơn đề nghị cấp giấy phép xây dựng', 'Bản vẽ thiết kế xây dựng'] },
        examine: { id: 'examine', name: 'Kiểm tra hồ sơ, điều kiện miễn phép', lane: 'officer', agency: XA, groups: 'specialist', share: 1.5, unit: 'workingDays', status: 'processing', dueSoon: 'P1D' },
        before: parallel('checks', 'officer', [
          sequence([userTask({ id: 'checkPlanning', name: 'Đối chiếu quy hoạch, chỉ giới xây dựng', lane: 'officer', agency: XA, groups: 'specialist', share: 1.5, unit: 'workingDays', status: 'processing', formKey: 'check-planning' })]),
          sequence([userTask({ id: 'inspectSite', name: 'Kiểm tra thực địa', lane: 'officer', agency: XA, groups: 'specialist', share: 2, unit: 'workingDays', status: 'processing', formKey: 'inspect-site' })]),
        ]),
        sign: { id: 'sign', name: 'Ký số giấy phép xây dựng', lane: 'head', agency: XA, groups: 'head', share: 2.5, unit: 'workingDays', status: 'processing' },
        resultName: 'giấy phép xây dựng điện tử',
      }),
    ],
  },
  forms: lifecycleForms(
    receiveForm(
      {
        parcelNumber: text('Thửa đất số', { maxLength: 20 }),
        mapSheet: text('Tờ bản đồ số', { maxLength: 20 }),
        storeys: { type: 'integer', minimum: 1, maximum: 100, title: 'Số tầng' },
        floorArea: { type: 'number', exclusiveMinimum: 0, title: 'Tổng diện tích sàn (m²)' },
        siteAddress: text('Địa điểm xây dựng'),
      },
      ['parcelNumber', 'storeys', 'floorArea'],
    ),
    {
      'check-planning': form('Đối chiếu quy hoạch', { conformsToPlanning: { type: 'boolean', title: 'Phù hợp quy hoạch' }, note: text('Ghi chú') }, ['conformsToPlanning']),
      'inspect-site': form('Kiểm tra thực địa', { siteMatches: { type: 'boolean', title: 'Hiện trạng phù hợp hồ sơ' }, note: text('Biên bản kiểm tra') }, ['siteMatches']),
    },
  ),
};
