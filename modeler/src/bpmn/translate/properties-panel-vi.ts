/**
 * Vietnamese texts that the BPMN properties panel and the form editor share: both are built on
 * @bpmn-io/properties-panel, so its chrome (sections, lists, documentation links) and the
 * common field labels read the same in both. Each catalogue spreads these first and adds its own
 * (vi-catalogue.ts for bpmn-js, forms/form-js-vi.ts for form-js).
 */
export const PROPERTIES_PANEL_VI: Readonly<Record<string, string>> = {
  // chrome (@bpmn-io/properties-panel)
  'Toggle section': 'Mở/thu gọn mục',
  Create: 'Thêm',
  'Create new list item': 'Thêm một mục',
  'Delete item': 'Xoá mục',
  'Open documentation': 'Mở tài liệu',
  'Section contains an error': 'Mục có lỗi',
  'Section contains edits': 'Mục đã được sửa',
  // labels both panels use
  General: 'Thông tin chung',
  ID: 'Mã',
  'Version tag': 'Nhãn phiên bản',
  Type: 'Loại',
  Value: 'Giá trị',
  Condition: 'Điều kiện',
  Group: 'Nhóm',
};
