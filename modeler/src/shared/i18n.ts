/**
 * The message catalogue of the browser apps: Vietnamese first, English second.
 * Every text a person reads comes from here, so a page never mixes languages and a
 * missing English text falls back to the Vietnamese one (never to a key).
 */
const vi = {
  'app.title': 'Mô hình hoá thủ tục một cửa',
  'app.language': 'Ngôn ngữ',
  'app.signOut': 'Đăng xuất',
  'login.heading': 'Đăng nhập',
  'login.lead': 'Dành cho tổ cải cách thủ tục hành chính: vẽ, kiểm tra và triển khai quy trình một cửa.',
  'login.username': 'Tên đăng nhập',
  'login.password': 'Mật khẩu',
  'login.submit': 'Đăng nhập',
  'login.failed': 'Đăng nhập không thành công: {detail}',
  'procedures.heading': 'Thủ tục',
  'procedures.new': 'Tạo thủ tục mới từ mẫu',
  'procedures.openFile': 'Mở tệp .bpmn…',
  'procedures.empty': 'Chưa có thủ tục nào được triển khai.',
  'procedures.name': 'Tên thủ tục',
  'procedures.processId': 'Mã quy trình',
  'procedures.version': 'Phiên bản',
  'procedures.deployedAt': 'Triển khai lúc',
  'procedures.open': 'Mở',
  'procedures.versions': 'Các phiên bản',
  'procedures.drafts': 'Bản nháp của tôi',
  'procedures.noDrafts': 'Chưa có bản nháp nào. Trong trình soạn thảo, bấm “Lưu nháp” để giữ bản đang vẽ trên máy chủ.',
  'procedures.savedAt': 'Lưu lúc',
  'editor.back': '← Danh sách thủ tục',
  'editor.deploy': 'Triển khai',
  'editor.saveDraft': 'Lưu nháp',
  'editor.draftSaved': 'Đã lưu nháp “{id}” lúc {time}.',
  'editor.downloadBpmn': 'Tải BPMN',
  'editor.downloadSvg': 'Tải SVG',
  'editor.downloadPng': 'Tải PNG',
  'editor.openFile': 'Mở tệp…',
  'editor.undo': 'Hoàn tác',
  'editor.redo': 'Làm lại',
  'editor.problems': 'Vấn đề khi triển khai',
  'editor.noProblems': 'Không có vấn đề.',
  'editor.versions': 'Các phiên bản đã triển khai',
  'editor.noVersions': 'Chưa triển khai lần nào.',
  'editor.deployed': 'Đã triển khai: {processId} phiên bản {version}.',
  'editor.unchanged': 'Không có thay đổi: phiên bản {version} vẫn là mới nhất.',
  'editor.rejected': 'Không triển khai được: {count} vấn đề (đánh dấu đỏ trên sơ đồ).',
  'editor.importWarnings': 'Sơ đồ được mở với {count} cảnh báo.',
  'editor.importFailed': 'Không mở được sơ đồ: {detail}',
  'editor.laidOut': 'Tệp không có sơ đồ (BPMN DI): bố cục được tạo tự động.',
  'editor.lint': 'Kiểm tra',
  'error.network': 'Không kết nối được máy chủ.',
  'error.sessionExpired': 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.',
  'motcua.group': 'Một cửa',
  'motcua.agency': 'Cơ quan thực hiện (mã)',
  'motcua.agency.description': 'Mã cơ quan; để trống nếu là cơ quan của thủ tục.',
  'motcua.statutoryTime': 'Thời hạn theo quy định',
  'motcua.statutoryTime.description': 'Phần thời hạn giải quyết dành cho bước này.',
  'motcua.statutoryTime.invalid': 'Phải là một số không âm.',
  'motcua.timeUnit': 'Đơn vị thời gian',
  'motcua.unit.workingDays': 'Ngày làm việc',
  'motcua.unit.workingHours': 'Giờ làm việc',
  'motcua.unit.days': 'Ngày',
  'motcua.unit.hours': 'Giờ',
  'motcua.dossierStatus': 'Trạng thái hồ sơ ở bước này',
  'motcua.documents': 'Giấy tờ yêu cầu (mỗi dòng một loại)',
  'lint.userTaskStatutoryTime': 'Bước xử lý chưa có thời hạn theo quy định (Một cửa › Thời hạn).',
  'lint.userTaskAgency': 'Bước xử lý chưa có cơ quan thực hiện, và thủ tục cũng chưa có.',
  'lint.statutoryTimeInvalid': 'Thời hạn theo quy định phải là số không âm.',
  'template.name': 'Thủ tục mới',
  'template.desk': 'Bộ phận một cửa',
  'template.unit': 'Phòng chuyên môn',
  'template.head': 'Lãnh đạo',
  'template.received': 'Tiếp nhận hồ sơ',
  'template.receive': 'Kiểm tra, tiếp nhận hồ sơ',
  'template.process': 'Thẩm định, xử lý hồ sơ',
  'template.sign': 'Phê duyệt, ký kết quả',
  'template.return': 'Trả kết quả',
  'template.done': 'Đã trả kết quả',
} as const;

