/**
 * The statistics projection in SQL (port: onestop/src/statistics/statistics-store.ts).
 * The upsert reads the fee and the digitised inputs from the dossier row written just
 * before it in the same transaction, and moves the counters of migration 0025 by the
 * difference between the row's new and old measures, in the same statement.
 * The counts read whole years, months and (provinces) days from the counters, the edges of
 * the period from rows (statistics-periods.ts); what depends on `asOf` (dossiers in
 * progress) and the 90th percentile of working days from rows, through partial indexes.
 * Figures of an official, or grouped by official or channel, are read from rows only.
 */
import type { TransactionSql } from '../../../engine/src/index';
import type { StatisticsRow } from '../statistics/projection';
import type { CountedDossier, DrillDown, StatisticsCounts, StatisticsGroupBy, StatisticsQuery, StatisticsStore } from '../statistics/statistics-store';
import { addCountersSql, addDaysSql, CENTIDAYS, IN_PROGRESS, MEASURES, measureSql, OVERDUE_766, OVERDUE_LEGAL, RECEIVED, WITH_RESULT } from './statistics-measures';
import { counterPlan, type CounterPlan, type Range } from './statistics-periods';

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

/** The WHERE of a query over rows of the given ranges; `bind` starts with asOf ($1). */
function rowsWhere(query: StatisticsQuery, ranges: readonly Range[], bind: unknown[]): string {
  const param = (value: unknown): string => {
    bind.push(value);
    return `$${bind.length}`;
  };
  const parts = ['$1::timestamptz IS NOT NULL'];
  parts.push(`(${ranges.map((r) => `(counted_at >= ${param(iso(r.from))}::timestamptz AND counted_at < ${param(iso(r.to))}::timestamptz)`).join(' OR ')})`);
  if (query.agency !== undefined) parts.push(`agency = ${param(query.agency)}`);
  if (query.province !== undefined) parts.push(`province = ${param(query.province)}`);
  if (query.procedureCode !== undefined) parts.push(`procedure_code = ${param(query.procedureCode)}`);
  if (query.official !== undefined) parts.push(`official = ${param(query.official)}`);
  return parts.join(' AND ');
}

/** The WHERE of a query over its whole period. */
function where(query: StatisticsQuery): { text: string; bind: unknown[] } {
  const bind: unknown[] = [iso(query.asOf)];
  return { text: rowsWhere(query, [{ from: query.from, to: query.to }], bind), bind };
}

/** The group key over counters (`scope` is the agency of agency rows). */
const COUNTER_GROUP: Partial<Record<StatisticsGroupBy, string>> = {
  none: "''",
  agency: 'scope',
  province: 'province',
  procedure: 'procedure_code',
  month: "to_char(period, 'YYYY-MM')",
};

const ADDITIVE_COLUMNS = MEASURES.map(([column]) => column);

function emptyCounts(key: string): StatisticsCounts {
  return {
    key,
    dossiers: 0,
    received: 0,
    online: 0,
    desk: 0,
    post: 0,
    onlineWithEResult: 0,
    finished766: { early: 0, onTime: 0, late: 0 },
    finishedLegal: { early: 0, onTime: 0, late: 0 },
    inProgress766: { onTime: 0, overdue: 0 },
    inProgressLegal: { onTime: 0, overdue: 0 },
    withSupplement: 0,
    supplementRequests: 0,
    refused: 0,
    rejected: 0,
    stopped: 0,
    withdrawn: 0,
    timed: 0,
    workingDaysSum: 0,
    workingDaysP90: null,
    feeBearing: 0,
    feeBearingPaidOnline: 0,
    withResult: 0,
    eResult: 0,
    digitised: 0,
  };
}

