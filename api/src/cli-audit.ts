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
  const agency = command === 'verify' ? agencyOption(rest) : rest.length === 0 ? { ok: true as const } : { ok: false as const, problem: `'${command}' takes no options` };
  if ((command !== 'verify' && command !== 'seal') || !agency.ok) {
    err(agency.ok ? AUDIT_USAGE : `${agency.problem}\n${AUDIT_USAGE}`);
    return 2;
  }
  if (command === 'seal') {
    const seal = await trail.seal();
    out(seal ? `sealed ${seal.heads.length} dossier head(s) as seal ${seal.sequence}` : 'nothing to seal (or another process is sealing)');
    return 0;
  }
  const result = await trail.verify(agency.value === undefined ? undefined : { agency: agency.value });
  const of = agency.value === undefined ? '' : ` (agency ${agency.value}: its own dossiers and those it took part in)`;
  if (result.ok) {
    out(`ok: ${result.entries} entries of ${result.dossiers} dossiers, ${result.seals} seals${of}`);
    return 0;
  }
  const { problem } = result;
  const where = [problem.dossierId !== undefined ? `dossier ${problem.dossierId}` : undefined, problem.sequence !== undefined ? `entry ${problem.sequence}` : undefined, problem.seal !== undefined ? `seal ${problem.seal}` : undefined].filter(Boolean).join(', ');
  err(`audit trail${of} not intact: ${problem.kind} at ${where}: ${problem.reason}`);
  return 1;
}

/** `verify`'s options: none, or `--agency <code>` (also `--agency=<code>`). */
function agencyOption(options: string[]): { ok: true; value?: string } | { ok: false; problem: string } {
  if (options.length === 0) return { ok: true };
  const [first, second, ...more] = options;
  const inline = first?.startsWith('--agency=') ? first.slice('--agency='.length) : undefined;
  const value = inline ?? (first === '--agency' ? second : undefined);
  const extra = inline !== undefined ? [second, ...more].filter((o) => o !== undefined) : more;
  if (first !== '--agency' && inline === undefined) return { ok: false, problem: `unknown option '${first}' of 'verify'` };
  if (value === undefined || value.trim() === '' || value.startsWith('--')) return { ok: false, problem: "'--agency' needs an agency code, e.g. --agency 000.02.00.H29" };
  if (extra.length > 0) return { ok: false, problem: `unexpected argument '${extra[0]}' after '--agency ${value}'` };
  return { ok: true, value: value.trim() };
}
