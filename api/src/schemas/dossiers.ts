/** Dossiers (hồ sơ), the procedure catalogue, and citizen tracking. */
import { Id, named, Timestamp } from './common';
import { operation } from './operation';

const Text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;
const STATUSES = ['submitted', 'received', 'processing', 'supplement-requested', 'supplemented', 'result-ready', 'returned', 'refused', 'rejected', 'stopped', 'withdrawn'];

const codeParams = { type: 'object', required: ['code'], properties: { code: Text(200) }, additionalProperties: false } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: Id }, additionalProperties: false } as const;

export const Procedure = named('Procedure', {
  type: 'object',
  required: ['code', 'version', 'document', 'updatedAt'],
  properties: {
    code: { type: 'string' },
    version: { type: 'integer', description: 'Each change is a new version; a dossier keeps the one in force at its receipt.' },
    effectiveFrom: { type: 'string', format: 'date' },
    effectiveTo: { type: 'string', format: 'date' },
    document: { type: 'object', description: 'The procedure as in processes/procedure.schema.json: national code, name, field, competent agency and level, legal basis, statutory time, fee, documents with their codes, online level, process id.' },
    updatedAt: Timestamp,
    updatedBy: { type: 'string' },
  },
});

export const Applicant = named('Applicant', {
  type: 'object',
  description: 'Personal data (Law 91/2025/QH15): only what the procedure needs.',
  required: ['name', 'kind'],
  properties: {
    name: Text(200),
    kind: { type: 'string', enum: ['citizen', 'organisation'] },
    idNumber: { type: 'string', pattern: '^[0-9A-Za-z]{6,20}$' },
    phone: { type: 'string', pattern: '^[0-9+ ]{6,20}$' },
    email: { type: 'string', format: 'email', maxLength: 200 },
    address: Text(500),
  },
  additionalProperties: false,
});

export const ReceivedDocument = named('ReceivedDocument', {
  type: 'object',
  description: 'A document received with the dossier (Decree 118/2025 art. 19(2)): its type code, name, form and number of copies.',
  required: ['code', 'name', 'form', 'copies'],
  properties: {
    code: Text(100),
    name: Text(300),
    form: { type: 'string', enum: ['original', 'certified-copy', 'copy', 'electronic'] },
    copies: { type: 'integer', minimum: 1, maximum: 100 },
    digitised: { type: 'boolean' },
    note: Text(500),
  },
  additionalProperties: false,
});

/** A document as a receipt gives it: as {@link ReceivedDocument}, its name optional. */
export const ReceivedDocumentInput = named('ReceivedDocumentInput', {
  ...ReceivedDocument,
  description: "A document received with the dossier (Decree 118/2025 art. 19(2)): its type code, form and number of copies; its name, when not given, is the type's name in the procedure's catalogue entry.",
  required: ['code', 'form', 'copies'],
});

export const Dossier = named('Dossier', {
  type: 'object',
  required: ['id', 'code', 'status', 'channel', 'agency', 'procedureCode', 'procedureVersion', 'submittedAt', 'documents', 'fee'],
  properties: {
    id: { type: 'string' },
    code: { type: 'string', description: 'The national dossier code (Decree 118 art. 28).' },
    status: { type: 'string', enum: STATUSES },
    channel: { type: 'string', enum: ['desk', 'post', 'online'] },
    agency: { type: 'string' },
    agencies: { type: 'array', items: { type: 'string' } },
    procedureCode: { type: 'string' },
    procedureVersion: { type: 'integer' },
    instanceId: { type: 'string' },
    submittedAt: Timestamp,
    receivedAt: Timestamp,
    receiptAppointmentAt: Timestamp,
    appointmentAt: Timestamp,
    originalAppointmentAt: Timestamp,
    late: { type: 'boolean' },
    supplementRequests: { type: 'integer' },
    supplement: { type: 'object' },
    finishedAt: Timestamp,
    currentStep: { type: 'object', properties: { agency: { type: 'string' }, name: { type: 'string' } } },
    documents: { type: 'array', items: ReceivedDocument },
    fee: { type: 'object', properties: { amount: { type: 'number' }, currency: { type: 'string' }, paid: { type: 'boolean' }, paidOnline: { type: 'boolean' } } },
    applicant: { ...Applicant, description: 'Only for staff of the competent agency and the applicant; every read is logged.' },
    trackingSecret: { type: 'string', description: 'Only in the answer to the receipt: with the code, it lets the applicant track the dossier.' },
  },
});

