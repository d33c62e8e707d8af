/**
 * The national portal's session tokens, against the local stand-in portal made to require them:
 * the settings (what goes together, what is refused, the password never shown); the transport
 * asking the token endpoint once for concurrent senders, sending the token in the configured
 * header, renewing it before it expires; and through the portal outbox on both databases: a token
 * ended by the portal (401) renewed once and the request delivered, a portal that refuses every
 * token tried once more only (never a loop), a wrong password failing the row, and neither the
 * password nor a token ever in an error, a warning or a log line.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig, type Config } from '../../api/src/config';
import { openOutboxes } from '../../api/src/dossier-layer';
import type { OutboxRow } from '../../onestop/src/outbox/outbox-store';
import { sessionPortalAuth } from '../../onestop/src/portal/portal-session';
import { bundledStatusMapping, httpPortalTransport } from '../../onestop/src/portal/portal-sync';
import { testDatabases } from '../support/databases';
import { useApi, type ApiHarness, type Client } from './harness';
import { DOCUMENTS, setUpAgencyA, startStandInPortal, vn, type StandInPortal } from './outbox-support';

const PASSWORD = 'Mk-9f#2q!portal';
const ACCOUNT = 'motcua-h29';

describe('portal session settings', () => {
  const base = { MOTCUA_PORTAL_URL: 'https://dvc.example/sync' };

  it('should read the token endpoint, the account and the defaults of the rest', () => {
    const config = loadConfig({ ...base, MOTCUA_PORTAL_TOKEN_URL: 'https://lgsp.example/token', MOTCUA_PORTAL_USERNAME: ACCOUNT, MOTCUA_PORTAL_PASSWORD: PASSWORD });
    expect(config).toMatchObject({
      portalTokenUrl: 'https://lgsp.example/token',
      portalUsername: ACCOUNT,
      portalPassword: PASSWORD,
      portalTokenRequest: 'client-credentials',
      portalTokenField: 'access_token',
      portalTokenHeader: 'Authorization',
      portalTokenTtlSeconds: 300,
    });
    const json = loadConfig({ ...base, MOTCUA_PORTAL_TOKEN_URL: 'https://lgsp.example/login', MOTCUA_PORTAL_USERNAME: ACCOUNT, MOTCUA_PORTAL_PASSWORD: PASSWORD, MOTCUA_PORTAL_TOKEN_REQUEST: 'json', MOTCUA_PORTAL_TOKEN_FIELD: 'data.session', MOTCUA_PORTAL_TOKEN_HEADER: 'X-Session', MOTCUA_PORTAL_TOKEN_TTL_SECONDS: '1800' });
    expect(json).toMatchObject({ portalTokenRequest: 'json', portalTokenField: 'data.session', portalTokenHeader: 'X-Session', portalTokenTtlSeconds: 1800 });
  });

  it('should refuse settings that do not go together, naming every variable and never the password', () => {
    const messageOf = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig({ ...base, ...env });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    };
    // a token URL without its account, with a fixed token too, and wrong values of the others
    const wrong = messageOf({ MOTCUA_PORTAL_TOKEN_URL: 'https://lgsp.example/token', MOTCUA_PORTAL_PASSWORD: PASSWORD, MOTCUA_PORTAL_TOKEN: 'fixed', MOTCUA_PORTAL_TOKEN_REQUEST: 'saml', MOTCUA_PORTAL_TOKEN_HEADER: 'X Session', MOTCUA_PORTAL_TOKEN_FIELD: 'data..x', MOTCUA_PORTAL_TOKEN_TTL_SECONDS: '0' });
    expect(wrong).toMatch(/^configuration: 6 settings are wrong:/);
    for (const part of ['MOTCUA_PORTAL_TOKEN_URL needs MOTCUA_PORTAL_USERNAME', 'MOTCUA_PORTAL_TOKEN and MOTCUA_PORTAL_TOKEN_URL are both set', "MOTCUA_PORTAL_TOKEN_REQUEST must be one of client-credentials, json (got 'saml')", 'MOTCUA_PORTAL_TOKEN_HEADER must be an HTTP header name', 'MOTCUA_PORTAL_TOKEN_FIELD must be a field name', 'MOTCUA_PORTAL_TOKEN_TTL_SECONDS must be an integer ≥ 1']) {
      expect(wrong).toContain(part);
    }
    // an account without the token endpoint it is for; a token URL that is no http(s) URL
    expect(messageOf({ MOTCUA_PORTAL_USERNAME: ACCOUNT, MOTCUA_PORTAL_PASSWORD: PASSWORD })).toBe('configuration: MOTCUA_PORTAL_USERNAME and MOTCUA_PORTAL_PASSWORD are set without MOTCUA_PORTAL_TOKEN_URL (the token endpoint they are for)');
    expect(messageOf({ MOTCUA_PORTAL_TOKEN_URL: 'ftp://lgsp.example/token', MOTCUA_PORTAL_USERNAME: ACCOUNT, MOTCUA_PORTAL_PASSWORD: PASSWORD })).toContain("MOTCUA_PORTAL_TOKEN_URL must be a https URL (got 'ftp:')");
    for (const message of [wrong, messageOf({ MOTCUA_PORTAL_USERNAME: ACCOUNT, MOTCUA_PORTAL_PASSWORD: PASSWORD })]) expect(message).not.toContain(PASSWORD);
  });
});

/** An outbox row of a dossier event, as the portal outbox holds it. */
function rowOf(n: number): OutboxRow {
  const at = vn('2026-11-23');
  return {
    id: String(n),
    channel: 'portal',
    dossierId: `d${n}`,
    agency: '000.02.00.H29',
    kind: 'dossierReceived',
    createdAt: at,
    attempts: 1,
    nextAt: at,
    payload: {
      record: { code: `H29.02-261123-000${n}`, procedureCode: 'P1', agency: '000.02.00.H29', channel: 'desk', status: 'received', submittedAt: at, receivedAt: at, appointmentAt: at, finishedAt: null, returnedAt: null, holder: 'desk', late: false, paidOnline: false },
      step: { type: 'dossierReceived', at, from: 'submitted', to: 'received', note: null },
    },
  };
}

