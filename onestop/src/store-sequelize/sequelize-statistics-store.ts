/**
 * The statistics projection in SQL (port: onestop/src/statistics/statistics-store.ts).
 * The upsert reads the fee and the digitised inputs from the dossier row written just
 * before it in the same transaction; the counts are one grouped scan of an index range.
 */
import type { TransactionSql } from '../../../engine/src/index';
import type { StatisticsRow } from '../statistics/projection';
import type { CountedDossier, DrillDown, StatisticsCounts, StatisticsGroupBy, StatisticsQuery, StatisticsStore } from '../statistics/statistics-store';

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
const ms = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : new Date(v as string).getTime());

const GROUP: Record<StatisticsGroupBy, string> = {
  none: "''",
  agency: 'agency',
  province: 'province',
  procedure: 'procedure_code',
  official: "coalesce(official, '')",
  channel: 'channel',
  month: "to_char(counted_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM')",
};

// Conditions, with $1 = asOf.
const RECEIVED = 'received_at IS NOT NULL';
const IN_PROGRESS = `${RECEIVED} AND finished_at IS NULL`;
const OVERDUE_766 = `(forced_late_766 OR coalesce(measure_end_at, $1::timestamptz) > due_766_at)`;
const OVERDUE_LEGAL = `(redated OR coalesce(measure_end_at, $1::timestamptz) > legal_due_at)`;
const WITH_RESULT = `status IN ('result-ready', 'returned')`;

const CONDITIONS: Record<DrillDown, string> = {
  received: RECEIVED,
  online: `${RECEIVED} AND channel = 'online' AND (e_result OR NOT ${WITH_RESULT})`,
  desk: `${RECEIVED} AND channel = 'desk'`,
  post: `${RECEIVED} AND channel = 'post'`,
  'finished-early': `timeliness_766 = 'early'`,
  'finished-on-time': `timeliness_766 = 'on-time'`,
  'finished-late': `timeliness_766 = 'late'`,
  'in-progress-on-time': `${IN_PROGRESS} AND NOT ${OVERDUE_766}`,
  'in-progress-overdue': `${IN_PROGRESS} AND ${OVERDUE_766}`,
  'legal-finished-early': `timeliness_legal = 'early'`,
  'legal-finished-on-time': `timeliness_legal = 'on-time'`,
  'legal-finished-late': `timeliness_legal = 'late'`,
  'legal-in-progress-on-time': `${IN_PROGRESS} AND NOT ${OVERDUE_LEGAL}`,
  'legal-in-progress-overdue': `${IN_PROGRESS} AND ${OVERDUE_LEGAL}`,
  supplement: 'supplement_requests > 0',
  refused: `status = 'refused'`,
  rejected: `status = 'rejected'`,
  stopped: `status = 'stopped'`,
  withdrawn: `status = 'withdrawn'`,
  timed: 'working_days IS NOT NULL',
  'fee-bearing': `${RECEIVED} AND fee > 0`,
  'paid-online': `${RECEIVED} AND fee > 0 AND paid_online`,
  'with-result': WITH_RESULT,
  'e-result': `${WITH_RESULT} AND e_result`,
  digitised: `${WITH_RESULT} AND e_result AND digitised_inputs`,
};

/** The WHERE of a query; binds from $2 on ($1 is asOf). */
function where(query: StatisticsQuery): { text: string; bind: unknown[] } {
  const bind: unknown[] = [iso(query.asOf), iso(query.from), iso(query.to)];
  const parts = ['$1::timestamptz IS NOT NULL', 'counted_at >= $2::timestamptz', 'counted_at < $3::timestamptz'];
  const add = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    bind.push(value);
    parts.push(`${column} = $${bind.length}`);
  };
  add('agency', query.agency);
  add('province', query.province);
  add('procedure_code', query.procedureCode);
  add('official', query.official);
  return { text: parts.join(' AND '), bind };
}

