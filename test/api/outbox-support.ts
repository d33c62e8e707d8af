/**
 * What the notice and portal suites share: a short dossier process and procedure of agency
 * A, staff users of A, the Vietnam clock helper, and the local servers the outboxes send to
 * (an SMTP server that keeps every mail, a stand-in national portal that records what it
 * receives and fails on demand).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import express from 'express';
import { SMTPServer } from 'smtp-server';
import { principalOf } from '../../api/src/auth/auth-service';
import type { Role } from '../../api/src/auth/principal';
import type { Config } from '../../api/src/config';
import type { Variables } from '../../engine/src/runtime/state';
import { dossierProcessXml, putDossierProcedure, residenceProcedureAs } from './dossier-process';
import { Client, type ApiHarness } from './harness';

export const AG_A = '000.02.00.H29';
export const PROCESS = 'outbox-e2e';

/** submitted → receive (received) → examine (processing) → returnResult (result-ready) → returned. */
export const XML = dossierProcessXml({ processId: PROCESS, agency: AG_A, name: 'outbox' });

/** The library's permanent-residence procedure, made the procedure of agency A running PROCESS. */
export function procedureDocument(): Record<string, any> {
  return residenceProcedureAs({ code: 'outbox-procedure', processId: PROCESS, agencies: [{ id: AG_A, name: 'Công an xã A', nameEn: 'A' }] });
}

/** A date at hh:mm in Vietnam (UTC+7). */
export const vn = (date: string, time = '09:00'): number => Date.parse(`${date}T${time}:00+07:00`);

export const DOCUMENTS = [{ code: 'DKTT.TOKHAI', name: 'Tờ khai CT01', form: 'original', copies: 1 }];

/** Creates the desk official and the admin of A (names suffixed for the database), deploys the process and puts the procedure. */
export async function setUpAgencyA(api: ApiHarness, suffix: string): Promise<Record<'desk' | 'admin' | 'outsider', Client>> {
  const make = async (name: string, roles: Role[], agency: string, groups: string[]) => {
    const record = await api.auth.users.create({ username: `${name}-${suffix}`, roles, agency, groups, passwordHash: 'scrypt$unused' });
    const { token } = await api.auth.issueToken(principalOf(record));
    return new Client(() => api.url, () => token);
  };
  const clients = {
    desk: await make('desk', ['official'], AG_A, ['desk']),
    admin: await make('admin', ['agency-admin'], AG_A, []),
    outsider: await make('outsider', ['agency-admin'], '000.09.00.H29', []),
  };
  await putDossierProcedure(api, clients.admin, XML, AG_A, procedureDocument());
  return clients;
}

/** Completes the open task at `elementId` through the engine, as `actor`, with `variables` if any. */
export async function complete(api: ApiHarness, instanceId: string, elementId: string, actor = 'desk', variables?: Variables): Promise<void> {
  const task = (await api.openTasks(instanceId)).find((t) => t.elementId === elementId);
  if (!task) throw new Error(`no open task ${elementId}`);
  await api.engine.completeTask(task.id, { actor, ...(variables ? { variables } : {}) });
}

// ------------------------------------------------------------------ a local SMTP server

export interface ReceivedMail {
  to: string[];
  messageId: string;
  subject: string;
  text: string;
  headers: Record<string, string>;
  /** The attached files (multipart mails), decoded. */
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
}

/** RFC 2047 encoded words (B and Q), as a mail client decodes a header. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'),
    );
}

/** A body's bytes (the raw mail is read as latin1, one char per byte). */
function bodyBytes(body: string, encoding: string | undefined): Buffer {
  if (/base64/i.test(encoding ?? '')) return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (/quoted-printable/i.test(encoding ?? '')) return Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
  return Buffer.from(body, 'latin1');
}

function splitHeaders(raw: string): { headers: Record<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const headers: Record<string, string> = {};
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const at = line.indexOf(':');
    headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim();
  }
  return { headers, body: raw.slice(split + 4) };
}

/** The leaf parts of a MIME entity (multipart/* split on its boundary, recursively). */
function leafParts(raw: string): Array<{ headers: Record<string, string>; body: string }> {
  const part = splitHeaders(raw);
  const boundary = /multipart\/[a-z]+;.*boundary="?([^";]+)"?/i.exec(part.headers['content-type'] ?? '')?.[1];
  if (!boundary) return [part];
  const pieces = part.body.split(`--${boundary}`).slice(1);
  return pieces.filter((p) => !p.startsWith('--')).flatMap((p) => leafParts(p.replace(/^\r\n/, '').replace(/\r\n$/, '')));
}

/** Parses a notice mail as nodemailer writes it: the text part, and the attachments of a multipart one. */
export function parseMail(raw: string, to: string[]): ReceivedMail {
  const { headers } = splitHeaders(raw);
  const parts = leafParts(raw);
  const textPart = parts.find((p) => /^text\/plain/i.test(p.headers['content-type'] ?? 'text/plain') && !/attachment/i.test(p.headers['content-disposition'] ?? ''));
  const attachments = parts
    .filter((p) => /attachment/i.test(p.headers['content-disposition'] ?? ''))
    .map((p) => ({
      filename: /filename="?([^";]+)"?/i.exec(p.headers['content-disposition'])?.[1] ?? '',
      contentType: (p.headers['content-type'] ?? '').split(';')[0].trim(),
      content: bodyBytes(p.body, p.headers['content-transfer-encoding']),
    }));
  const text = textPart ? bodyBytes(textPart.body, textPart.headers['content-transfer-encoding']).toString('utf8') : '';
  return { to, headers, messageId: headers['message-id'], subject: decodeWords(headers.subject ?? ''), text, attachments };
}

