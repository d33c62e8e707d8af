/**
 * A printed one-stop-shop document as data: the header every Vietnamese administrative
 * document carries (issuing agency on the left, national motto on the right, place and
 * date), a title, then a flow of blocks. Forms (forms/*.ts) build a {@link DocumentLayout}
 * from a dossier's facts; one renderer (pdf-renderer.ts) draws every form, so the forms
 * hold the wording and the renderer holds the typography.
 */

/** A run of text with its emphasis; a paragraph is a list of runs. */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

/** A paragraph: plain text or runs. */
export type Inline = string | Run[];

/** A table column: header text, share of the text width, alignment. */
export interface Column {
  header: string;
  /** Relative width; the columns share the text width in proportion. */
  width: number;
  align?: 'left' | 'center' | 'right';
}

/** One signature at the foot: the role in capitals, how to sign, the signer's name. */
export interface Signature {
  title: string;
  note?: string;
  name?: string;
}

/** The blocks a document flows through, top to bottom. */
export type Block =
  | { kind: 'paragraph'; text: Inline; align?: 'left' | 'center' | 'justify'; indent?: boolean }
  | { kind: 'list'; items: Inline[]; style: 'numbered' | 'dash' }
  | { kind: 'table'; columns: Column[]; rows: string[][] }
  | { kind: 'signatures'; signatures: Signature[] }
  | { kind: 'spacer'; mm: number }
  | { kind: 'tracking'; url: string; caption: Inline };

/** Who issues the document: the two lines of its upper-left corner. */
export interface IssuerHeader {
  /** The governing body, e.g. "ỦY BAN NHÂN DÂN TỈNH BẮC NINH" (optional). */
  parentName?: string;
  /** The issuing agency or desk, e.g. "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG". */
  name: string;
  /** The line under the agency name: the document's number or code, e.g. "Mã hồ sơ: …". */
  reference?: string;
}

/** A whole document. */
export interface DocumentLayout {
  /** Which form of Circular 03/2025/TT-VPCP Annex I, e.g. "Mẫu số 01". */
  formNumber: string;
  issuer: IssuerHeader;
  /** The place and date line under the motto, e.g. "Bắc Ninh, ngày 23 tháng 11 năm 2026". */
  placeAndDate: string;
  title: string;
  /** A line under the title (e.g. the subject), centred. */
  subtitle?: string;
  blocks: Block[];
  /** PDF metadata. */
  meta: { title: string; subject: string; author: string; createdAt: number };
}
