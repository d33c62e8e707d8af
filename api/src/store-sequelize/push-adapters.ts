/**
 * The socket.io adapter of a push server: how its broadcasts and server-side
 * emits reach the other API processes.
 *
 * - `memory`: one process. The only choice on the embedded database: PGlite is one
 *   session, NOTIFY comes back to the sender, so the postgres adapter would
 *   silently reach nobody (DESIGN.md, "Databases").
 * - `postgres`: `@socket.io/postgres-adapter` over LISTEN/NOTIFY on the same
 *   PostgreSQL (no extra server); payloads over 8 kB go through the
 *   `socket_io_attachments` table of migration 0003.
 * - `redis`: `@socket.io/redis-adapter` where Redis exists.
 *
 * Channels and keys are named after the database schema, so several deployments
 * (or test suites) on one server or one Redis never hear each other.
 */
import { createHash } from 'node:crypto';
import { createAdapter as createPostgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as createRedisAdapter } from '@socket.io/redis-adapter';
import pg from 'pg';
import { createClient } from 'redis';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import type { PushAdapter, PushAdapterKind } from '../push/sources';

/** What `io.adapter(...)` takes. */
type AdapterConstructor = NonNullable<PushAdapter['adapter']>;

/**
 * The adapter to use when none is asked for: redis when a Redis URL is configured,
 * else memory on the embedded database and postgres on a real server.
 */
export function defaultAdapterKind(db: Database, redisUrl: string | undefined): PushAdapterKind {
  if (redisUrl) return 'redis';
  return db.embedded ? 'memory' : 'postgres';
}

/** A channel prefix or key of at most `max` characters, unique per schema. */
function scopedName(base: string, schema: string, max: number): string {
  const name = `${base}:${schema}`;
  if (name.length <= max) return name;
  return `${base}:${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
}

/** Creates the adapter of `kind`; throws a clear error for a combination that cannot work. */
export async function createPushAdapter(
  kind: PushAdapterKind,
  db: Database,
  options: { redisUrl?: string; onError: (error: unknown) => void },
): Promise<PushAdapter> {
  switch (kind) {
    case 'memory':
      return { kind, clustered: false, close: async () => undefined };

    case 'postgres': {
      if (db.embedded) {
        throw new Error(
          'push: the postgres adapter cannot run on the embedded database (PGlite is one session: NOTIFY comes back to the sender, ' +
            'so other processes would never hear a broadcast). Use the memory adapter there.',
        );
      }
      // One connection LISTENs, the others NOTIFY and use the attachments table (in the schema).
      const pool = new pg.Pool({ connectionString: db.options.url, max: 3, options: `-c search_path="${db.schema}"` });
      pool.on('error', options.onError);
      // The NOTIFY channel is `<prefix>#/`, and a channel name has at most 63 bytes.
      const adapter = createPostgresAdapter(pool, { channelPrefix: scopedName('motcua', db.schema, 60), errorHandler: options.onError });
      return { kind, adapter, clustered: true, close: () => pool.end() };
    }

    case 'redis': {
      if (!options.redisUrl) throw new Error('push: the redis adapter needs a Redis URL (MOTCUA_REDIS_URL or the redisUrl option)');
      // Retry for ever once connected; fail start-up quickly when Redis is not there at all.
      let connected = false;
      const reconnectStrategy = (retries: number): number | Error =>
        !connected && retries >= 3 ? new Error('Redis is unreachable') : Math.min(100 * (retries + 1), 2_000);
      const pub = createClient({ url: options.redisUrl, socket: { reconnectStrategy, connectTimeout: 5_000 } });
      const sub = pub.duplicate();
      pub.on('error', options.onError);
      sub.on('error', options.onError);
      try {
        await Promise.all([pub.connect(), sub.connect()]);
        connected = true;
      } catch (error) {
        await Promise.allSettled([pub.disconnect(), sub.disconnect()]);
        throw new Error(`push: cannot reach Redis at ${options.redisUrl.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message}`);
      }
      const adapter = createRedisAdapter(pub, sub, { key: scopedName('motcua', db.schema, 200) }) as unknown as AdapterConstructor;
      return {
        kind,
        adapter,
        clustered: true,
        close: async () => {
          await Promise.allSettled([pub.quit(), sub.quit()]);
        },
      };
    }
  }
}
