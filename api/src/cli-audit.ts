/**
 * `motcua audit …`: the audit trail from the command line.
 *
 *   motcua audit verify                  checks every dossier chain and the seal chain; prints `ok …` or the first bad row
 *   motcua audit verify --agency <code>  the seal chain, then only the dossiers the agency is responsible for or
 *                                        took part in (as an agency admin's `GET /api/audit/verify`)
 *   motcua audit seal                    seals the new heads now (as the periodic job does)
 *
 * Exit codes: 0 intact (or sealed), 1 the log is not intact (first bad row on stderr), 2 usage error.
 */
import { parseArgs } from 'node:util';
import type { Database } from '../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../engine/src/store-sequelize/sequelize-engine-store';
import { AuditTrail } from '../../onestop/src/audit/audit-trail';
import { createSequelizeAuditStore } from '../../onestop/src/store-sequelize/sequelize-audit-store';

export const AUDIT_USAGE = `usage: motcua audit verify [--agency <code>] | seal`;

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
  if (command !== 'verify' && command !== 'seal') {
    err(AUDIT_USAGE);
    return 2;
  }
  let agency: string | undefined;
  try {
    if (command === 'seal' && rest.length > 0) throw new Error("'seal' takes no options");
    agency = verifyAgency(rest);
  } catch (error) {
    err(`${(error as Error).message}\n${AUDIT_USAGE}`);
    return 2;
  }
  if (command === 'seal') {
    const seal = await trail.seal();
    out(seal ? `sealed ${seal.heads.length} dossier head(s) as seal ${seal.sequence}` : 'nothing to seal (or another process is sealing)');
    return 0;
  }
  const result = await trail.verify(agency === undefined ? undefined : { agency });
  const of = agency === undefined ? '' : ` (agency ${agency}: its own dossiers and those it took part in)`;
  if (result.ok) {
    out(`ok: ${result.entries} entries of ${result.dossiers} dossiers, ${result.seals} seals${of}`);
    return 0;
  }
  const { problem } = result;
  const where = [problem.dossierId !== undefined ? `dossier ${problem.dossierId}` : undefined, problem.sequence !== undefined ? `entry ${problem.sequence}` : undefined, problem.seal !== undefined ? `seal ${problem.seal}` : undefined].filter(Boolean).join(', ');
  err(`audit trail${of} not intact: ${problem.kind} at ${where}: ${problem.reason}`);
  return 1;
}

/** `verify`'s one option, `--agency <code>` (or `--agency=<code>`); throws saying what is wrong. */
function verifyAgency(options: string[]): string | undefined {
  const { values } = parseArgs({ args: options, options: { agency: { type: 'string' } }, strict: true, allowPositionals: false });
  if (values.agency === undefined) return undefined;
  if (values.agency.trim() === '') throw new Error("'--agency' needs an agency code, e.g. --agency 000.02.00.H29");
  return values.agency.trim();
}
