/**
 * What the HTTP layer, the push gateway and the CLI share in one process:
 * built once at start-up (see `app.ts`), passed to every route factory.
 * Everything that reaches the database is a port here; the composition root
 * (`stores.ts`) builds the sequelize adapters behind them.
 */
import type { Engine, EngineStore, ExternalJobStore, TaskStore } from '../../engine/src/index';
import type { AuditTrail } from '../../onestop/src/audit/audit-trail';
import type { DossierService } from '../../onestop/src/dossiers/dossier-service';
import type { Outboxes } from '../../onestop/src/outbox/outboxes';
import type { StatisticsService } from '../../onestop/src/statistics/statistics-service';
import type { MiningLogSource } from '../../onestop/src/mining';
import type { TokenVerifier } from './auth/principal';
import type { ServiceAccountStore } from './auth/service-accounts';
import type { CalendarService } from './calendars/calendar-service';
import type { Config } from './config';
import type { PushSources } from './push/sources';
import type { ApiStore } from './store/api-store';
import type { DraftStore } from './store/draft-store';
import type { SecretStore, UserStore } from './store/user-store';
import type { V2KeyStore } from './store/v2-key-store';
import type { SimulationPool } from './simulation-pool';

/** The stores of the API and the layers it serves, over one database. */
export interface AppStores {
  /** The API's own reads and writes (deployments' forms, incidents, idempotency keys, the database ping). */
  api: ApiStore;
  /** The officials' inboxes. */
  tasks: TaskStore;
  users: UserStore;
  secrets: SecretStore;
  /** The modeler's drafts. */
  drafts: DraftStore;
  /** The push gateway's history feed and socket.io adapters. */
  push: PushSources;
  /** The history as mining reads it. */
  miningLog: MiningLogSource;
  /** OAuth clients of external job workers. */
  serviceAccounts: ServiceAccountStore;
  /** Jobs as external workers activate and report them. */
  externalJobs: ExternalJobStore;
  /** The numeric keys of the Camunda REST facade (`/v2`). */
  v2Keys: V2KeyStore;
}

export interface AppContext {
  config: Config;
  /** The stores over the open database. */
  stores: AppStores;
  engine: Engine;
  store: EngineStore;
  /** Verifies bearer tokens (own user store or external identity provider). */
  auth: TokenVerifier;
  /** The clock. */
  now: () => number;
  /** Job types the in-process job executor serves, never handed to external workers (default: `IN_PROCESS_JOB_TYPES`, job-handlers.ts). */
  inProcessJobTypes?: readonly string[];
  /** The working calendars' data, replaceable by agency admins (absent: the routes answer 500). */
  calendars?: CalendarService;
  /** The dossier layer (absent: the dossier routes answer 500). */
  dossiers?: DossierService;
  /** The notice and portal outboxes of the dossier layer (absent: the portal routes answer 500). */
  outboxes?: Outboxes;
  /** The audit trail of the dossier layer (verification, sealing). */
  audit?: AuditTrail;
  /** The statistics of the dossier layer (absent: the statistics routes answer 500). */
  statistics?: StatisticsService;
  /** The worker threads of `POST /api/analysis/simulate` (api/src/simulation-pool.ts); absent: the route starts one from the config. */
  simulations?: SimulationPool;
}
