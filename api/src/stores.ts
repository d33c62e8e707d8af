/**
 * Composition root of the stores: the sequelize adapters behind every port the API, the push
 * gateway and the domain use, over one open database.
 */
import type { Database } from '../../engine/src/store-sequelize/connect';
import { createSequelizeExternalJobStore } from '../../engine/src/store-sequelize/sequelize-external-job-store';
import { createSequelizeTaskStore } from '../../engine/src/store-sequelize/sequelize-task-store';
import { readMiningSource } from '../../onestop/src/store-sequelize/mining-log-reader';
import { DEFAULT_AUTH_CACHE_MS } from './config';
import type { AppStores } from './context';
import { recentlyReadServiceAccounts, recentlyReadUsers, rememberedForms } from './store/recently-read';
import { createSequelizeApiStore } from './store-sequelize/sequelize-api-store';
import { createSequelizeDraftStore } from './store-sequelize/sequelize-draft-store';
import { createSequelizeSecretStore, createSequelizeUserStore } from './store-sequelize/sequelize-user-store';
import { createPushSources } from './store-sequelize/push-sources';
import { createSequelizeServiceAccountStore } from './store-sequelize/sequelize-service-account-store';
import { createSequelizeV2KeyStore } from './store-sequelize/sequelize-v2-key-store';

/**
 * Every store over `db`; `now` is the clock the user store stamps changes with and the recently
 * read users and service accounts expire by (`authCacheMs`, `MOTCUA_AUTH_CACHE_MS`).
 */
export function createStores(db: Database, options: { now?: () => number; authCacheMs?: number } = {}): AppStores {
  const now = options.now ?? Date.now;
  const authCacheMs = options.authCacheMs ?? DEFAULT_AUTH_CACHE_MS;
  return {
    api: rememberedForms(createSequelizeApiStore(db)),
    tasks: createSequelizeTaskStore(db),
    users: recentlyReadUsers(createSequelizeUserStore(db, { now: options.now }), authCacheMs, now),
    secrets: createSequelizeSecretStore(db),
    drafts: createSequelizeDraftStore(db),
    push: createPushSources(db),
    miningLog: (query) => readMiningSource(db, query),
    serviceAccounts: recentlyReadServiceAccounts(createSequelizeServiceAccountStore(db), authCacheMs, now),
    externalJobs: createSequelizeExternalJobStore(db),
    v2Keys: createSequelizeV2KeyStore(db),
  };
}
