/**
 * `motcua audit …`: the audit trail from the command line.
 *
 *   motcua audit verify   checks every dossier chain and the seal chain; prints `ok …` or the first bad row
 *   motcua audit seal     seals the new heads now (as the periodic job does)
 *
 * Exit codes: 0 intact (or sealed), 1 the log is not intact (first bad row on stderr), 2 usage error.
 */
import type { Database } from '../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../engine/src/store-sequelize/sequelize-engine-store';
import { AuditTrail } from '../../onestop/src/audit/audit-trail';
import { createSequelizeAuditStore } from '../../onestop/src/store-sequelize/sequelize-audit-store';

export const AUDIT_USAGE = `usage: motcua audit verify | seal`;

export interface AuditCommandContext {
  /** The migrated database. */
  db: Database;
  out?: (line: string) => void;
  err?: (line: string) => void;
  now?: () => number;
}

export async function runAuditCommand(args: string[], context: AuditCommandContext): Promise<number> {
  const out = context.out ?? ((line: string) => console.log(line));
  const err = context.err ?? ((line: string) => console.error(line));
  const store = createSequelizeEngineStore(context.db);
  const trail = new AuditTrail({ store: createSequelizeAuditStore(), transaction: (work) => store.transaction(work), now: context.now ?? Date.now });
  const [command, ...rest] = args;
  if (rest.length > 0 || (command !== 'verify' && command !== 'seal')) {
    err(AUDIT_USAGE);
    return 2;
  }
  if (command === 'seal') {
    const seal = await trail.seal();
    out(seal ? `sealed ${seal.heads.length} dossier head(s) as seal ${seal.sequence}` : 'nothing to seal (or another process is sealing)');
    return 0;
  }
  const result = await trail.verify();
  if (result.ok) {
    out(`ok: ${result.entries} entries of ${result.dossiers} dossiers, ${result.seals} seals`);
    return 0;
  }
  const { problem } = result;
  const where = [problem.dossierId !== undefined ? `dossier ${problem.dossierId}` : undefined, problem.sequence !== undefined ? `entry ${problem.sequence}` : undefined, problem.seal !== undefined ? `seal ${problem.seal}` : undefined].filter(Boolean).join(', ');
  err(`audit trail not intact: ${problem.kind} at ${where}: ${problem.reason}`);
  return 1;
}
