/**
 * Draws a {@link DocumentLayout} as an A4 PDF with pdfkit.
 *
 * Typography follows the presentation rules for Vietnamese administrative documents
 * (Decree 30/2020/NĐ-CP, Appendix I): A4 portrait; margins top and bottom 20 mm, left
 * 30 mm, right 15 mm; a serif face at 13 pt for the body; the issuing agency upper left
 * and the national motto upper right, each underlined by a short rule; the title in bold
 * capitals, centred. The face is DejaVu Serif Condensed (about as wide as the Times faces
 * offices print with; from the `dejavu-fonts-ttf` package),
 * embedded and subset, because it has every glyph of Vietnamese (stacked diacritics such
 * as ậ, ễ, ỗ, ự): a document prints the same on any machine, and text extracted from it
 * is the text that was written.
 */
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { Block, Column, DocumentLayout, Inline, Run, Signature } from './layout';

const MM = 72 / 25.4;
const PAGE = { width: 210 * MM, height: 297 * MM };
const MARGIN = { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM };
const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BODY = 13;
const HEADER = 12;
const LINE_GAP = 2;

const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONTS = {
  regular: join(FONT_DIR, 'DejaVuSerifCondensed.ttf'),
  bold: join(FONT_DIR, 'DejaVuSerifCondensed-Bold.ttf'),
  italic: join(FONT_DIR, 'DejaVuSerifCondensed-Italic.ttf'),
  boldItalic: join(FONT_DIR, 'DejaVuSerifCondensed-BoldItalic.ttf'),
} as const;

type Doc = InstanceType<typeof PDFDocument>;

function fontOf(run: Pick<Run, 'bold' | 'italic'>): keyof typeof FONTS {
  if (run.bold && run.italic) return 'boldItalic';
  if (run.bold) return 'bold';
  if (run.italic) return 'italic';
  return 'regular';
}

function runsOf(text: Inline): Run[] {
  return typeof text === 'string' ? [{ text }] : text.filter((run) => run.text.length > 0);
}

function bottom(): number {
  return PAGE.height - MARGIN.bottom;
}

/** Starts a new page when fewer than `height` points are left on this one. */
function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > bottom()) {
    doc.addPage();
    doc.y = MARGIN.top;
  }
}

/** Writes runs as one paragraph at (x, current y) within `width`. */
function writeRuns(doc: Doc, runs: Run[], x: number, width: number, options: { align?: 'left' | 'center' | 'justify'; indent?: number; size?: number }): void {
  const size = options.size ?? BODY;
  if (runs.length === 0) return;
  runs.forEach((run, i) => {
    doc.font(fontOf(run)).fontSize(size);
    const last = i === runs.length - 1;
    const textOptions = { width, align: options.align ?? 'left', lineGap: LINE_GAP, continued: !last, indent: i === 0 ? options.indent ?? 0 : 0 };
    if (i === 0) doc.text(run.text, x, doc.y, textOptions);
    else doc.text(run.text, textOptions);
  });
}

function heightOfRuns(doc: Doc, runs: Run[], width: number, size = BODY): number {
  // A paragraph's height with every run in the heaviest face it uses: an upper bound, used only to keep blocks together.
  const heavy = runs.some((r) => r.bold) ? 'bold' : 'regular';
  doc.font(heavy).fontSize(size);
  return doc.heightOfString(runs.map((r) => r.text).join(''), { width, lineGap: LINE_GAP });
}

