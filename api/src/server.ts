/**
 * The HTTP server: express with helmet, body parsers with size limits, a request
 * id, request logging (pino), the REST routes under `/api`, Prometheus metrics at
 * `/metrics`, a 404 problem for anything else, and the one error middleware.
 *
 * @example
 *   const { url, close } = await startApiServer(ctx, { port: 3000, authService });
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import pino, { type Logger } from 'pino';
import { createSequelizeApiStore } from './store-sequelize/sequelize-api-store';
import { TaskAssignments, type TaskStore } from '../../engine/src/index';
import { taskAssignmentTrail } from '../../onestop/src/audit/task-assignment-trail';
import { createSequelizeDossierStore } from '../../onestop/src/store-sequelize/sequelize-dossier-store';
import { createSequelizeTaskStore } from '../../engine/src/store-sequelize/sequelize-task-store';
import { createSequelizeUserStore } from './store-sequelize/sequelize-user-store';
import type { ApiStore } from './store/api-store';
import type { UserStore } from './store/user-store';
import type { AuthService } from './auth/auth-service';
import { authenticate, createRateLimit } from './auth/middleware';
import type { AppContext } from './context';
import { Idempotency } from './idempotency';
import { malformedRowReporter } from './malformed-rows';
import { createMetrics, type ApiMetrics } from './metrics';
import { buildOpenApiDocument } from './openapi';
import { notFoundHandler, problemMiddleware } from './problem';
import { attachPush, type PushOptions, type PushServer } from './push';
import { Readiness } from './readiness';
import { answerClientErrors, checkPath, parseQueryString } from './request-syntax';
import { createAnalysisRoutes } from './routes/analysis';
import { createSimulationRoutes } from './routes/simulation';
import { createAuthRouter, type AuthRouterOptions } from './routes/auth';
import { createDefinitionRoutes } from './routes/definitions';
import { createDeploymentRoutes } from './routes/deployments';
import { createDossierRoutes } from './routes/dossiers';
import { createStatisticsRoutes } from './routes/statistics';
import { createDraftRoutes } from './routes/drafts';
import { createHealthRoutes } from './routes/health';
import { createIncidentRoutes } from './routes/incidents';
import { createCalendarRoutes } from './routes/calendars';
import { createPortalRoutes } from './routes/portal';
import { createInstanceRoutes } from './routes/instances';
import { createJobRoutes } from './routes/jobs';
import { createOAuthRouter } from './routes/oauth';
import { createServiceAccountRoutes } from './routes/service-accounts';
import { createV2JobRouter } from './routes/v2-jobs';
import { createV2Router } from './routes/v2/index';
import { createMessageRoutes } from './routes/messages';
import { createMiningRoutes } from './routes/mining';
import { createAuditRoutes } from './routes/audit';
import { createProcessRoutes } from './routes/processes';
import { createSignalRoutes } from './routes/signals';
import { createTaskRoutes } from './routes/tasks';
import { createWebAppRouter } from './routes/web-app';
import { refuseUnstorableText } from './text-guard';
import type { MountDeps } from './validation';

/** Largest JSON body accepted (BPMN documents have their own limit, `config.maxXmlBytes`). */
export const MAX_JSON_BYTES = 1024 * 1024;

export interface ApiServerOptions {
  /** Where logs go (default: pino at the configured level, `LOG_LEVEL`, on stdout). */
  logger?: Logger;
  /** The authentication service; when given, its router is mounted at `/api/auth`. */
  authService?: AuthService;
  authRouterOptions?: AuthRouterOptions;
  /** Metrics registry (default: a new one with the process metrics). */
  metrics?: ApiMetrics;
  /** Express `trust proxy` (behind a reverse proxy, so `req.ip` is the client's). */
  trustProxy?: boolean | number | string;
  /** Called with the listening http.Server (after the push gateway is attached) before `startApiServer` resolves. */
  onServer?: (server: http.Server) => Promise<void> | void;
  /** Options of the socket.io push gateway attached to the same server; `false`: none. */
  push?: PushOptions | false;
  /** Requests per minute per client address on the endpoints open to anyone (default 600). */
  publicRateLimit?: number;
  /** The parts `/api/health` waits for (default: a new one); the server adds `push`, `serve` may add more (`jobs`). */
  readiness?: Readiness;
  /** Runs once listening at `url`, before the push gateway is attached (tests hold start-up there). */
  beforePush?: (url: string) => Promise<void> | void;
}

