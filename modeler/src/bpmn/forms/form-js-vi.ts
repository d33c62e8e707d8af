/**
 * form-js (editor and viewer 1.x) has no translation hook: its palette, properties panel and
 * empty-canvas texts are written in English in its components. In Vietnamese the form dialog
 * rewrites those texts as form-js draws them (text nodes and the title, aria-label and
 * placeholder attributes), from the catalogue below. The form's own fields (`.fjs-form-field`,
 * the analyst's labels) are never touched.
 */
import { currentLocale } from '../../shared/i18n';
import { PROPERTIES_PANEL_VI } from '../translate/properties-panel-vi';

export const FORM_JS_VI: Record<string, string> = {
  ...PROPERTIES_PANEL_VI,
  // palette
  Components: 'Thành phần',
  'Search components': 'Tìm thành phần',
  'No components found.': 'Không tìm thấy thành phần nào.',
  Input: 'Nhập liệu',
  Selection: 'Lựa chọn',
  Presentation: 'Trình bày',
  Containers: 'Khung chứa',
  Action: 'Hành động',
  'Text field': 'Ô văn bản',
  'Text area': 'Vùng văn bản',
  Number: 'Số',
  'Date time': 'Ngày giờ',
  Expression: 'Biểu thức',
  'File picker': 'Chọn tệp',
  Checkbox: 'Ô đánh dấu',
  'Checkbox group': 'Nhóm ô đánh dấu',
  'Radio group': 'Nhóm lựa chọn một',
  Select: 'Danh sách chọn',
  'Tag list': 'Danh sách nhãn',
  'Text view': 'Đoạn văn bản',
  'Image view': 'Hình ảnh',
  Table: 'Bảng',
  'HTML view': 'Đoạn HTML',
  'Document preview': 'Xem trước tài liệu',
  Spacer: 'Khoảng trống',
  Separator: 'Đường phân cách',
  'Dynamic list': 'Danh sách động',
  Button: 'Nút',
  // canvas
  'Build your form': 'Xây dựng biểu mẫu',
  'Drag and drop components here to start designing.': 'Kéo thả thành phần vào đây để bắt đầu thiết kế.',
  'Drag and drop components here.': 'Kéo thả thành phần vào đây.',
  'Use the preview window to test your form.': 'Dùng thẻ “Xem trước” để thử biểu mẫu.',
  'Clear content': 'Xoá nội dung',
  // properties panel
  Validation: 'Kiểm tra hợp lệ',
  Layout: 'Bố cục',
  Appearance: 'Hiển thị',
  Constraints: 'Ràng buộc',
  'Custom properties': 'Thuộc tính tuỳ chỉnh',
  Serialization: 'Tuần tự hoá',
  'Options source': 'Nguồn lựa chọn',
  'Static options': 'Các lựa chọn cố định',
  'Dynamic options': 'Lựa chọn động',
  Label: 'Nhãn',
  'Field label': 'Nhãn trường',
  'Field description': 'Mô tả trường',
  Key: 'Mã (khoá)',
  'Default value': 'Giá trị mặc định',
  'Read only': 'Chỉ đọc',
  Disabled: 'Vô hiệu',
  Required: 'Bắt buộc',
  'Minimum length': 'Độ dài tối thiểu',
  'Maximum length': 'Độ dài tối đa',
  Minimum: 'Nhỏ nhất',
  Maximum: 'Lớn nhất',
  'Validation pattern': 'Mẫu kiểm tra',
  'Custom regular expression': 'Biểu thức chính quy tuỳ chỉnh',
  'Custom error message': 'Thông báo lỗi tuỳ chỉnh',
  Columns: 'Số cột',
  Auto: 'Tự động',
  Subtype: 'Kiểu con',
  'Date label': 'Nhãn ngày',
  'Time label': 'Nhãn giờ',
  'Disallow past dates': 'Không cho chọn ngày đã qua',
  Prefix: 'Tiền tố',
  Suffix: 'Hậu tố',
  Text: 'Văn bản',
  'Version tag by which this form can be referenced.': 'Nhãn phiên bản dùng để tham chiếu biểu mẫu này.',
  Searchable: 'Cho phép tìm',
  Height: 'Chiều cao',
  'Learn more': 'Tìm hiểu thêm',
  Submit: 'Gửi',
  Reset: 'Đặt lại',
  Email: 'Thư điện tử',
  Phone: 'Điện thoại',
  Checked: 'Đã đánh dấu',
  'Not checked': 'Chưa đánh dấu',
  Content: 'Nội dung',
  Repeatable: 'Lặp lại được',
};

const ATTRIBUTES = ['title', 'aria-label', 'placeholder'];

function skip(node: Node): boolean {
  const element = node instanceof Element ? node : node.parentElement;
  return !!element?.closest('.fjs-form-field, [data-no-translate]');
}

function rewrite(root: Node): void {
  if (root instanceof Text) {
    const key = root.data.trim();
    const text = FORM_JS_VI[key];
    if (text && !skip(root)) root.data = root.data.replace(key, text);
    return;
  }
  if (!(root instanceof Element)) return;
  for (const element of [root, ...root.querySelectorAll('*')]) {
    if (skip(element)) continue;
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value && FORM_JS_VI[value]) element.setAttribute(name, FORM_JS_VI[value]);
    }
  }
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) rewrite(node);
}

/** Keeps form-js's texts inside `host` Vietnamese (when the app is); returns the stopper. */
export function translateFormJs(host: HTMLElement): () => void {
  if (currentLocale() !== 'vi') return () => undefined;
  rewrite(host);
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'characterData') rewrite(record.target);
      else if (record.type === 'attributes') rewrite(record.target);
      else record.addedNodes.forEach(rewrite);
    }
  });
  observer.observe(host, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ATTRIBUTES });
  return () => observer.disconnect();
}
