/**
 * What the printable forms of Circular 03/2025/TT-VPCP (Annex I) need to know about a
 * dossier: plain data, filled by the dossier layer from its rows (and, for the control
 * slip, from the audit trail). Times are epoch milliseconds; they are printed in Vietnam's
 * time zone.
 */

/** The desk or agency that issues the document (upper-left corner). */
export interface IssuingAgency {
  /** The governing body, e.g. "Ủy ban nhân dân phường Vũ Ninh". */
  parentName?: string;
  /** The issuing unit, e.g. "Bộ phận Một cửa". */
  name: string;
  /** Where the date line says it was issued, e.g. "Bắc Ninh". */
  place: string;
}

/** The applicant, only what the procedure needs (Law 91/2025 on personal data). */
export interface ApplicantOnDocument {
  name: string;
  address?: string;
  phone?: string;
  email?: string;
}

/** One document of the dossier, as received or as asked for. */
export interface DossierItem {
  name: string;
  /** Originals received (mẫu 01). */
  originals?: number;
  /** Copies received (mẫu 01). */
  copies?: number;
  /** Electronic files received (mẫu 01): neither an original nor a copy on paper. */
  electronic?: number;
  /** Why it is asked for or what is wrong with it (mẫu 02). */
  reason?: string;
}

/** What every form says about the dossier. */
export interface DossierOnDocument {
  /** The dossier code (Decree 118 art. 28), e.g. "000.00.15.H29-261123-0001". */
  code: string;
  procedureName: string;
  applicant: ApplicantOnDocument;
  /** Where the applicant follows the dossier (the QR code encodes it, with the secret when known). */
  trackingUrl: string;
  /** The dossier's tracking secret, printed beside the code (only on the copy handed to the applicant). */
  trackingSecret?: string;
}

/** Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
export interface ReceiptData extends DossierOnDocument {
  issuer: IssuingAgency;
  receivedAt: number;
  receivedBy: string;
  documents: DossierItem[];
  /** Sets of the dossier handed in (paper). */
  sets?: number;
  /** The statutory time as the procedure states it, e.g. "03 ngày làm việc". */
  statutoryTime: string;
  appointmentAt: number;
  /** Where (or how) the result is returned, e.g. "Bộ phận Một cửa phường Vũ Ninh" or "Qua dịch vụ bưu chính". */
  returnPlace: string;
  /** Fee in đồng (absent or 0: none). */
  fee?: number;
  /** The register entry (mẫu 07): book and sequence number. */
  register?: { book: string; number: number };
}

/** Mẫu 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ. */
export interface SupplementRequestData extends DossierOnDocument {
  issuer: IssuingAgency;
  requestedAt: number;
  requestedBy: string;
  /** When the dossier was received (the request refers to it). */
  receivedAt: number;
  /** Every missing or wrong item, with its reason: the only request this dossier gets. */
  items: DossierItem[];
  /** Calendar days the applicant has to supplement before the dossier is stopped (15 by default). */
  supplementDays: number;
  /** Who the applicant may ask, e.g. "Nguyễn Thị Lan, 0222 3 456 789". */
  contact?: string;
}

/** Mẫu 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ. */
export interface RefusalData extends DossierOnDocument {
  issuer: IssuingAgency;
  refusedAt: number;
  refusedBy: string;
  reasons: string[];
}

/** Mẫu 04: Văn bản xin lỗi và hẹn lại ngày trả kết quả. */
export interface ApologyData extends DossierOnDocument {
  issuer: IssuingAgency;
  issuedAt: number;
  receivedAt: number;
  /** The appointment printed on the receipt. */
  originalAppointmentAt: number;
  /** The one new appointment (Decree 118 art. 19(6): set once only). */
  newAppointmentAt: number;
  reason: string;
  /** Who signs for the agency, e.g. "Phó Chủ tịch", and the name. */
  signer: { title: string; name: string };
}

/** Mẫu 05: Thông báo dừng giải quyết hồ sơ. */
export interface StopNoticeData extends DossierOnDocument {
  issuer: IssuingAgency;
  stoppedAt: number;
  receivedAt: number;
  /** Why: no supplement within the time, withdrawn by the applicant, or another reason in words. */
  cause: { kind: 'no-supplement'; requestedAt: number; supplementDays: number } | { kind: 'withdrawn'; requestedAt: number } | { kind: 'other'; text: string };
  signer: { title: string; name: string };
}

/** One hand-off of the dossier between units or agencies, from the audit trail (mẫu 06). */
export interface HandOff {
  /** Who handed over (unit and official). */
  from: string;
  /** Who received (unit and official). */
  to: string;
  at: number;
  /** The step's due time, when it has one. */
  dueAt?: number;
  /** The step's result against its due time. */
  result?: 'early' | 'on-time' | 'late';
  note?: string;
}

/** Mẫu 06: Phiếu kiểm soát quá trình giải quyết hồ sơ. */
export interface ControlSlipData extends DossierOnDocument {
  issuer: IssuingAgency;
  issuedAt: number;
  receivedAt: number;
  appointmentAt: number;
  handOffs: HandOff[];
}