const n = (v: unknown): number => Number(v ?? 0);
const count = (name: string, condition: string) => `count(*) FILTER (WHERE ${condition}) AS "${name}"`;

export function createSequelizeStatisticsStore(): StatisticsStore {
  return {
    async upsert(tx: TransactionSql, row: StatisticsRow) {
      await tx.run(
        `INSERT INTO dossier_statistics (dossier_id, code, agency, province, procedure_code, official, channel, status, submitted_at, received_at, counted_at, finished_at,
           due_766_at, legal_due_at, measure_end_at, forced_late_766, redated, supplement_requests, timeliness_766, timeliness_legal, working_days, fee, paid_online, e_result, digitised_inputs)
         SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::timestamptz, $10::timestamptz, coalesce($10::timestamptz, $9::timestamptz),
           $11::timestamptz, $12::timestamptz, $13::timestamptz, $14::timestamptz, $15::boolean, $16::boolean, $17::integer, $18::text, $19::text, $20::real,
           coalesce((d.details->'fee'->>'amount')::numeric, 0), $21::boolean, coalesce($22::boolean, false),
           coalesce((SELECT bool_and(coalesce((x->>'digitised')::boolean, x->>'form' = 'electronic')) FROM jsonb_array_elements(d.details->'documents') x), false)
         FROM dossiers d WHERE d.id = $1::text
         ON CONFLICT (dossier_id) DO UPDATE SET code = excluded.code, status = excluded.status, official = coalesce(excluded.official, dossier_statistics.official),
           received_at = excluded.received_at, counted_at = excluded.counted_at, finished_at = excluded.finished_at, due_766_at = excluded.due_766_at,
           legal_due_at = excluded.legal_due_at, measure_end_at = excluded.measure_end_at, forced_late_766 = excluded.forced_late_766, redated = excluded.redated,
           supplement_requests = excluded.supplement_requests, timeliness_766 = excluded.timeliness_766, timeliness_legal = excluded.timeliness_legal,
           working_days = excluded.working_days, fee = excluded.fee, paid_online = excluded.paid_online, digitised_inputs = excluded.digitised_inputs,
           e_result = CASE WHEN $22::boolean IS NULL THEN dossier_statistics.e_result ELSE excluded.e_result END`,
        [
          row.dossierId, row.code, row.agency, row.province, row.procedureCode, row.official ?? null, row.channel, row.status,
          iso(row.submittedAt), iso(row.receivedAt), iso(row.finishedAt), iso(row.due766At), iso(row.legalDueAt), iso(row.measureEndAt),
          row.forcedLate766, row.redated, row.supplementRequests, row.timeliness766 ?? null, row.timelinessLegal ?? null, row.workingDays ?? null,
          row.paidOnline, row.eResult ?? null,
        ],
      );
    },

    async counts(tx, query) {
      const w = where(query);
      const key = GROUP[query.groupBy ?? 'none'];
      const c = CONDITIONS;
      const rows = await tx.select(
        `SELECT ${key} AS key, count(*) AS dossiers,
           ${count('received', c.received)}, ${count('online', `${RECEIVED} AND channel = 'online'`)}, ${count('desk', c.desk)}, ${count('post', c.post)}, ${count('onlineE', c.online)},
           ${count('f766e', c['finished-early'])}, ${count('f766o', c['finished-on-time'])}, ${count('f766l', c['finished-late'])},
           ${count('flge', c['legal-finished-early'])}, ${count('flgo', c['legal-finished-on-time'])}, ${count('flgl', c['legal-finished-late'])},
           ${count('p766o', c['in-progress-on-time'])}, ${count('p766l', c['in-progress-overdue'])}, ${count('plgo', c['legal-in-progress-on-time'])}, ${count('plgl', c['legal-in-progress-overdue'])},
           ${count('sup', c.supplement)}, coalesce(sum(supplement_requests), 0) AS "supN",
           ${count('refused', c.refused)}, ${count('rejected', c.rejected)}, ${count('stopped', c.stopped)}, ${count('withdrawn', c.withdrawn)},
           count(working_days) AS timed, coalesce(sum(working_days), 0) AS "wdSum", percentile_disc(0.9) WITHIN GROUP (ORDER BY working_days) AS "wdP90",
           ${count('fee', c['fee-bearing'])}, ${count('feeOnline', c['paid-online'])}, ${count('withResult', c['with-result'])}, ${count('eResult', c['e-result'])}, ${count('digitised', c.digitised)}
         FROM dossier_statistics WHERE ${w.text} GROUP BY 1 ORDER BY 1`,
        w.bind,
      );
      return rows.map(
        (r): StatisticsCounts => ({
          key: String(r.key),
          dossiers: n(r.dossiers),
          received: n(r.received),
          online: n(r.online),
          desk: n(r.desk),
          post: n(r.post),
          onlineWithEResult: n(r.onlineE),
          finished766: { early: n(r.f766e), onTime: n(r.f766o), late: n(r.f766l) },
          finishedLegal: { early: n(r.flge), onTime: n(r.flgo), late: n(r.flgl) },
          inProgress766: { onTime: n(r.p766o), overdue: n(r.p766l) },
          inProgressLegal: { onTime: n(r.plgo), overdue: n(r.plgl) },
          withSupplement: n(r.sup),
          supplementRequests: n(r.supN),
          refused: n(r.refused),
          rejected: n(r.rejected),
          stopped: n(r.stopped),
          withdrawn: n(r.withdrawn),
          timed: n(r.timed),
          workingDaysSum: n(r.wdSum),
          workingDaysP90: r.wdP90 === null || r.wdP90 === undefined ? null : n(r.wdP90),
          feeBearing: n(r.fee),
          feeBearingPaidOnline: n(r.feeOnline),
          withResult: n(r.withResult),
          eResult: n(r.eResult),
          digitised: n(r.digitised),
        }),
      );
    },

    async dossiers(tx, query, which, limit) {
      const w = where(query);
      w.bind.push(limit);
      const rows = await tx.select(
        `SELECT dossier_id, code, agency, procedure_code, official, channel, status, received_at, finished_at, due_766_at, legal_due_at, timeliness_766, timeliness_legal, supplement_requests, working_days
         FROM dossier_statistics WHERE ${w.text} AND ${CONDITIONS[which]} ORDER BY counted_at, dossier_id LIMIT $${w.bind.length}`,
        w.bind,
      );
      return rows.map(
        (r): CountedDossier => ({
          dossierId: r.dossier_id,
          code: r.code,
          agency: r.agency,
          procedureCode: r.procedure_code,
          ...(r.official ? { official: r.official } : {}),
          channel: r.channel,
          status: r.status,
          ...(r.received_at ? { receivedAt: ms(r.received_at) } : {}),
          ...(r.finished_at ? { finishedAt: ms(r.finished_at) } : {}),
          ...(r.due_766_at ? { due766At: ms(r.due_766_at) } : {}),
          ...(r.legal_due_at ? { legalDueAt: ms(r.legal_due_at) } : {}),
          ...(r.timeliness_766 ? { timeliness766: r.timeliness_766 } : {}),
          ...(r.timeliness_legal ? { timelinessLegal: r.timeliness_legal } : {}),
          supplementRequests: n(r.supplement_requests),
          ...(r.working_days !== null && r.working_days !== undefined ? { workingDays: n(r.working_days) } : {}),
        }),
      );
    },

    async receivedPerProcedure(tx, agency, from, to) {
      const rows = await tx.select(
        `SELECT procedure_code, count(*) FILTER (WHERE received_at IS NOT NULL) AS received FROM dossier_statistics
         WHERE agency = $1 AND counted_at >= $2 AND counted_at < $3 GROUP BY procedure_code ORDER BY procedure_code`,
        [agency, iso(from), iso(to)],
      );
      return rows.map((r) => ({ procedureCode: r.procedure_code, received: n(r.received) }));
    },
  };
}
