/**
 * Vietnamese texts of the findings of our lint rules (onestop/src/procedures/lint),
 * whose messages are English: one pattern per message form, its parts carried over.
 * A message no pattern matches (the engine's deploy problems, in the engine's words)
 * stays as it is.
 */
import { t } from '../../shared/i18n';

const UNITS: Record<string, string> = {
  workingDays: 'ngày làm việc',
  workingHours: 'giờ làm việc',
  hours: 'giờ',
  calendarDays: 'ngày',
  days: 'ngày',
  sameDay: 'trong ngày',
};

const PATHS: Record<string, string> = {
  supplement: 'yêu cầu bổ sung',
  refusal: 'từ chối',
  result: 'trả kết quả',
  withdrawal: 'rút hồ sơ',
};

/** "3 workingDays" → "3 ngày làm việc", inside any text. */
function units(text: string): string {
  return text.replace(/(\d+(?:\.\d+)?) (workingDays|workingHours|hours|calendarDays|days|sameDay)\b/g, (_all, amount: string, unit: string) => `${amount} ${UNITS[unit]}`);
}

const DISTRICT = 'từ 01/07/2025 chỉ còn cơ quan cấp tỉnh và cấp xã (Nghị quyết 202/2025/QH15)';

const PATTERNS: Array<[RegExp, (...parts: string[]) => string]> = [
  [/^User task has no role/, () => 'Bước xử lý chưa có vai trò thực hiện: đặt nhóm người xử lý (hoặc người xử lý) trong mục Phân công.'],
  [/^User task has no agency/, () => t('lint.userTaskAgency')],
  [/^User task has no share of the statutory time/, () => t('lint.userTaskStatutoryTime')],
  [
    /^Step shares add up to (\S+) workingDays on the path (.*), more than the statutory time of (.*)$/,
    (total, path, limit) => `Tổng thời hạn các bước là ${total} ngày làm việc (${units(path)}), vượt thời hạn giải quyết ${units(limit)}.`,
  ],
  [
    /^Step shares add up to (\S+) workingDays on the path (.*), more than the (.*) allowed with verification$/,
    (total, path, limit) => `Tổng thời hạn các bước là ${total} ngày làm việc (${units(path)}), vượt ${units(limit)} cho phép khi phải xác minh.`,
  ],
  [/^Process statutory time is (.*); the procedure's is (.*)$/, (own, expected) => `Thời hạn của quy trình là ${own === 'not set' ? 'chưa đặt' : units(own)}; thủ tục quy định ${units(expected)}.`],
  [
    /^Procedure has no (\w+) path: no (step|end event) with dossier status (.*?) \((.*)\) is reachable from the start$/,
    (path, kind, statuses, ground) =>
      `Quy trình thiếu nhánh ${PATHS[path] ?? path}: không tới được ${kind === 'step' ? 'bước' : 'sự kiện kết thúc'} nào có trạng thái hồ sơ ${statuses.replace(' or ', ' hoặc ')} (${ground}).`,
  ],
  [/^Name "(.*)" names a district-level unit \('(.*)'\)/, (name, word) => `Tên "${name}" chỉ đơn vị cấp huyện ("${word}"); ${DISTRICT}.`],
  [/^Agency (\S+) is a district-level agency/, (agency) => `Cơ quan ${agency} thuộc cấp huyện; ${DISTRICT}.`],
  [
    /^Procedure requires the (\S+) cut-off .* but the process has (.*); set motcua:facts cutoff="legal"$/,
    (time, now) => `Thủ tục phải áp dụng mốc ${time} (hồ sơ nhận sau mốc này tính từ ngày làm việc tiếp theo) nhưng quy trình ${now === 'no cut-off' ? 'chưa đặt mốc' : `đặt ${now}`}; hãy đặt cutoff="legal" trong Một cửa.`,
  ],
  [/^Same-day procedure has its cut-off switched off/, () => 'Thủ tục giải quyết trong ngày không được tắt mốc giờ (cutoff="none"): hồ sơ nhận sau mốc được trả vào ngày làm việc tiếp theo (Luật Hộ tịch 2014 điều 5(3)).'],
];

/** The Vietnamese text of one of our findings, or the message itself when it has none. */
export function vietnameseFinding(message: string): string {
  for (const [pattern, text] of PATTERNS) {
    const match = pattern.exec(message);
    if (match) return text(...match.slice(1));
  }
  return message;
}
