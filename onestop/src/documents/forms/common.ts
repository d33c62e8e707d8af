/**
 * Pieces every form shares: the issuer header with the dossier code under it, the
 * applicant's lines, the tracking QR block, the PDF metadata.
 */
import type { Block, DocumentLayout, Run } from '../layout';
import type { DossierOnDocument, IssuingAgency } from '../document-data';
import { placeAndDate } from '../vn-format';

/** A labelled line: "Label: value" with the value in bold. */
export function field(label: string, value: string | undefined): Run[] {
  return [{ text: `${label}: ` }, { text: value && value.trim() !== '' ? value : '……………………', bold: true }];
}

/** The applicant's name and the contact details the dossier has. */
export function applicantLines(dossier: DossierOnDocument, label = 'Ông/Bà (tổ chức)'): Block[] {
  const { applicant } = dossier;
  const lines: Block[] = [{ kind: 'paragraph', text: field(label, applicant.name) }];
  if (applicant.address) lines.push({ kind: 'paragraph', text: field('Địa chỉ', applicant.address) });
  const contact = [applicant.phone && `Số điện thoại: ${applicant.phone}`, applicant.email && `Thư điện tử: ${applicant.email}`].filter(Boolean).join('    ');
  if (contact) lines.push({ kind: 'paragraph', text: contact });
  return lines;
}

/**
 * The QR code to the tracking page, with what to type in by hand: the page's address (it
 * names the dossier code) and, on the applicant's copy, the tracking secret.
 */
export function trackingBlock(dossier: DossierOnDocument): Block {
  const page = dossier.trackingUrl.replace(/#.*$/, '');
  return {
    kind: 'tracking',
    url: dossier.trackingUrl,
    caption: dossier.trackingSecret
      ? [
          { text: 'Tra cứu tình trạng hồ sơ: ', bold: true },
          { text: `quét mã QR bên cạnh, hoặc vào ${page} và nhập mã bí mật tra cứu: ` },
          { text: dossier.trackingSecret, bold: true },
          { text: ' (giữ kín mã này; mã hồ sơ ' },
          { text: dossier.code, bold: true },
          { text: ').' },
        ]
      : [
          { text: 'Tra cứu tình trạng hồ sơ: ', bold: true },
          { text: `quét mã QR bên cạnh, hoặc vào ${page} (mã hồ sơ ` },
          { text: dossier.code, bold: true },
          { text: ') và nhập mã bí mật tra cứu được cấp khi tiếp nhận.' },
        ],
  };
}

/** The frame of a form: header, title, metadata. */
export function frame(
  options: { formNumber: string; title: string; subtitle?: string; issuer: IssuingAgency; at: number; dossier: DossierOnDocument },
  blocks: Block[],
): DocumentLayout {
  return {
    formNumber: options.formNumber,
    issuer: { parentName: options.issuer.parentName, name: options.issuer.name, reference: `Mã hồ sơ: ${options.dossier.code}` },
    placeAndDate: placeAndDate(options.issuer.place, options.at),
    title: options.title,
    subtitle: options.subtitle,
    blocks,
    meta: { title: `${options.title} – ${options.dossier.code}`, subject: options.dossier.procedureName, author: options.issuer.name, createdAt: options.at },
  };
}
