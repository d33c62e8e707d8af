/**
 * Jest globalTeardown: stops the embedded PostgreSQL servers that globalSetup started
 * (they live in jest's main process, which runs both).
 */
import type { EmbeddedPostgres } from '../../engine/src/store-sequelize/embedded';
import { EMBEDDED_SERVERS_KEY } from './global-setup';

/** Stops every embedded server of this run; errors are reported, not thrown, so jest still exits. */
export default async function globalTeardown(): Promise<void> {
  const store = globalThis as Record<string, unknown>;
  const servers = (store[EMBEDDED_SERVERS_KEY] ?? []) as EmbeddedPostgres[];
  delete store[EMBEDDED_SERVERS_KEY];
  const results = await Promise.allSettled(servers.map((s) => s.stop()));
  for (const result of results) {
    if (result.status === 'rejected') process.stderr.write(`[motcua tests] stopping an embedded PostgreSQL failed: ${result.reason}\n`);
  }
}