/** Adds a row of additive sums (columns named as the counters') to a group. */
function addAdditive(c: StatisticsCounts, r: Record<string, unknown>): void {
  c.dossiers += n(r.dossiers);
  c.received += n(r.received);
  c.online += n(r.online);
  c.desk += n(r.desk);
  c.post += n(r.post);
  c.onlineWithEResult += n(r.online_e);
  c.finished766.early += n(r.f766_early);
  c.finished766.onTime += n(r.f766_on_time);
  c.finished766.late += n(r.f766_late);
  c.finishedLegal.early += n(r.flegal_early);
  c.finishedLegal.onTime += n(r.flegal_on_time);
  c.finishedLegal.late += n(r.flegal_late);
  c.withSupplement += n(r.with_supplement);
  c.supplementRequests += n(r.supplement_requests);
  c.refused += n(r.refused);
  c.rejected += n(r.rejected);
  c.stopped += n(r.stopped);
  c.withdrawn += n(r.withdrawn);
  c.timed += n(r.timed);
  // Hundredths of working days, summed as integers; the sum is exact until the division.
  c.workingDaysSum = (Math.round(c.workingDaysSum * 1000) + n(r.working_millidays)) / 1000;
  c.feeBearing += n(r.fee_bearing);
  c.feeBearingPaidOnline += n(r.fee_paid_online);
  c.withResult += n(r.with_result);
  c.eResult += n(r.e_result);
  c.digitised += n(r.digitised);
}

const n = (v: unknown): number => Number(v ?? 0);
const count = (name: string, condition: string) => `count(*) FILTER (WHERE ${condition}) AS "${name}"`;

/** The additive sums of rows of the given ranges, per group. */
function rowsSums(tx: TransactionSql, query: StatisticsQuery, ranges: readonly Range[]): Promise<Array<Record<string, any>>> {
  const bind: unknown[] = [iso(query.asOf)];
  const text = rowsWhere(query, ranges, bind);
  return tx.select(`SELECT ${GROUP[query.groupBy ?? 'none']} AS key, ${MEASURES.map(([c, e]) => `sum(${measureSql(e)}) AS ${c}`).join(', ')} FROM dossier_statistics WHERE ${text} GROUP BY 1`, bind);
}

/**
 * `grain = … AND period = ANY(…)` for each grain of the plan that has periods (years, months and,
 * when asked, days), OR-ed by the caller; the dates are bound through `param`.
 */
function periodFilters(plan: CounterPlan, param: (value: unknown) => string, withDays: boolean): string[] {
  const grains: ReadonlyArray<readonly [string, readonly string[]]> = [['y', plan.years], ['m', plan.months], ...(withDays ? [['d', plan.days] as const] : [])];
  return grains.filter(([, dates]) => dates.length > 0).map(([grain, dates]) => `(grain = '${grain}' AND period = ANY(string_to_array(${param(dates.join(','))}, ',')::date[]))`);
}

/** The additive sums of the counters the plan names, per group. */
async function countersSums(tx: TransactionSql, query: StatisticsQuery, plan: CounterPlan): Promise<Array<Record<string, any>>> {
  const bind: unknown[] = [];
  const param = (value: unknown): string => {
    bind.push(value);
    return `$${bind.length}`;
  };
  const periods = periodFilters(plan, param, true);
  if (periods.length === 0) return [];
  const parts = [plan.scope === '*' ? "scope = '*'" : query.agency !== undefined ? `scope = ${param(query.agency)}` : "scope <> '*'", `(${periods.join(' OR ')})`];
  if (query.province !== undefined) parts.push(`province = ${param(query.province)}`);
  if (query.procedureCode !== undefined) parts.push(`procedure_code = ${param(query.procedureCode)}`);
  return tx.select(
    `SELECT ${COUNTER_GROUP[query.groupBy ?? 'none']} AS key, ${ADDITIVE_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ')} FROM dossier_statistics_counters WHERE ${parts.join(' AND ')} GROUP BY 1`,
    bind,
  );
}

/**
 * The 90th percentile of working days (nearest rank, in hundredths, as percentile_disc over
 * rows) of a province-wide query: whole years and months from the histogram, the other days
 * from rows; per group key.
 */