function drawHeader(doc: Doc, layout: DocumentLayout): void {
  // The header is wider than the text: the agency column reaches into the left margin, the motto into the right one.
  const split = TEXT_WIDTH * 0.47;
  const left = { x: MARGIN.left - 12 * MM, width: split + 10 * MM };
  const right = { x: MARGIN.left + split, width: TEXT_WIDTH - split + 8 * MM };

  doc.font('italic').fontSize(9).fillColor('#444444');
  doc.text(`${layout.formNumber} – Phụ lục I, Thông tư 03/2025/TT-VPCP`, MARGIN.left, MARGIN.top - 10 * MM, { width: TEXT_WIDTH, align: 'right' });
  doc.fillColor('black');

  const top = MARGIN.top;
  // Left: the governing body and the issuing agency, a short rule under them.
  doc.y = top;
  if (layout.issuer.parentName) {
    doc.font('regular').fontSize(HEADER).text(layout.issuer.parentName.toUpperCase(), left.x, doc.y, { width: left.width, align: 'center' });
  }
  doc.font('bold').fontSize(HEADER).text(layout.issuer.name.toUpperCase(), left.x, doc.y, { width: left.width, align: 'center' });
  const leftRuleY = doc.y + 4;
  rule(doc, left.x + left.width / 2, leftRuleY, left.width / 3);
  let leftBottom = leftRuleY + 4;
  if (layout.issuer.reference) {
    doc.font('regular').fontSize(HEADER).text(layout.issuer.reference, left.x, leftRuleY + 6, { width: left.width, align: 'center' });
    leftBottom = doc.y;
  }

  // Right: the national motto, its rule as long as the second line, the place and date.
  doc.font('bold').fontSize(HEADER).text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', right.x, top, { width: right.width, align: 'center' });
  doc.font('bold').fontSize(BODY).text('Độc lập - Tự do - Hạnh phúc', right.x, doc.y, { width: right.width, align: 'center' });
  const mottoWidth = doc.widthOfString('Độc lập - Tự do - Hạnh phúc');
  const rightRuleY = doc.y + 3;
  rule(doc, right.x + right.width / 2, rightRuleY, mottoWidth);
  doc.font('italic').fontSize(BODY).text(layout.placeAndDate, right.x, rightRuleY + 8, { width: right.width, align: 'center' });
  doc.y = Math.max(leftBottom, doc.y) + 8 * MM;
}

function rule(doc: Doc, centre: number, y: number, width: number): void {
  doc.moveTo(centre - width / 2, y).lineTo(centre + width / 2, y).lineWidth(0.7).stroke();
}

function drawTitle(doc: Doc, layout: DocumentLayout): void {
  doc.font('bold').fontSize(14).text(layout.title.toUpperCase(), MARGIN.left, doc.y, { width: TEXT_WIDTH, align: 'center', lineGap: LINE_GAP });
  if (layout.subtitle) doc.font('bold').fontSize(BODY).text(layout.subtitle, MARGIN.left, doc.y + 2, { width: TEXT_WIDTH, align: 'center', lineGap: LINE_GAP });
  doc.y += 5 * MM;
}

function drawParagraph(doc: Doc, block: Extract<Block, { kind: 'paragraph' }>): void {
  const runs = runsOf(block.text);
  ensureRoom(doc, Math.min(heightOfRuns(doc, runs, TEXT_WIDTH), 3 * BODY));
  // pdfkit justifies each run on its own: a paragraph of several runs is set ragged right.
  const align = block.align ?? (block.indent && runs.length === 1 ? 'justify' : 'left');
  writeRuns(doc, runs, MARGIN.left, TEXT_WIDTH, { align, indent: block.indent ? 10 * MM : 0 });
  doc.y += 2;
}

function drawList(doc: Doc, block: Extract<Block, { kind: 'list' }>): void {
  const hang = 8 * MM;
  block.items.forEach((item, i) => {
    const runs = runsOf(item);
    ensureRoom(doc, Math.min(heightOfRuns(doc, runs, TEXT_WIDTH - hang), 3 * BODY));
    const y = doc.y;
    doc.font('regular').fontSize(BODY).text(block.style === 'numbered' ? `${i + 1}.` : '–', MARGIN.left + 2 * MM, y, { width: hang, lineBreak: false });
    doc.y = y;
    writeRuns(doc, runs, MARGIN.left + hang, TEXT_WIDTH - hang, { align: 'left' });
    doc.y += 1;
  });
  doc.y += 2;
}

function columnWidths(columns: Column[]): number[] {
  const total = columns.reduce((sum, c) => sum + c.width, 0);
  return columns.map((c) => (TEXT_WIDTH * c.width) / total);
}

function drawTableRow(doc: Doc, cells: string[], columns: Column[], widths: number[], header: boolean): void {
  const pad = 1.5 * MM;
  const size = header ? 10.5 : 11;
  doc.font(header ? 'bold' : 'regular').fontSize(size);
  const heights = cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: widths[i] - 2 * pad, lineGap: 1 }));
  const height = Math.max(...heights) + 2 * pad;
  if (doc.y + height > bottom()) {
    doc.addPage();
    doc.y = MARGIN.top;
    if (!header) drawTableRow(doc, columns.map((c) => c.header), columns, widths, true);
    doc.font(header ? 'bold' : 'regular').fontSize(size);
  }
  const top = doc.y;
  let x = MARGIN.left;
  cells.forEach((cell, i) => {
    if (header) doc.rect(x, top, widths[i], height).fillAndStroke('#eeeeee', 'black').fillColor('black');
    else doc.rect(x, top, widths[i], height).lineWidth(0.6).stroke();
    doc.text(cell, x + pad, top + pad, { width: widths[i] - 2 * pad, align: header ? 'center' : columns[i].align ?? 'left', lineGap: 1 });
    x += widths[i];
  });
  doc.y = top + height;
}