describe('the portal transport with session tokens from a JSON login, in a header of the portal’s own', () => {
  let portal: StandInPortal;
  let clock = vn('2026-11-23');
  beforeAll(async () => {
    portal = await startStandInPortal({ session: { username: ACCOUNT, password: PASSWORD, request: 'json', field: 'data.session', header: 'X-Session-Token' } });
  });
  afterAll(() => portal?.close());
  const transport = () =>
    httpPortalTransport({
      url: portal.url,
      auth: sessionPortalAuth({ tokenUrl: `${portal.url}/token`, username: ACCOUNT, password: PASSWORD, request: 'json', tokenField: 'data.session', header: 'X-Session-Token', defaultTtlMs: 300_000, now: () => clock }),
      mapping: async () => bundledStatusMapping(),
    });

  it('should ask for one token for concurrent sends, send it in the header on each request, and renew it before it expires', async () => {
    // given a transport without a token yet
    const send = transport();

    // when three rows are sent at once
    await Promise.all([1, 2, 3].map((n) => send(rowOf(n))));

    // then one token was asked for, and all six requests carried it in the portal's header
    expect(portal.tokenRequests).toBe(1);
    expect(portal.received).toHaveLength(6);
    const [token] = new Set(portal.received.map((r) => r.token));
    expect(token).toMatch(/^session-1-/);
    expect(portal.received.every((r) => r.token === token && r.authorization === undefined)).toBe(true);

    // when the token's lifetime (300 s, renewed within the last 30 s) is nearly over: a new one before the request, no 401
    clock += 269_000;
    await send(rowOf(4));
    expect(portal.tokenRequests).toBe(1);
    clock += 2_000;
    await send(rowOf(5));
    expect([portal.tokenRequests, portal.unauthorized]).toEqual([2, 0]);
    expect(portal.received.slice(-2).map((r) => r.token)).toEqual([expect.stringMatching(/^session-2-/), expect.stringMatching(/^session-2-/)]);
  });
});

