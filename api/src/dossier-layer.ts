/**
 * The dossier layer of one process, for the composition roots (app.ts, the API test harness,
 * `motcua calendar`): the DossierService over the engine and the dossier store, its step
 * listener registered on the engine so that a dossier moves with its process in the same
 * transaction, and its legal clock lent to the calendar service (a calendar change moves a
 * dossier's open steps on that clock, never its appointment).
 */
import { calendarTimeRules, type Engine, type EngineStore } from '../../engine/src/index';
import { AuditTrail } from '../../onestop/src/audit/audit-trail';
import { bundledDossierRules } from '../../onestop/src/dossiers/dossier-rules';
import { DossierService } from '../../onestop/src/dossiers/dossier-service';
import { createSequelizeAuditStore } from '../../onestop/src/store-sequelize/sequelize-audit-store';
import { dossierClockOf } from '../../onestop/src/dossiers/dossier-clock';
import { statisticsSink, StatisticsService } from '../../onestop/src/statistics/statistics-service';
import { createSequelizeDossierStore } from '../../onestop/src/store-sequelize/sequelize-dossier-store';
import { createSequelizeStatisticsStore } from '../../onestop/src/store-sequelize/sequelize-statistics-store';
import type { CalendarService } from './calendars/calendar-service';
import { createTransport } from 'nodemailer';
import { Outboxes } from '../../onestop/src/outbox/outboxes';
import { mailNoticeTransport } from '../../onestop/src/notices/notice-transport';
import { noticeAttachments } from '../../onestop/src/notices/notice-attachments';
import { fixedPortalAuth, sessionPortalAuth, type PortalAuth } from '../../onestop/src/portal/portal-session';
import { httpPortalTransport } from '../../onestop/src/portal/portal-sync';
import { createSequelizeOutboxStore } from '../../onestop/src/store-sequelize/sequelize-outbox-store';
import type { Config } from './config';
import type { Database } from '../../engine/src/store-sequelize/connect';
import type { UserStore } from './store/user-store';

/** The settings of the outboxes (config.ts). */
export type OutboxSettings = Partial<
  Pick<
    Config,
    | 'smtpUrl'
    | 'smtpFrom'
    | 'portalUrl'
    | 'portalToken'
    | 'portalTokenUrl'
    | 'portalUsername'
    | 'portalPassword'
    | 'portalTokenRequest'
    | 'portalTokenField'
    | 'portalTokenHeader'
    | 'portalTokenTtlSeconds'
    | 'outboxPollMs'
    | 'publicUrl'
    | 'port'
  >
>;

/** Where the forms find officials' display names: the users' directory (absent: the forms show user ids). */
export type OfficialNames = Pick<UserStore, 'byId'>;

/** The notice and portal outboxes over the engine store's transactions, with the SMTP and portal transports the settings name. */
export function openOutboxes(deps: { store: EngineStore; now: () => number; settings?: OutboxSettings; users?: OfficialNames; warn?: (message: string, facts: Record<string, unknown>) => void; sender?: ConstructorParameters<typeof Outboxes>[0]['sender'] }): Outboxes {
  const s = deps.settings ?? {};
  const from = s.smtpFrom ?? 'Bộ phận Một cửa <motcua@localhost>';
  const smtp = s.smtpUrl ? createTransport(s.smtpUrl) : undefined;
  return new Outboxes({
    outbox: createSequelizeOutboxStore(),
    transaction: (work) => deps.store.transaction((tx) => work(tx.sql)),
    now: deps.now,
    ...(smtp ? { noticeTransport: mailNoticeTransport({ from, sendMail: (mail) => smtp.sendMail(mail), attachments: noticeAttachmentsOf(deps.store, s, deps.users) }) } : {}),
    ...(s.portalUrl ? { portalTransport: (mapping) => httpPortalTransport({ url: s.portalUrl!, auth: portalAuthOf(s, deps.now), mapping }) } : {}),
    ...(deps.sender ? { sender: deps.sender } : {}),
    ...(deps.warn ? { warn: deps.warn } : {}),
  });
}

/** How the portal requests are authenticated: session tokens from the token endpoint when one is set, else the fixed token (if any). */
function portalAuthOf(s: OutboxSettings, now: () => number): PortalAuth {
  if (!s.portalTokenUrl) return fixedPortalAuth(s.portalToken);
  return sessionPortalAuth({
    tokenUrl: s.portalTokenUrl,
    username: s.portalUsername ?? '',
    password: s.portalPassword ?? '',
    request: s.portalTokenRequest ?? 'client-credentials',
    tokenField: s.portalTokenField ?? 'access_token',
    header: s.portalTokenHeader ?? 'Authorization',
    defaultTtlMs: (s.portalTokenTtlSeconds ?? 300) * 1000,
    now,
  });
}