async function p90FromHistogram(tx: TransactionSql, query: StatisticsQuery, plan: CounterPlan): Promise<Map<string, number | null>> {
  const bind: unknown[] = [];
  const param = (value: unknown): string => {
    bind.push(value);
    return `$${bind.length}`;
  };
  const periods = periodFilters(plan, param, false);
  const byKey = new Map<string, Map<number, number>>();
  const add = (key: unknown, centidays: unknown, dossiers: unknown) => {
    const k = String(key);
    let h = byKey.get(k);
    if (!h) byKey.set(k, (h = new Map()));
    h.set(n(centidays), (h.get(n(centidays)) ?? 0) + n(dossiers));
  };
  if (periods.length > 0) {
    const parts = [`(${periods.join(' OR ')})`];
    if (query.province !== undefined) parts.push(`province = ${param(query.province)}`);
    const key = { none: "''", province: 'province', month: "to_char(period, 'YYYY-MM')" }[query.groupBy as 'none' | 'province' | 'month'] ?? "''";
    for (const r of await tx.select(`SELECT ${key} AS key, centidays, sum(dossiers) AS dossiers FROM dossier_statistics_days WHERE ${parts.join(' AND ')} GROUP BY 1, 2`, bind)) add(r.key, r.centidays, r.dossiers);
  }
  const ranges: Range[] = plan.days.map((day) => ({ from: Date.parse(`${day}T00:00:00+07:00`), to: Date.parse(`${day}T00:00:00+07:00`) + 86_400_000 }));
  for (const r of plan.rows) ranges.push({ ...r });
  ranges.sort((a, b) => a.from - b.from);
  // Contiguous days as one range: one index range scan, not an OR of days.
  for (let i = ranges.length - 1; i > 0; i--) {
    if (ranges[i - 1].to >= ranges[i].from) {
      ranges[i - 1].to = Math.max(ranges[i - 1].to, ranges[i].to);
      ranges.splice(i, 1);
    }
  }
  if (ranges.length > 0) {
    const rowsBind: unknown[] = [iso(query.asOf)];
    const text = rowsWhere(query, ranges, rowsBind);
    for (const r of await tx.select(`SELECT ${GROUP[query.groupBy ?? 'none']} AS key, ${CENTIDAYS} AS centidays, count(*) AS dossiers FROM dossier_statistics WHERE ${text} AND working_days IS NOT NULL GROUP BY 1, 2`, rowsBind)) {
      add(r.key, r.centidays, r.dossiers);
    }
  }
  const result = new Map<string, number | null>();
  for (const [key, h] of byKey) {
    const values = [...h.entries()].filter(([, count]) => count !== 0).sort((a, b) => a[0] - b[0]);
    const total = values.reduce((sum, [, count]) => sum + count, 0);
    if (total <= 0) continue;
    const rank = Math.max(1, Math.ceil(0.9 * total));
    let seen = 0;
    for (const [centidays, count] of values) {
      seen += count;
      if (seen >= rank) {
        result.set(key, centidays / 100);
        break;
      }
    }
  }
  return result;
}

/** The counters' part of the upsert: the difference of the new and old rows (CTE `changed`), on this connection's stripe. */
const STRIPE = '(pg_backend_pid() % 8)::smallint';
const UPSERT_COUNTERS = addCountersSql('changed', STRIPE);
const UPSERT_DAYS = addDaysSql('changed', STRIPE);

/**
 * A dossier's statistics row, inserted or brought up to date ($1 the dossier … $22 whether the
 * result was electronic), with the counters and the days histogram moved by the difference
 * between the old row and the new one. One text, built once (see textsByCount in pipelined-sql.ts).
 */
const UPSERT_ROW = `WITH old AS (SELECT * FROM dossier_statistics WHERE dossier_id = $1::text),
 new AS (INSERT INTO dossier_statistics (dossier_id, code, agency, province, procedure_code, official, channel, status, submitted_at, received_at, counted_at, finished_at,
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
   e_result = CASE WHEN $22::boolean IS NULL THEN dossier_statistics.e_result ELSE excluded.e_result END
 RETURNING *),
 changed AS (SELECT 1 AS delta_sign, * FROM new UNION ALL SELECT -1 AS delta_sign, * FROM old),
 days AS (${UPSERT_DAYS})
 ${UPSERT_COUNTERS}`;