/** A message key of the catalogue. */
export type MessageKey = keyof typeof vi;

const en: Partial<Record<MessageKey, string>> = {
  'app.title': 'One-stop-shop procedure modeler',
  'app.language': 'Language',
  'app.signOut': 'Sign out',
  'login.heading': 'Sign in',
  'login.lead': 'For administrative reform teams: draw, check and deploy one-stop-shop procedures.',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.failed': 'Sign-in failed: {detail}',
  'procedures.heading': 'Procedures',
  'procedures.new': 'New procedure from template',
  'procedures.openFile': 'Open a .bpmn file…',
  'procedures.empty': 'No procedure has been deployed yet.',
  'procedures.name': 'Procedure',
  'procedures.processId': 'Process id',
  'procedures.version': 'Version',
  'procedures.deployedAt': 'Deployed at',
  'procedures.open': 'Open',
  'procedures.versions': 'Versions',
  'procedures.drafts': 'My drafts',
  'procedures.noDrafts': 'No drafts yet. In the editor, “Save draft” keeps the diagram on the server.',
  'procedures.savedAt': 'Saved at',
  'editor.back': '← Procedures',
  'editor.deploy': 'Deploy',
  'editor.saveDraft': 'Save draft',
  'editor.draftSaved': 'Draft “{id}” saved at {time}.',
  'editor.downloadBpmn': 'Download BPMN',
  'editor.downloadSvg': 'Download SVG',
  'editor.downloadPng': 'Download PNG',
  'editor.openFile': 'Open file…',
  'editor.undo': 'Undo',
  'editor.redo': 'Redo',
  'editor.problems': 'Deployment problems',
  'editor.noProblems': 'No problems.',
  'editor.versions': 'Deployed versions',
  'editor.noVersions': 'Never deployed.',
  'editor.deployed': 'Deployed: {processId} version {version}.',
  'editor.unchanged': 'Nothing changed: version {version} is still the latest.',
  'editor.rejected': 'Not deployed: {count} problem(s), marked in red on the diagram.',
  'editor.importWarnings': 'The diagram opened with {count} warning(s).',
  'editor.importFailed': 'The diagram could not be opened: {detail}',
  'editor.laidOut': 'The file had no diagram (BPMN DI): it was laid out automatically.',
  'editor.lint': 'Checks',
  'error.network': 'The server cannot be reached.',
  'error.sessionExpired': 'Your session has expired; please sign in again.',
  'motcua.group': 'One-stop shop',
  'motcua.agency': 'Agency (code)',
  'motcua.agency.description': "Agency code; empty for the procedure's agency.",
  'motcua.statutoryTime': 'Statutory time',
  'motcua.statutoryTime.description': "This step's share of the statutory time.",
  'motcua.statutoryTime.invalid': 'Must be a non-negative number.',
  'motcua.timeUnit': 'Time unit',
  'motcua.unit.workingDays': 'Working days',
  'motcua.unit.workingHours': 'Working hours',
  'motcua.unit.days': 'Days',
  'motcua.unit.hours': 'Hours',
  'motcua.dossierStatus': 'Dossier status at this step',
  'motcua.documents': 'Documents asked (one per line)',
  'lint.userTaskStatutoryTime': 'The step has no statutory time (One-stop shop › Statutory time).',
  'lint.userTaskAgency': 'Neither the step nor the procedure names an agency.',
  'lint.statutoryTimeInvalid': 'The statutory time must be a non-negative number.',
  'template.name': 'New procedure',
  'template.desk': 'One-stop-shop desk',
  'template.unit': 'Processing unit',
  'template.head': 'Head of agency',
  'template.received': 'Dossier received',
  'template.receive': 'Check and receive the dossier',
  'template.process': 'Appraise and process',
  'template.sign': 'Approve and sign the result',
  'template.return': 'Return the result',
  'template.done': 'Result returned',
};

/** The languages of the apps, Vietnamese first. */
export type Locale = 'vi' | 'en';

const LOCALE_KEY = 'motcua.locale';

/** The locale chosen by the user (kept in localStorage), Vietnamese by default. */
export function currentLocale(): Locale {
  try {
    return localStorage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'vi';
  } catch {
    return 'vi';
  }
}

/** Remembers the locale; the caller re-renders. */
export function setLocale(locale: Locale): void {
  localStorage.setItem(LOCALE_KEY, locale);
  document.documentElement.lang = locale;
}

/** The text of `key` in the current locale, with `{name}` placeholders filled in. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  const text = (currentLocale() === 'en' ? en[key] : undefined) ?? vi[key];
  return text.replace(/\{(\w+)\}/g, (all, name: string) => (name in values ? String(values[name]) : all));
}