/** The forms the notice mails carry, read from the dossier store, their QR codes to `{publicUrl}/tracking/<code>`. */
function noticeAttachmentsOf(store: EngineStore, s: OutboxSettings, users: OfficialNames | undefined) {
  const base = (s.publicUrl ?? `http://localhost:${s.port ?? 3000}`).replace(/\/+$/, '');
  return noticeAttachments({
    dossiers: createSequelizeDossierStore(),
    read: (work) => store.transaction((tx) => work(tx.sql)),
    trackingUrl: (code) => `${base}/tracking/${encodeURIComponent(code)}`,
    ...(users ? { names: (ids: string[]) => officialNames(users, ids) } : {}),
  });
}

/** The display names (else usernames) of the officials among `ids`; ids of no user (the system, a deleted user) are left out. */
export async function officialNames(users: OfficialNames, ids: readonly string[]): Promise<ReadonlyMap<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(ids)) {
    const user = await users.byId(id).catch(() => undefined);
    if (user) names.set(id, user.name ?? user.username);
  }
  return names;
}

/** Builds the dossier service and registers its step listener; `close()` undoes both. */
export function openDossierLayer(deps: {
  engine: Engine;
  store: EngineStore;
  /** The database under `store`: citizen tracking reads it in one statement outside any transaction. */
  db: Database;
  calendars?: CalendarService;
  now: () => number;
  warn?: (message: string, facts: Record<string, unknown>) => void;
  /** How often the deadline warnings are scanned for (MOTCUA_OVERDUE_SCAN_MS; 0 or absent: only `scanDeadlines()`). */
  scanMs?: number;
  /** The notice and portal outboxes' settings (absent: both queue and nothing is sent). */
  outboxes?: OutboxSettings;
  /** How often the audit trail's new heads are sealed (MOTCUA_AUDIT_SEAL_MS; 0 or absent: only `audit.seal()`). */
  sealMs?: number;
  /** Whether the audit trail is kept (default true; false only for the bench's breakdown). */
  audit?: boolean;
  /** The users' directory the notices' forms take officials' names from (absent: user ids). */
  users?: OfficialNames;
}): DossierService & { outboxes: Outboxes; closeLayer(): void; audit: AuditTrail; statistics: StatisticsService } {
  const service = new DossierService({
    engine: deps.engine,
    store: deps.store,
    dossiers: createSequelizeDossierStore(deps.db),
    rules: bundledDossierRules(),
    calendars: deps.calendars?.registry.provider ?? (() => calendarTimeRules()),
    now: deps.now,
    ...(deps.warn ? { warn: deps.warn } : {}),
  });
  const outboxes = openOutboxes({ store: deps.store, now: deps.now, ...(deps.outboxes ? { settings: deps.outboxes } : {}), ...(deps.users ? { users: deps.users } : {}), ...(deps.warn ? { warn: deps.warn } : {}) });
  for (const sink of outboxes.sinks) service.addSink(sink);
  outboxes.start(deps.outboxes?.outboxPollMs ?? 0);
  const calendars = deps.calendars?.registry.provider ?? (() => calendarTimeRules());
  const statisticsStore = createSequelizeStatisticsStore();
  service.addSink(statisticsSink({ statistics: statisticsStore, clockOf: (agency, at) => dossierClockOf(calendars(agency, at).calendar) }));
  const statistics = new StatisticsService({ store: deps.store, statistics: statisticsStore });
  const unregister = deps.engine.addStepListener(service.stepListener());
  // A calendar change counts a dossier's open steps on its legal clock, within its appointment (which stays).
  const unregisterSteps = deps.calendars?.useStepRule((tx, instance, tasks) => service.stepDueDatesOnCalendar(tx, instance, tasks)) ?? (() => undefined);
  // The audit trail: dossier events through the sink, task events of a dossier's instance through
  // a listener registered after the dossier layer's (so a receipt's dossier is attached when it runs).
  const audit = new AuditTrail({ store: createSequelizeAuditStore(), transaction: (work) => deps.store.transaction(work), now: deps.now });
  const keep = deps.audit !== false;
  const removeSink = keep ? service.addSink(audit.sink()) : () => undefined;
  const unregisterAudit = keep ? deps.engine.addStepListener(audit.stepListener()) : () => undefined;
  const sealer = keep && deps.sealMs ? setInterval(() => audit.seal().catch((error: Error) => deps.warn?.('sealing the audit trail failed', { error: error.message })), deps.sealMs) : undefined;
  sealer?.unref();
  const timer = deps.scanMs ? setInterval(() => service.scanDeadlines().catch((error: Error) => deps.warn?.('the deadline warning scan failed', { error: error.message })), deps.scanMs) : undefined;
  timer?.unref();
  return Object.assign(service, {
    outboxes,
    audit,
    statistics,
    closeLayer() {
      void outboxes.stop();
      if (timer) clearInterval(timer);
      if (sealer) clearInterval(sealer);
      unregisterAudit();
      removeSink();
      unregisterSteps();
      unregister();
      service.close();
    },
  });
}