function drawTable(doc: Doc, block: Extract<Block, { kind: 'table' }>): void {
  const widths = columnWidths(block.columns);
  ensureRoom(doc, 20 * MM);
  drawTableRow(doc, block.columns.map((c) => c.header), block.columns, widths, true);
  for (const row of block.rows) drawTableRow(doc, block.columns.map((_, i) => row[i] ?? ''), block.columns, widths, false);
  doc.y += 4 * MM;
}

function drawSignatures(doc: Doc, signatures: Signature[]): void {
  ensureRoom(doc, 38 * MM);
  const width = TEXT_WIDTH / signatures.length;
  const top = doc.y + 2 * MM;
  let lowest = top;
  signatures.forEach((signature, i) => {
    const x = MARGIN.left + i * width;
    doc.font('bold').fontSize(BODY).text(signature.title.toUpperCase(), x, top, { width, align: 'center' });
    if (signature.note) doc.font('italic').fontSize(BODY - 1).text(signature.note, x, doc.y, { width, align: 'center' });
    const nameY = doc.y + 18 * MM;
    if (signature.name) doc.font('bold').fontSize(BODY).text(signature.name, x, nameY, { width, align: 'center' });
    lowest = Math.max(lowest, signature.name ? doc.y : nameY);
  });
  doc.y = lowest + 4 * MM;
}

/** Draws a QR code of `url` as vector squares (sharp at any zoom, decodable from a 100 dpi scan). */
function drawTracking(doc: Doc, block: Extract<Block, { kind: 'tracking' }>): void {
  const side = 24 * MM;
  ensureRoom(doc, side + 4 * MM);
  const qr = QRCode.create(block.url, { errorCorrectionLevel: 'M' });
  const count = qr.modules.size;
  const quiet = 4;
  const cell = side / (count + 2 * quiet);
  const x0 = MARGIN.left;
  const y0 = doc.y;
  doc.rect(x0, y0, side, side).fill('white');
  doc.fillColor('black');
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (qr.modules.get(row, col)) doc.rect(x0 + (col + quiet) * cell, y0 + (row + quiet) * cell, cell + 0.05, cell + 0.05).fill('black');
    }
  }
  doc.y = y0 + 3 * MM;
  writeRuns(doc, runsOf(block.caption), x0 + side + 4 * MM, TEXT_WIDTH - side - 4 * MM, { align: 'left', size: 11 });
  doc.y = Math.max(doc.y, y0 + side) + 2 * MM;
}

function drawBlock(doc: Doc, block: Block): void {
  switch (block.kind) {
    case 'paragraph':
      return drawParagraph(doc, block);
    case 'list':
      return drawList(doc, block);
    case 'table':
      return drawTable(doc, block);
    case 'signatures':
      return drawSignatures(doc, block.signatures);
    case 'spacer':
      doc.y += block.mm * MM;
      return;
    case 'tracking':
      return drawTracking(doc, block);
  }
}

function numberPages(doc: Doc): void {
  const range = doc.bufferedPageRange();
  if (range.count < 2) return;
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin: lift the margin while writing it, or pdfkit starts a new page.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(9).text(`Trang ${i + 1}/${range.count}`, MARGIN.left, PAGE.height - MARGIN.bottom + 8 * MM, { width: TEXT_WIDTH, align: 'center', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
}

/**
 * Renders a document to PDF bytes. The same layout always gives the same text and
 * pictures; the creation date is the layout's own (`meta.createdAt`), not the clock.
 */
export function renderPdf(layout: DocumentLayout): Promise<Buffer> {
  const createdAt = new Date(layout.meta.createdAt);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: 'vi-VN',
    displayTitle: true,
    info: { Title: layout.meta.title, Subject: layout.meta.subject, Author: layout.meta.author, Creator: 'motcua', CreationDate: createdAt, ModDate: createdAt },
  });
  for (const [name, path] of Object.entries(FONTS)) doc.registerFont(name, path);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  drawHeader(doc, layout);
  drawTitle(doc, layout);
  for (const block of layout.blocks) drawBlock(doc, block);
  numberPages(doc);
  doc.end();
  return done;
}