/** The text of a PDF as pdftotext reads it, whitespace runs folded (needs poppler-utils, as the document tests). */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-pdf-'));
  try {
    const file = join(dir, 'form.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A local SMTP server for the suite (started in beforeAll, closed in afterAll), its address
 * written into `config` (give the same object to useApi): the server and its mails once started.
 */
export function useSmtpServer(config: Partial<Config>): { readonly mails: ReceivedMail[] } {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>> | undefined;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    config.smtpUrl = `smtp://127.0.0.1:${smtp.port}`;
  });
  afterAll(() => smtp?.close());
  return {
    get mails() {
      return smtp!.mails;
    },
  };
}

/** The one form a notice mail carries (mẫu `form`), as pdftotext reads it: named `mau-<form>-<code>.pdf`, a PDF, naming the dossier's code. */
export function noticeFormText(mail: ReceivedMail, form: string, code: string): string {
  expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`mau-${form}-${code}.pdf`, 'application/pdf']]);
  const [pdf] = mail.attachments;
  expect(pdf.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const text = pdfText(pdf.content);
  expect(text).toContain(code);
  return text;
}

/** An SMTP server on 127.0.0.1 (no TLS, no auth) that keeps every mail it accepts. */
export async function startSmtpServer(): Promise<{ port: number; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push(parseMail(Buffer.concat(chunks).toString('latin1'), session.envelope.rcptTo.map((r) => r.address)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

// ------------------------------------------------------------------ a stand-in national portal

export interface PortalRequest {
  authorization?: string;
  messageId?: string;
  /** The session token the request carried (a portal that requires one). */
  token?: string;
  body: Record<string, any>;
}

/** A portal that requires session tokens from its token endpoint, `{url}/token`. */
export interface StandInSession {
  username: string;
  password: string;
  /** How it takes the token request (default client-credentials: form grant_type, the account in HTTP Basic). */
  request?: 'client-credentials' | 'json';
  /** Where the answer carries the token (default `access_token`; a dotted path nests it). */
  field?: string;
  /** The header the token must come in (default authorization, as `Bearer <token>`). */
  header?: string;
  /** `expires_in` of the answer, s (absent: not said). */
  expiresIn?: number;
}

export interface StandInPortal {
  url: string;
  received: PortalRequest[];
  refused: number;
  failing: boolean;
  /** Token requests answered (issued or refused). */
  tokenRequests: number;
  /** Dossier requests refused with 401 (no token, an unknown or expired one). */
  unauthorized: number;
  /** Every token issued becomes invalid (the portal ended the sessions). */
  expireTokens(): void;
  /** While true, every token issued is refused at once (a portal that never accepts one). */
  refuseTokens: boolean;
  close(): Promise<void>;
}

/**
 * Records every POST /dossiers it accepts; answers 503 while `failing` is true (those are counted,
 * not recorded). With `session`, it also requires a token obtained at POST /token with that account,
 * in that header, and answers 401 without a valid one; its refusals echo what they were sent (the
 * password, the token), as a careless gateway does, so that a client that shows them is caught.
 */
export async function startStandInPortal(options: { session?: StandInSession } = {}): Promise<StandInPortal> {
  const app = express();
  const session = options.session;
  const valid = new Set<string>();
  let serial = 0;
  const state: StandInPortal = {
    url: '',
    received: [],
    refused: 0,
    failing: false,
    tokenRequests: 0,
    unauthorized: 0,
    refuseTokens: false,
    expireTokens: () => valid.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  app.post('/sync/token', express.urlencoded({ extended: false }), express.json(), (req, res) => {
    state.tokenRequests++;
    if (!session) {
      res.status(404).end();
      return;
    }
    let username: string | undefined;
    let password: string | undefined;
    if ((session.request ?? 'client-credentials') === 'client-credentials') {
      const basic = /^Basic (.+)$/.exec(req.get('authorization') ?? '')?.[1];
      const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
      if (req.is('application/x-www-form-urlencoded') && req.body.grant_type === 'client_credentials' && id !== undefined && secret !== undefined) {
        [username, password] = [decodeURIComponent(id), decodeURIComponent(secret)];
      }
    } else if (req.is('application/json')) {
      [username, password] = [req.body.username, req.body.password];
    }
    if (username !== session.username || password !== session.password) {
      res.status(401).json({ error: 'invalid_client', detail: `no account ${username} with password ${password}` });
      return;
    }
    const token = `session-${++serial}-${randomBytes(6).toString('hex')}`;
    if (!state.refuseTokens) valid.add(token);
    const path = (session.field ?? 'access_token').split('.');
    const answer: Record<string, any> = {};
    let at = answer;
    for (const part of path.slice(0, -1)) at = at[part] = {};
    at[path[path.length - 1]] = token;
    if (session.expiresIn !== undefined) answer.expires_in = session.expiresIn;
    res.status(200).json({ ...answer, token_type: 'Bearer' });
  });
  app.post('/sync/dossiers', express.json(), (req, res) => {
    let token: string | undefined;
    if (session) {
      const header = (session.header ?? 'authorization').toLowerCase();
      const value = req.get(header);
      token = header === 'authorization' ? /^Bearer (.+)$/.exec(value ?? '')?.[1] : value;
      if (token === undefined || !valid.has(token)) {
        state.unauthorized++;
        res.status(401).json({ error: 'unauthorized', detail: `session ${token ?? '(none)'} is not valid` });
        return;
      }
    }
    if (state.failing) {
      state.refused++;
      res.status(503).send('bảo trì');
      return;
    }
    state.received.push({ authorization: req.get('authorization'), messageId: req.get('x-motcua-message-id'), ...(token ? { token } : {}), body: req.body });
    res.status(200).json({ ok: true });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sync`;
  return state;
}