const HistoryEntry = named('DossierHistoryEntry', {
  type: 'object',
  required: ['at', 'type', 'from', 'to', 'actor'],
  properties: { at: Timestamp, type: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, actor: { type: 'string' }, event: { type: 'object' } },
});

const staffAndCitizen = ['official (own agency, or the dossier’s other agencies)', 'agency-admin (own agency, or the dossier’s other agencies)', 'citizen (own dossiers)'];

export const listProcedures = operation({
  operationId: 'listProcedures',
  method: 'get',
  path: '/procedures',
  summary: 'The procedure catalogue',
  tag: 'dossiers',
  roles: ['analyst', 'agency-admin', 'official', 'citizen'],
  query: { type: 'object', properties: { agency: Text(100) }, additionalProperties: false },
  responses: { 200: { description: 'The procedures, by code.', schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: Procedure } } } } },
});

export const getProcedure = operation({
  operationId: 'getProcedure',
  method: 'get',
  path: '/procedures/{code}',
  summary: 'One procedure of the catalogue',
  tag: 'dossiers',
  roles: ['analyst', 'agency-admin', 'official', 'citizen'],
  params: codeParams,
  responses: { 200: { description: 'The procedure.', schema: Procedure } },
  errors: [404],
});

export const putProcedure = operation({
  operationId: 'putProcedure',
  method: 'put',
  path: '/procedures/{code}',
  summary: 'Add or change a procedure of the catalogue',
  description: 'A new version; dossiers already received keep theirs. Only an admin of the competent agency (before and after the change).',
  tag: 'dossiers',
  roles: ['agency-admin (competent agency)'],
  params: codeParams,
  body: {
    type: 'object',
    required: ['document'],
    properties: { document: { type: 'object' }, effectiveFrom: { type: 'string', format: 'date' }, effectiveTo: { type: 'string', format: 'date' } },
    additionalProperties: false,
  },
  responses: { 200: { description: 'The catalogue entry now.', schema: Procedure } },
  errors: [404],
});

export const receiveDossier = operation({
  operationId: 'receiveDossier',
  method: 'post',
  path: '/dossiers',
  summary: 'Receive a dossier (desk, post) or submit one online',
  description:
    'An official of the competent agency receives at the desk or by post (received at once: code, appointment on the legal clock); a citizen submits online (the desk accepts or sends it back within 8 working hours). The process instance starts in the same transaction. The answer carries the tracking secret, once; a retry with the same `Idempotency-Key` by the same caller (user and agency) gets it again, anyone else never (the stored answer keeps it encrypted under that key).',
  tag: 'dossiers',
  roles: ['official (competent agency: desk, post)', 'citizen (online)'],
  idempotent: true,
  body: {
    type: 'object',
    required: ['procedureCode', 'channel', 'applicant', 'documents'],
    properties: {
      procedureCode: Text(200),
      channel: { type: 'string', enum: ['desk', 'post', 'online'] },
      applicant: Applicant,
      documents: { type: 'array', maxItems: 100, items: ReceivedDocumentInput },
      fee: { type: 'object', required: ['paid', 'paidOnline'], properties: { paid: { type: 'boolean' }, paidOnline: { type: 'boolean' } }, additionalProperties: false },
    },
    additionalProperties: false,
  },
  responses: { 201: { description: 'The dossier, with its tracking secret.', schema: Dossier } },
  errors: [404, 409],
});