/** `counters: false` reads every figure from rows (the reference the counters are tested against). */
export function createSequelizeStatisticsStore(options: { counters?: boolean } = {}): StatisticsStore {
  const useCounters = options.counters ?? true;
  return {
    async upsert(tx: TransactionSql, row: StatisticsRow) {
      await tx.run(
        UPSERT_ROW,
        [
          row.dossierId, row.code, row.agency, row.province, row.procedureCode, row.official ?? null, row.channel, row.status,
          iso(row.submittedAt), iso(row.receivedAt), iso(row.finishedAt), iso(row.due766At), iso(row.legalDueAt), iso(row.measureEndAt),
          row.forcedLate766, row.redated, row.supplementRequests, row.timeliness766 ?? null, row.timelinessLegal ?? null, row.workingDays ?? null,
          row.paidOnline, row.eResult ?? null,
        ],
      );
    },

    async counts(tx, query) {
      const groupBy = query.groupBy ?? 'none';
      const groups = new Map<string, StatisticsCounts>();
      const group = (key: unknown): StatisticsCounts => {
        const k = String(key);
        let c = groups.get(k);
        if (!c) groups.set(k, (c = emptyCounts(k)));
        return c;
      };
      const plan = useCounters ? counterPlan(query) : undefined;
      if (plan) {
        for (const r of await countersSums(tx, query, plan)) addAdditive(group(r.key), r);
        if (plan.rows.length > 0) for (const r of await rowsSums(tx, query, plan.rows)) addAdditive(group(r.key), r);
      } else {
        for (const r of await rowsSums(tx, query, [{ from: query.from, to: query.to }])) addAdditive(group(r.key), r);
      }
      // What counters cannot hold, from rows of the whole period: the dossiers in progress against asOf, the 90th percentile.
      const w = where(query);
      const key = GROUP[groupBy];
      const histogram = plan && plan.scope === '*' && query.procedureCode === undefined && (groupBy === 'none' || groupBy === 'province' || groupBy === 'month');
      const rows = await tx.select(
        `SELECT ${key} AS key, 'open' AS part, ${count('p766o', `NOT ${OVERDUE_766}`)}, ${count('p766l', OVERDUE_766)}, ${count('plgo', `NOT ${OVERDUE_LEGAL}`)}, ${count('plgl', OVERDUE_LEGAL)}, NULL::numeric AS "wdP90"
           FROM dossier_statistics WHERE ${w.text} AND received_at IS NOT NULL AND finished_at IS NULL GROUP BY 1
         ${histogram ? '' : `UNION ALL
         SELECT ${key} AS key, 'timed' AS part, 0, 0, 0, 0, percentile_disc(0.9) WITHIN GROUP (ORDER BY ${CENTIDAYS}) AS "wdP90"
           FROM dossier_statistics WHERE ${w.text} AND working_days IS NOT NULL GROUP BY 1`}`,
        w.bind,
      );
      if (histogram) for (const [k, p90] of await p90FromHistogram(tx, query, plan)) group(k).workingDaysP90 = p90;
      for (const r of rows) {
        const c = group(r.key);
        if (r.part === 'open') {
          c.inProgress766 = { onTime: n(r.p766o), overdue: n(r.p766l) };
          c.inProgressLegal = { onTime: n(r.plgo), overdue: n(r.plgl) };
        } else {
          c.workingDaysP90 = r.wdP90 === null || r.wdP90 === undefined ? null : n(r.wdP90) / 100;
        }
      }
      return [...groups.values()].filter((c) => c.dossiers > 0).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    async dossiers(tx, query, which, page) {
      const w = where(query);
      const param = (value: unknown): string => {
        w.bind.push(value);
        return `$${w.bind.length}`;
      };
      // Counted by asOf ($1): the same rows on every page of a walk whose asOf is pinned by its cursor.
      const parts = [w.text, CONDITIONS[which], 'counted_at <= $1::timestamptz'];
      if (page.after) {
        // (counted_at, dossier_id) > (after): the first conjunct is the index range, the second the tie on one instant.
        const at = param(iso(page.after.countedAt));
        parts.push(`counted_at >= ${at}::timestamptz`, `(counted_at > ${at}::timestamptz OR dossier_id > ${param(page.after.dossierId)}::text)`);
      }
      const rows = await tx.select(
        `SELECT dossier_id, code, agency, procedure_code, official, channel, status, counted_at, received_at, finished_at, due_766_at, legal_due_at, timeliness_766, timeliness_legal, supplement_requests, working_days
         FROM dossier_statistics WHERE ${parts.join(' AND ')} ORDER BY counted_at, dossier_id LIMIT ${param(page.limit)}`,
        w.bind,
      );
      return rows.map(
        (r): CountedDossier => ({
          dossierId: r.dossier_id,
          code: r.code,
          countedAt: ms(r.counted_at)!,
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
