/**
 * What the HTTP layer, the push gateway and the CLI share in one process:
 * built once at start-up (see `app.ts`), passed to every route factory.
 */
import type { Engine } from '../../engine/src/engine';
import type { Database } from '../../engine/src/store-sequelize/connect';
import type { EngineStore } from '../../engine/src/store/ports';
import type { TokenVerifier } from './auth/principal';
import type { CalendarService } from './calendars/calendar-service';
import type { Config } from './config';
import type { DossierService } from '../../onestop/src/dossiers/dossier-service';

export interface AppContext {
  config: Config;
  /** The open database (stores are created over it). */
  db: Database;
  engine: Engine;
  store: EngineStore;
  /** Verifies bearer tokens (own user store or external identity provider). */
  auth: TokenVerifier;
  /** The clock. */
  now: () => number;
  /** The working calendars' data, replaceable by agency admins (absent: the routes answer 500). */
  calendars?: CalendarService;
  /** The dossier layer (absent: the dossier routes answer 500). */
  dossiers?: DossierService;
}
