/**
 * What the statistics count, as SQL over one `dossier_statistics` row, shared by the two ways
 * a figure is reached (onestop/src/store-sequelize/sequelize-statistics-store.ts):
 *  - from rows: `sum(<measure>)` over the rows of the period (drill-downs, official, channel,
 *    and the edges of a period that no counter covers);
 *  - from counters: `dossier_statistics_counters` (migration 0025) keeps, per key, the sum of
 *    each measure, moved by `measure(new row) − measure(old row)` in the statement that
 *    rewrites the dossier's row (the dossier's transaction).
 * The same expressions on both sides, so the two give identical figures by construction
 * (and test/integration/statistics-counters.test.ts checks it on random histories).
 *
 * Only what does not depend on the moment the figures are taken is counted: a dossier in
 * progress on time or overdue depends on `asOf` (read from rows through a partial index of
 * the dossiers in progress), and the 90th percentile of working days is no sum (read from
 * rows through a partial index of the timed dossiers).
 *
 * A change of a measure here changes what the counters mean: it needs a migration that
 * rebuilds them (`rebuildCountersSql`).
 */

/** Conditions on a row; `$1` is `asOf` in the in-progress ones. */
export const RECEIVED = 'received_at IS NOT NULL';
export const IN_PROGRESS = `${RECEIVED} AND finished_at IS NULL`;
export const WITH_RESULT = `status IN ('result-ready', 'returned')`;
export const OVERDUE_766 = `(forced_late_766 OR coalesce(measure_end_at, $1::timestamptz) > due_766_at)`;
export const OVERDUE_LEGAL = `(redated OR coalesce(measure_end_at, $1::timestamptz) > legal_due_at)`;

/** The additive measures: column of the counters table → integer expression over a row. */
export const MEASURES: ReadonlyArray<readonly [string, string]> = [
  ['dossiers', '1'],
  ['received', RECEIVED],
  ['online', `${RECEIVED} AND channel = 'online'`],
  ['desk', `${RECEIVED} AND channel = 'desk'`],
  ['post', `${RECEIVED} AND channel = 'post'`],
  ['online_e', `${RECEIVED} AND channel = 'online' AND (e_result OR NOT ${WITH_RESULT})`],
  ['f766_early', `timeliness_766 = 'early'`],
  ['f766_on_time', `timeliness_766 = 'on-time'`],
  ['f766_late', `timeliness_766 = 'late'`],
  ['flegal_early', `timeliness_legal = 'early'`],
  ['flegal_on_time', `timeliness_legal = 'on-time'`],
  ['flegal_late', `timeliness_legal = 'late'`],
  ['in_progress', IN_PROGRESS],
  ['with_supplement', 'supplement_requests > 0'],
  ['supplement_requests', '#supplement_requests'],
  ['refused', `status = 'refused'`],
  ['rejected', `status = 'rejected'`],
  ['stopped', `status = 'stopped'`],
  ['withdrawn', `status = 'withdrawn'`],
  ['timed', 'working_days IS NOT NULL'],
  // Working days summed in thousandths, as integers: the same sum whatever the order of the rows,
  // and exact for every whole working hour (an hour is 0.125 of an 8-hour day).
  ['working_millidays', '#round(working_days::numeric * 1000)'],
  ['fee_bearing', `${RECEIVED} AND fee > 0`],
  ['fee_paid_online', `${RECEIVED} AND fee > 0 AND paid_online`],
  ['with_result', WITH_RESULT],
  ['e_result', `${WITH_RESULT} AND e_result`],
  ['digitised', `${WITH_RESULT} AND e_result AND digitised_inputs`],
];

/** The integer value of a measure over a row (`alias.` prefixes nothing: the columns are unqualified). */
export function measureSql(expression: string): string {
  return expression.startsWith('#') ? `coalesce((${expression.slice(1)})::bigint, 0)` : `coalesce((${expression})::int, 0)`;
}

/** The local (Vietnam) time of a row's period start; the counters' days, months and years are local. */
const LOCAL = `(counted_at AT TIME ZONE 'Asia/Ho_Chi_Minh')`;

/**
 * The counter keys of a row: per agency by year and month; per province (scope '*') by year,
 * month and day. An agency's days are few (read from rows); a province's are many.
 */
export const KEYS_LATERAL = `CROSS JOIN LATERAL (VALUES
  (agency, 'y', date_trunc('year', ${LOCAL})::date),
  (agency, 'm', date_trunc('month', ${LOCAL})::date),
  ('*', 'y', date_trunc('year', ${LOCAL})::date),
  ('*', 'm', date_trunc('month', ${LOCAL})::date),
  ('*', 'd', ${LOCAL}::date)) AS k(scope, grain, period)`;

