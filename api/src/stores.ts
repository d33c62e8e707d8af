/**
 * Composition root of the stores: the sequelize adapters behind every port the API, the push
 * gateway and the domain use, over one open database.
 */
import type { Database } from '../../engine/src/store-sequelize/connect';
import { createSequelizeExternalJobStore } from '../../engine/src/store-sequelize/sequelize-external-job-store';
import { createSequelizeTaskStore } from '../../engine/src/store-sequelize/sequelize-task-store';
import { readMiningSource } from '../../onestop/src/store-sequelize/mining-log-reader';
import type { AppStores } from './context';
import { createSequelizeApiStore } from './store-sequelize/sequelize-api-store';
import { createSequelizeDraftStore } from './store-sequelize/sequelize-draft-store';
import { createSequelizeSecretStore, createSequelizeUserStore } from './store-sequelize/sequelize-user-store';
import { createPushSources } from './store-sequelize/push-sources';
import { createSequelizeServiceAccountStore } from './store-sequelize/sequelize-service-account-store';
import { createSequelizeV2KeyStore } from './store-sequelize/sequelize-v2-key-store';

/** Every store over `db`; `now` is the clock the user store stamps changes with. */
export function createStores(db: Database, options: { now?: () => number } = {}): AppStores {
  return {
    api: createSequelizeApiStore(db),
    tasks: createSequelizeTaskStore(db),
    users: createSequelizeUserStore(db, { now: options.now }),
    secrets: createSequelizeSecretStore(db),
    drafts: createSequelizeDraftStore(db),
    push: createPushSources(db),
    miningLog: (query) => readMiningSource(db, query),
    serviceAccounts: createSequelizeServiceAccountStore(db),
    externalJobs: createSequelizeExternalJobStore(db),
    v2Keys: createSequelizeV2KeyStore(db),
  };
}