/** What the routes share, built once per app from the context. */
export interface ApiServices {
  ctx: AppContext;
  apiStore: ApiStore;
  taskStore: TaskStore;
  /** The built-in users: who may be given a task or a process id's grant. */
  users: UserStore;
  assignments: TaskAssignments;
  metrics: ApiMetrics;
  idempotency: Idempotency;
  mount: MountDeps;
  logger: Logger;
  readiness: Readiness;
}

/** The app and what `startApiServer` must release. */
export interface ApiApp extends Express {
  locals: Express['locals'] & { services: ApiServices; dispose: () => void };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The request's id (the caller's `X-Request-Id` when well formed, else a new UUID, sent
 * back in the same header), its child logger `req.log` carrying it as `reqId`, and the
 * pino-http-style access line written through that logger when the answer is sent: one
 * line per request, at warn for 4xx and error for 5xx, with every id the route bound
 * (`instanceId`, `taskId`). The line is built only when its level is enabled.
 */
function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', id);
    const log = logger.child({ reqId: id });
    req.log = log;
    res.once('finish', () => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!log.isLevelEnabled(level)) return;
      const url = req.originalUrl;
      const query = url.indexOf('?');
      log[level](
        {
          req: { method: req.method, url: query < 0 ? url : url.slice(0, query), remoteAddress: req.ip },
          res: { statusCode: status },
          user: req.principal?.id,
          responseTime: Number(process.hrtime.bigint() - start) / 1e6,
        },
        'request completed',
      );
    });
    next();
  };
}

/** Builds the express app over an application context. */
export function createApp(ctx: AppContext, options: ApiServerOptions = {}): ApiApp {
  const logger = options.logger ?? pino({ level: ctx.config.logLevel ?? 'info', base: { service: 'motcua-api' } });
  const metrics = options.metrics ?? createMetrics();
  const apiStore = ctx.stores.api;
  const taskStore = ctx.stores.tasks;
  const assignments = new TaskAssignments({ store: taskStore, events: ctx.engine.events, now: ctx.now, transaction: (work) => ctx.store.transaction(work), assigningListeners: ctx.engine.assigningListeners });
  // With the dossier layer, a claim, unclaim or assign of a dossier's task commits with its history row and audit entry.
  if (ctx.dossiers) assignments.addListener(taskAssignmentTrail({ dossiers: createSequelizeDossierStore(), ...(ctx.audit ? { audit: ctx.audit } : {}) }));
  const idempotency = new Idempotency(apiStore, ctx.now, { leaseMs: ctx.config.idempotencyLeaseMs });
  const services: ApiServices = {
    ctx,
    apiStore,
    taskStore,
    users: ctx.stores.users,
    assignments,
    metrics,
    idempotency,
    mount: { authenticate: authenticate(ctx.auth), idempotency },
    logger,
    readiness: options.readiness ?? new Readiness(),
  };
  const stopObserving = metrics.observeEngine(ctx.engine.events);

  const app = express() as ApiApp;
  app.disable('x-powered-by');
  app.set('query parser', parseQueryString);
  if (options.trustProxy !== undefined) app.set('trust proxy', options.trustProxy);
  app.locals.services = services;
  app.locals.dispose = stopObserving;

  app.use(requestLog(logger));
  app.use(metrics.httpMiddleware());
  app.use(helmet());
  app.use(checkPath());

  // Endpoints anyone may call without a token are rate limited per client address.
  const publicLimit = createRateLimit({ windowMs: 60_000, limit: options.publicRateLimit ?? 600, message: 'Too many requests; try again later' });
  app.use(['/metrics', '/api/health', '/api/openapi.json', '/api/tracking', '/api/public'], publicLimit);

  app.get('/metrics', (_req, res, next) => {
    res.locals.route = '/metrics';
    metrics.registry.metrics().then((text) => res.type(metrics.registry.contentType).send(text), next);
  });

  // The auth router parses its own (small) bodies: mounted before the 1 MB JSON parser.
  if (options.authService) app.use('/api/auth', createAuthRouter(ctx, options.authService, options.authRouterOptions));
  if (options.authService) app.use('/api/oauth', createOAuthRouter(ctx, options.authService));

  app.use('/api', express.json({ limit: MAX_JSON_BYTES, type: ['application/json', 'application/*+json'] }));
  app.use(refuseUnstorableText());

  const api = express.Router();
  createHealthRoutes(api, services);
  const document = buildOpenApiDocument();
  api.get('/openapi.json', (_req, res) => {
    res.locals.route = '/api/openapi.json';
    res.json(document);
  });
  createDeploymentRoutes(api, services);
  createDefinitionRoutes(api, services);
  createInstanceRoutes(api, services);
  createTaskRoutes(api, services);
  createMessageRoutes(api, services);
  createSignalRoutes(api, services);
  createIncidentRoutes(api, services);
  createProcessRoutes(api, services);
  createDraftRoutes(api, services);
  createCalendarRoutes(api, services);
  createPortalRoutes(api, services);
  createMiningRoutes(api, services);
  createAnalysisRoutes(api, services);
  createSimulationRoutes(api, services);
  createJobRoutes(api, services);
  createServiceAccountRoutes(api, services);
  createDossierRoutes(api, services);
  createAuditRoutes(api, services);
  createStatisticsRoutes(api, services);
  app.use('/api', api);
  // Camunda 8's REST API, the job worker subset (routes/v2-jobs.ts).
  app.use('/v2', createV2JobRouter(services));
  // The rest of the Camunda 8 REST subset: deployments, instances, messages, user tasks, incidents (routes/v2/).
  app.use('/v2', createV2Router(services));
  app.use(createWebAppRouter());

  app.use(notFoundHandler());
  app.use(problemMiddleware(logger));
  return app;
}