export const COUNTER_KEY = ['scope', 'province', 'grain', 'period', 'procedure_code', 'stripe'] as const;

/**
 * INSERT … SELECT of counter deltas from the rows of `source` (a FROM item with the columns
 * of `dossier_statistics` and an integer `delta_sign`), added to the counters already there.
 * `stripe` spreads concurrent writers of one key over several rows (their sum is the count):
 * two dossiers of the same agency, procedure and day changed at once do not wait for each
 * other's commit. A delta that moves nothing is not written.
 */
export function addCountersSql(source: string, stripe: string): string {
  const sums = MEASURES.map(([, e]) => `sum(delta_sign * ${measureSql(e)})`);
  return `INSERT INTO dossier_statistics_counters (${COUNTER_KEY.join(', ')}, ${MEASURES.map(([c]) => c).join(', ')})
SELECT k.scope, province, k.grain, k.period, procedure_code, ${stripe}, ${sums.join(', ')}
FROM ${source} ${KEYS_LATERAL}
GROUP BY k.scope, province, k.grain, k.period, procedure_code
HAVING ${sums.map((s) => `${s} <> 0`).join(' OR ')}
ORDER BY k.scope, province, k.grain, k.period, procedure_code
ON CONFLICT (${COUNTER_KEY.join(', ')}) DO UPDATE SET ${MEASURES.map(([c]) => `${c} = dossier_statistics_counters.${c} + excluded.${c}`).join(', ')}`;
}

/** A row's working days in hundredths: the unit of the histogram and of the 90th percentile, on both sides. */
export const CENTIDAYS = 'round(working_days::numeric * 100)::integer';

/**
 * The working-days histogram of provinces (`dossier_statistics_days`, by year and month): the
 * 90th percentile of a province's period is read from it, not from its ~100,000 rows.
 * Same form as {@link addCountersSql}: from `source` rows with a `delta_sign`.
 */
export function addDaysSql(source: string, stripe: string): string {
  return `INSERT INTO dossier_statistics_days (province, grain, period, centidays, stripe, dossiers)
SELECT province, k.grain, k.period, ${CENTIDAYS}, ${stripe}, sum(delta_sign)
FROM ${source} CROSS JOIN LATERAL (VALUES ('y', date_trunc('year', ${LOCAL})::date), ('m', date_trunc('month', ${LOCAL})::date)) AS k(grain, period)
WHERE working_days IS NOT NULL
GROUP BY province, k.grain, k.period, ${CENTIDAYS}
HAVING sum(delta_sign) <> 0
ORDER BY province, k.grain, k.period, ${CENTIDAYS}
ON CONFLICT (province, grain, period, centidays, stripe) DO UPDATE SET dossiers = dossier_statistics_days.dossiers + excluded.dossiers`;
}

/**
 * Empties the counters and counts every row again (the migration's backfill; the bench after
 * loading rows): two passes over the rows (agencies by month, provinces by day), the other
 * keys rolled up from the counters themselves. All on stripe 0.
 */
export function rebuildCountersSql(): string[] {
  const columns = `${COUNTER_KEY.join(', ')}, ${MEASURES.map(([c]) => c).join(', ')}`;
  const fromRows = MEASURES.map(([, e]) => `sum(${measureSql(e)})`).join(', ');
  const rollUp = MEASURES.map(([c]) => `sum(${c})`).join(', ');
  const insert = (select: string) => `INSERT INTO dossier_statistics_counters (${columns}) ${select}`;
  return [
    'DELETE FROM dossier_statistics_counters',
    'DELETE FROM dossier_statistics_days',
    addDaysSql('(SELECT 1 AS delta_sign, province, working_days, counted_at FROM dossier_statistics WHERE working_days IS NOT NULL) AS c', '0'),
    insert(`SELECT agency, province, 'm', date_trunc('month', ${LOCAL})::date, procedure_code, 0, ${fromRows} FROM dossier_statistics GROUP BY 1, 2, 4, 5`),
    insert(`SELECT '*', province, 'd', ${LOCAL}::date, procedure_code, 0, ${fromRows} FROM dossier_statistics GROUP BY 2, 4, 5`),
    insert(`SELECT scope, province, 'y', date_trunc('year', period::timestamp)::date, procedure_code, 0, ${rollUp} FROM dossier_statistics_counters WHERE grain = 'm' GROUP BY 1, 2, 4, 5`),
    insert(`SELECT '*', province, grain, period, procedure_code, 0, ${rollUp} FROM dossier_statistics_counters WHERE grain IN ('m', 'y') AND scope <> '*' GROUP BY 2, 3, 4, 5`),
  ];
}
