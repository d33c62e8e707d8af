import * as path from 'node:path';

/**
 * The one-stop-shop layer's migrations (dossier tables, projections, outboxes, audit), applied
 * with the engine's by the composition root; numbered in the project's one sequence.
 */
export const ONESTOP_MIGRATIONS = path.join(__dirname, 'migrations');