export const listDossiers = operation({
  operationId: 'listDossiers',
  method: 'get',
  path: '/dossiers',
  summary: "The agency's dossiers (staff), or one's own (citizens)",
  description: 'Without personal data.',
  tag: 'dossiers',
  roles: ['official', 'agency-admin', 'citizen'],
  query: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: STATUSES },
      procedureCode: Text(200),
      code: Text(200),
      limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    },
    additionalProperties: false,
  },
  responses: { 200: { description: 'Newest first.', schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: Dossier } } } } },
});

export const getDossier = operation({
  operationId: 'getDossier',
  method: 'get',
  path: '/dossiers/{id}',
  summary: 'One dossier',
  description: 'With the applicant for staff of the competent agency and the applicant (the read is logged: who, when, which dossier); without it for the other agencies of an inter-agency dossier.',
  tag: 'dossiers',
  roles: staffAndCitizen,
  params: idParams,
  responses: { 200: { description: 'The dossier.', schema: Dossier } },
  errors: [404],
});

export const getDossierHistory = operation({
  operationId: 'getDossierHistory',
  method: 'get',
  path: '/dossiers/{id}/history',
  summary: "A dossier's status history: who, when, why",
  tag: 'dossiers',
  roles: staffAndCitizen,
  params: idParams,
  responses: { 200: { description: 'Oldest first.', schema: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: HistoryEntry } } } } },
  errors: [404],
});

export const getDossierHandOffs = operation({
  operationId: 'getDossierHandOffs',
  method: 'get',
  path: '/dossiers/{id}/hand-offs',
  summary: 'Hand-offs between units and agencies, and the working time each used',
  description: 'Who handed the dossier to whom, when, its due date and whether it was met (mẫu 06); per holder, the working days used.',
  tag: 'dossiers',
  roles: ['official (own agency, or the dossier’s other agencies)', 'agency-admin (own agency, or the dossier’s other agencies)'],
  params: idParams,
  responses: {
    200: {
      description: 'The hand-offs and the shares.',
      schema: { type: 'object', required: ['handOffs', 'shares'], properties: { handOffs: { type: 'array', items: { type: 'object' } }, shares: { type: 'array', items: { type: 'object', description: 'holder, workingDays used, allowedWorkingDays (its share of the statutory time, from the due dates of its steps), handOffs, open' } } } },
    },
  },
  errors: [404],
});

export const getPersonalDataReads = operation({
  operationId: 'getPersonalDataReads',
  method: 'get',
  path: '/dossiers/{id}/personal-data-reads',
  summary: "Who read a dossier's personal data, when",
  tag: 'dossiers',
  roles: ['agency-admin (competent agency)'],
  params: idParams,
  responses: {
    200: {
      description: 'Oldest first.',
      schema: {
        type: 'object',
        required: ['items'],
        properties: { items: { type: 'array', items: { type: 'object', required: ['at', 'reader'], properties: { at: Timestamp, reader: { type: 'string' }, readerAgency: { type: 'string' }, purpose: { type: 'string' } } } } },
      },
    },
  },
  errors: [404],
});

const SupplementItem = { type: 'object', required: ['name', 'reason'], properties: { name: Text(300), reason: Text(1000) }, additionalProperties: false } as const;

