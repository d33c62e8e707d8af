import type { Database } from '../../../engine/src/store-sequelize/connect';
import type { PushSources } from '../push/sources';
import { createPushAdapter, defaultAdapterKind } from './push-adapters';
import { PushFeed } from './push-feed';

/** The push gateway's sources over one database (see the port in api/src/push/sources.ts). */
export function createPushSources(db: Database): PushSources {
  return {
    defaultAdapterKind: (redisUrl) => defaultAdapterKind(db, redisUrl),
    createAdapter: (kind, options) => createPushAdapter(kind, db, options),
    createFeed: (options) => new PushFeed({ ...options, db }),
  };
}