describe.each(testDatabases())('portal session tokens through the portal outbox on $name', (target) => {
  let clock = vn('2026-11-23');
  let portal: StandInPortal;
  const env: NodeJS.ProcessEnv = { MOTCUA_OUTBOX_POLL_MS: '0', MOTCUA_PORTAL_USERNAME: ACCOUNT, MOTCUA_PORTAL_PASSWORD: PASSWORD };
  const logLines: string[] = [];
  beforeAll(async () => {
    // a gateway taking OAuth client credentials, its tokens good for 10 minutes
    portal = await startStandInPortal({ session: { username: ACCOUNT, password: PASSWORD, expiresIn: 600 } });
    env.MOTCUA_PORTAL_URL = portal.url;
    env.MOTCUA_PORTAL_TOKEN_URL = `${portal.url}/token`;
  });
  afterAll(() => portal?.close());
  const memory = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  const api: ApiHarness = useApi(target, { now: () => clock, env, logger: pino({ level: 'trace' }, memory) });
  let as: Record<'desk' | 'admin' | 'outsider', Client>;
  const warnings: string[] = [];
  /** The last errors the outbox recorded (a delivery clears them, so they are kept as seen). */
  const errorsSeen: string[] = [];
  const settings = (): Config => loadConfig(env);
  const sender = (overrides: Partial<Config> = {}) => openOutboxes({ store: api.store, now: () => clock, settings: { ...settings(), ...overrides }, warn: (message, facts) => warnings.push(`${message} ${JSON.stringify(facts)}`) });

  beforeAll(async () => {
    as = await setUpAgencyA(api, `session-${target.name}`);
  });

  async function receive(): Promise<any> {
    const res = await as.desk.post('/api/dossiers', { procedureCode: 'outbox-procedure', channel: 'desk', applicant: { name: 'Lê Thị Hoa', kind: 'citizen', idNumber: '001190088888' }, documents: DOCUMENTS, fee: { paid: true, paidOnline: false } });
    expect(res.status).toBe(201);
    return res.body;
  }
  const resend = (id: string) => as.admin.post(`/api/portal/dossiers/${id}/resend`);
  const receivedFor = (code: string) => portal.received.filter((r) => r.body.data?.[0]?.MaHoSo === code);
  const listed = async (id: string) => ((await as.desk.get('/api/portal/unsynchronised')).body.items as Array<Record<string, any>>).find((u) => u.dossierId === id);
  /** Every token the portal saw. */
  const tokens = () => [...new Set(portal.received.map((r) => r.token!))];

  it('should obtain a session token, send it as a bearer token on every request, and renew it once it expires', async () => {
    // given a dossier received at the desk (two events: submitted, received)
    const dossier = await receive();

    // when its events are sent
    expect((await resend(dossier.id)).body).toMatchObject({ sent: 2, failed: 0 });

    // then one token was asked for with the account, and both events' four requests carried it
    const before = portal.tokenRequests;
    expect(before).toBe(1);
    const got = receivedFor(dossier.code);
    expect(got).toHaveLength(4);
    expect(got.every((r) => r.token && r.authorization === `Bearer ${r.token}`)).toBe(true);
    expect(new Set(got.map((r) => r.token)).size).toBe(1);

    // when the token's 10 minutes are over: a new one is asked for before sending, no request refused
    clock += 600_000;
    const later = await receive();
    expect((await resend(later.id)).body).toMatchObject({ sent: 2, failed: 0 });
    expect([portal.tokenRequests, portal.unauthorized]).toEqual([2, 0]);
    expect(new Set(receivedFor(later.code).map((r) => r.token)).size).toBe(1);
    expect(receivedFor(later.code)[0].token).not.toBe(got[0].token);
  });

  it('should renew the token once when the portal ends the session (401) and deliver the request', async () => {
    // given a token in use, and the portal ending every session
    const dossier = await receive();
    const { tokenRequests, unauthorized } = portal;
    portal.expireTokens();

    // when the dossier's events are sent
    expect((await resend(dossier.id)).body).toMatchObject({ sent: 2, failed: 0 });

    // then the first request was refused once, a fresh token asked for once, and everything delivered with it
    expect([portal.tokenRequests - tokenRequests, portal.unauthorized - unauthorized]).toEqual([1, 1]);
    expect(receivedFor(dossier.code)).toHaveLength(4);
    expect(new Set(receivedFor(dossier.code).map((r) => r.token)).size).toBe(1);
    expect(await listed(dossier.id)).toBeUndefined();
  });

  it('should try once more only, never in a loop, when the portal refuses every token, and show no token in the error', async () => {
    // given a portal that refuses every token it issues
    const dossier = await receive();
    portal.expireTokens();
    portal.refuseTokens = true;
    const { tokenRequests, unauthorized, received } = { ...portal, received: portal.received.length };

    // when the dossier's events are sent
    expect((await resend(dossier.id)).body).toMatchObject({ sent: 0, failed: 1 });

    // then two requests (the first, and one with a fresh token), one token request, and the row failed
    expect([portal.unauthorized - unauthorized, portal.tokenRequests - tokenRequests, portal.received.length - received]).toEqual([2, 1, 0]);
    const failed = await listed(dossier.id);
    errorsSeen.push(failed?.lastError);
    expect(failed).toMatchObject({ attempts: 1, pending: 2 });
    expect(failed!.lastError).toMatch(/^the portal answered 401 at http:\/\/127\.0\.0\.1:\d+\/sync\/dossiers: .*session \*\*\* is not valid/);
    // and when the sender tries again after the back-off, the same: one more try, its warning without a token
    clock += 5_000;
    const again = sender();
    expect(await again.portal.drain()).toEqual({ sent: 0, failed: 1 });
    expect([portal.unauthorized - unauthorized, portal.tokenRequests - tokenRequests]).toEqual([4, 3]);
    expect(warnings.at(-1)).toMatch(/an outbox portal message was not sent .*session \*\*\* is not valid/);

    // when the portal accepts tokens again: the re-send delivers
    portal.refuseTokens = false;
    expect((await resend(dossier.id)).body).toMatchObject({ sent: 2, failed: 0 });
    expect(receivedFor(dossier.code)).toHaveLength(4);
  });

  it('should fail the row on a wrong password with an error naming the token endpoint, never the password', async () => {
    // given a sender whose password is wrong (the portal's refusal echoes what it was sent)
    const dossier = await receive();
    const wrong = sender({ portalPassword: `${PASSWORD}-old` });

    // when it sends
    expect(await wrong.portal.drain()).toMatchObject({ failed: 1 });

    // then the error names the endpoint and its answer, the password replaced
    const failed = await listed(dossier.id);
    errorsSeen.push(failed?.lastError);
    expect(failed!.lastError).toMatch(/^the portal's token endpoint answered 401 at http:\/\/127\.0\.0\.1:\d+\/sync\/token: .*with password \*\*\*/);
    expect(failed!.lastError).not.toContain(PASSWORD);
    expect(warnings.at(-1)).toContain("the portal's token endpoint answered 401");

    // and the right account delivers on re-send
    expect((await resend(dossier.id)).body).toMatchObject({ sent: 2, failed: 0 });
  });

  it('should never write the password nor a token in an error, a warning or a log line', async () => {
    const secrets = [PASSWORD, ...tokens()];
    expect(tokens().length).toBeGreaterThan(2);
    const errors = errorsSeen;
    expect(errors.length).toBe(2);
    expect(logLines.length).toBeGreaterThan(0);
    for (const text of [...errors, ...warnings, ...logLines]) for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