export const operateDossier = operation({
  operationId: 'operateDossier',
  method: 'post',
  path: '/dossiers/{id}/operations',
  summary: 'An operation on a dossier, under its legal guards',
  description:
    '`accept` (an online dossier, within 8 working hours), `refuse` (reasons, mẫu 03), `request-supplement` (every item with its reason, once; the processing unit within 3 working days), `supplement`, `reject` (reasons), `apologize` (reason and one new appointment, at the latest 1 day before the due date), `stop` (no supplement within 15 days), `withdraw` (the applicant, until the result is issued). A refused operation answers 409 with the rule and its article. Staff of the competent agency; the applicant may `withdraw` and `supplement`.',
  tag: 'dossiers',
  roles: ['official (competent agency)', 'citizen (own dossiers: withdraw, supplement)'],
  idempotent: true,
  params: idParams,
  body: {
    type: 'object',
    required: ['type'],
    properties: {
      type: { type: 'string', enum: ['accept', 'refuse', 'request-supplement', 'supplement', 'reject', 'apologize', 'stop', 'withdraw'] },
      reasons: { type: 'array', minItems: 1, maxItems: 50, items: Text(1000) },
      items: { type: 'array', minItems: 1, maxItems: 100, items: SupplementItem },
      reason: Text(1000),
      newAppointmentAt: Timestamp,
    },
    additionalProperties: false,
    // The fields each type needs: a missing one is a 400 naming it (`body.items`), not a refusal by the dossier rules.
    allOf: [
      { if: { properties: { type: { enum: ['refuse', 'reject'] } } }, then: { properties: { reasons: true }, required: ['reasons'] } },
      { if: { properties: { type: { const: 'request-supplement' } } }, then: { properties: { items: true }, required: ['items'] } },
      { if: { properties: { type: { const: 'apologize' } } }, then: { properties: { reason: true, newAppointmentAt: true }, required: ['reason', 'newAppointmentAt'] } },
    ],
  },
  responses: { 200: { description: 'The dossier after the operation.', schema: Dossier } },
  errors: [404, 409],
});

export const trackDossier = operation({
  operationId: 'trackDossier',
  method: 'get',
  path: '/tracking/{code}',
  summary: 'Track a dossier by its code and secret',
  description:
    'Status, current step (agency and step name), appointment and status history; never personal data nor an official’s name. A wrong secret and an unknown code get the same 404 after the same work. Rate limited per client.',
  tag: 'dossiers',
  roles: ['anonymous'],
  params: codeParams,
  query: { type: 'object', required: ['secret'], properties: { secret: Text(200) }, additionalProperties: false },
  responses: {
    200: {
      description: 'Where the dossier is.',
      schema: named('DossierTracking', {
        type: 'object',
        required: ['code', 'status', 'history'],
        properties: {
          code: { type: 'string' },
          procedure: { type: 'object' },
          status: { type: 'string', enum: STATUSES },
          channel: { type: 'string' },
          submittedAt: Timestamp,
          receivedAt: Timestamp,
          appointmentAt: Timestamp,
          late: { type: 'boolean' },
          currentStep: { type: 'object', properties: { agency: { type: 'string' }, agencyName: { type: 'string', description: 'The agency’s proper name.' }, name: { type: 'string' } } },
          history: { type: 'array', items: { type: 'object', properties: { at: Timestamp, type: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } } } },
        },
      }),
    },
  },
  errors: [404, 429],
});

export const getDossierReceipt = operation({
  operationId: 'getDossierReceipt',
  method: 'get',
  path: '/dossiers/{id}/receipt.pdf',
  summary: 'The receipt and appointment (mẫu 01) of a received dossier, as PDF',
  description:
    'In Vietnamese, with a QR code to the public tracking page (`{MOTCUA_PUBLIC_URL}/tracking/{code}`). It names the applicant: staff of the competent agency and the applicant only, and the read is logged. ' +
    'The tracking secret is kept only as a hash: give `secret` (the one the receipt of the dossier answered) to print it and put it in the QR code (`…/tracking/{code}#{secret}`), as on the copy handed to the applicant; a secret that is not the dossier\'s is refused (400).',
  tag: 'dossiers',
  roles: ['official (competent agency)', 'agency-admin (competent agency)', 'citizen (own dossiers)'],
  params: idParams,
  query: { type: 'object', properties: { secret: Text(200) }, additionalProperties: false },
  responses: { 200: { description: 'The PDF.', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } } },
  errors: [400, 404, 409],
});

export const operations = [listProcedures, getProcedure, putProcedure, receiveDossier, listDossiers, getDossier, getDossierHistory, getDossierHandOffs, getPersonalDataReads, getDossierReceipt, operateDossier, trackDossier];