/** A listening API server. */
export interface RunningApiServer {
  /** `http://host:port` (the port chosen by the system when 0 was asked). */
  url: string;
  server: http.Server;
  app: ApiApp;
  /** The push gateway (socket.io on the same server), unless `push: false`. */
  push?: PushServer;
  close(): Promise<void>;
}

/** How often expired idempotency keys are purged. */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Starts the API on `port` (0: any free port) and `host` (default 127.0.0.1), with
 * the push gateway (socket.io, `push/`) on the same http.Server unless `push: false`.
 */
export async function startApiServer(ctx: AppContext, options: ApiServerOptions & { port?: number; host?: string } = {}): Promise<RunningApiServer> {
  const app = createApp(ctx, options);
  // Not ready until socket.io is attached and its feed follows history (registered before listening).
  const pushStep = options.push === false ? undefined : app.locals.services.readiness.step('push', 'the push gateway (socket.io) is not attached yet');
  const server = http.createServer(app);
  answerClientErrors(server);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const purge = setInterval(() => {
    app.locals.services.idempotency.purge().catch((error) => app.locals.services.logger.warn({ err: error }, 'purging idempotency keys failed'));
  }, PURGE_INTERVAL_MS);
  purge.unref();

  let push: PushServer | undefined;
  try {
    await options.beforePush?.(url);
    if (options.push !== false) push = await attachPush(server, ctx, { onSkippedRow: malformedRowReporter(app.locals.services, 'push-feed'), logger: app.locals.services.logger, ...options.push });
    pushStep?.ready();
    await options.onServer?.(server);
  } catch (error) {
    clearInterval(purge);
    app.locals.dispose();
    await push?.close().catch(() => undefined);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    app,
    push,
    close: () =>
      (closing ??= (async () => {
        pushStep?.notReady('the push gateway is closing');
        clearInterval(purge);
        app.locals.dispose();
        await push?.close();
        await new Promise<void>((resolve, reject) => {
          server.close((error) => (error ? reject(error) : resolve()));
          server.closeAllConnections();
        });
        // The simulation workers (started by the route on first use) end with the server.
        await ctx.simulations?.close().finally(() => (ctx.simulations = undefined));
      })()),
  };
}
