/**
 * The statistics counters (migration 0025) against the rows, on both databases: random
 * dossiers go through random successive projection rows (status changes back and forth,
 * receipts that move a dossier to another day, finishes, late ones re-dated or with two
 * supplement requests, supplement pauses that end the measure at the request, e-results kept
 * once known), some two changes in one transaction as a command of several steps writes them;
 * then random periods (aligned on local days, months, years or not at all), filters and
 * groupings give the same figures from counters as from rows, and counters rebuilt from the
 * rows (the migration's backfill) equal the ones moved change by change.
 */
import fc from 'fast-check';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import type { StatisticsRow } from '../../../onestop/src/statistics/projection';
import type { StatisticsGroupBy, StatisticsQuery } from '../../../onestop/src/statistics/statistics-store';
import { createSequelizeStatisticsStore } from '../../../onestop/src/store-sequelize/sequelize-statistics-store';
import { MEASURES, rebuildCountersSql } from '../../../onestop/src/store-sequelize/statistics-measures';
import { openTestDatabase, testDatabases } from '../../support/databases';

const vn = (s: string): number => Date.parse(`${s}+07:00`);
/** The histories run from 20/12/2025 to 10/02/2026: across a year, months and many local midnights. */
const T0 = vn('2025-12-20T00:00:00');
const SPAN_MINUTES = 52 * 24 * 60;
const AGENCIES = [
  { agency: '000.01.00.H01', province: 'H01' },
  { agency: '000.02.00.H01', province: 'H01' },
  { agency: '000.01.00.H02', province: 'H02' },
];
const PROCEDURES = ['P1', 'P2', 'P3'];
const STATUSES = ['submitted', 'received', 'processing', 'supplement-requested', 'supplemented', 'result-ready', 'returned', 'refused', 'rejected', 'stopped', 'withdrawn'] as const;

/** A moment of the span, often a few minutes around a local midnight. */
const moment = fc.oneof(
  fc.integer({ min: 0, max: SPAN_MINUTES }).map((m) => T0 + m * 60_000),
  fc.tuple(fc.integer({ min: 0, max: 51 }), fc.integer({ min: -3, max: 3 })).map(([day, minute]) => T0 + day * 86_400_000 + minute * 60_000),
);

const version = fc.record({
  status: fc.constantFrom(...STATUSES),
  submittedAt: moment,
  receivedAt: fc.option(moment, { nil: undefined }),
  finishedAt: fc.option(moment, { nil: undefined }),
  due766At: moment,
  legalDueAt: moment,
  measureEndAt: fc.option(moment, { nil: undefined }),
  redated: fc.boolean(),
  supplementRequests: fc.integer({ min: 0, max: 2 }),
  timeliness766: fc.option(fc.constantFrom('early' as const, 'on-time' as const, 'late' as const), { nil: undefined }),
  timelinessLegal: fc.option(fc.constantFrom('early' as const, 'on-time' as const, 'late' as const), { nil: undefined }),
  workingDays: fc.option(fc.oneof(fc.integer({ min: 0, max: 3000 }).map((c) => c / 100), fc.integer({ min: 0, max: 4_000_000 }).map((x) => x / 99_991)), { nil: undefined }),
  paidOnline: fc.boolean(),
  eResult: fc.option(fc.boolean(), { nil: undefined }),
  /** Written in the same transaction as the version before it. */
  sameTransaction: fc.boolean(),
});

const dossier = fc.record({
  where: fc.integer({ min: 0, max: AGENCIES.length - 1 }),
  procedure: fc.constantFrom(...PROCEDURES),
  channel: fc.constantFrom('online' as const, 'desk' as const, 'post' as const),
  fee: fc.constantFrom(0, 20_000),
  digitised: fc.boolean(),
  official: fc.option(fc.constantFrom('u1', 'u2'), { nil: undefined }),
  versions: fc.array(version, { minLength: 1, maxLength: 5 }),
});

/** A period bound: any moment, or a local midnight, a month's or a year's start. */
const bound = fc.oneof(
  moment,
  fc.integer({ min: 0, max: 52 }).map((day) => T0 + day * 86_400_000),
  fc.constantFrom(vn('2025-12-01T00:00:00'), vn('2026-01-01T00:00:00'), vn('2026-02-01T00:00:00'), vn('2026-03-01T00:00:00'), vn('2025-01-01T00:00:00'), vn('2027-01-01T00:00:00')),
);

const query = fc
  .record({
    a: bound,
    b: bound,
    asOf: moment,
    agency: fc.option(fc.constantFrom(...AGENCIES.map((a) => a.agency)), { nil: undefined }),
    province: fc.option(fc.constantFrom('H01', 'H02'), { nil: undefined }),
    procedureCode: fc.option(fc.constantFrom(...PROCEDURES), { nil: undefined }),
    groupBy: fc.constantFrom<StatisticsGroupBy>('none', 'agency', 'province', 'procedure', 'month'),
  })
  .filter((q) => q.a !== q.b)
  .map(({ a, b, ...rest }): StatisticsQuery => {
    const q: StatisticsQuery = { from: Math.min(a, b), to: Math.max(a, b), asOf: rest.asOf, groupBy: rest.groupBy };
    if (rest.agency) q.agency = rest.agency;
    if (rest.province) q.province = rest.province;
    if (rest.procedureCode) q.procedureCode = rest.procedureCode;
    return q;
  });

describe.each(testDatabases())('statistics counters against rows on $name', ({ name }) => {
  let db: Database;
  let store: EngineStore;
  const counted = createSequelizeStatisticsStore();
  const fromRows = createSequelizeStatisticsStore({ counters: false });
  let run = 0;

  beforeAll(async () => {
    db = await openTestDatabase(name);
    store = createSequelizeEngineStore(db);
  });

  afterAll(async () => {
    await store.close();
  });

  /** The counters summed over stripes, per key, without the keys that count nothing. */
  const counterTotals = () =>
    store.transaction((tx) =>
      tx.sql.select(
        `SELECT scope, province, grain, period::text AS period, procedure_code, ${MEASURES.map(([c]) => `sum(${c})::text AS ${c}`).join(', ')}
         FROM dossier_statistics_counters GROUP BY 1, 2, 3, 4, 5 HAVING ${MEASURES.map(([c]) => `sum(${c}) <> 0`).join(' OR ')} ORDER BY 1, 2, 3, 4, 5`,
      ),
    );

  /** The working-days histogram summed over stripes. */
  const dayTotals = () =>
    store.transaction((tx) =>
      tx.sql.select(`SELECT province, grain, period::text AS period, centidays, sum(dossiers)::text AS dossiers FROM dossier_statistics_days GROUP BY 1, 2, 3, 4 HAVING sum(dossiers) <> 0 ORDER BY 1, 2, 3, 4`),
    );

  it('should give the same figures from counters as from rows, and counters rebuilt from rows equal those moved change by change', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(dossier, { minLength: 1, maxLength: 20 }), fc.array(query, { minLength: 6, maxLength: 6 }), async (dossiers, queries) => {
        run++;
        await store.transaction(async (tx) => {
          await tx.sql.run('DELETE FROM dossier_statistics_counters');
          await tx.sql.run('DELETE FROM dossier_statistics_days');
          await tx.sql.run('DELETE FROM dossier_statistics');
          await tx.sql.run('DELETE FROM dossiers');
        });
        // given the dossier rows the projection reads the fee and the digitised inputs from
        await store.transaction(async (tx) => {
          for (const [i, d] of dossiers.entries()) {
            const { agency } = AGENCIES[d.where];
            await tx.sql.run(
              `INSERT INTO dossiers (id, code, agency, agencies, procedure_code, procedure_version, status, channel, submitted_at, submitted_by, tracking_hash, state, details, applicant, revision, updated_at)
               VALUES ($1, $2, $3, ARRAY[$3], $4, 1, 'submitted', $5, now(), 'u1', 'h', '{}'::jsonb, $6::jsonb, '{}'::jsonb, 1, now())`,
              [`d${run}-${i}`, `C${run}-${i}`, agency, d.procedure, d.channel, JSON.stringify({ documents: [{ code: 'X', form: 'copy', digitised: d.digitised }], fee: { amount: d.fee } })],
            );
          }
        });
        // when each dossier's rows are written in order, the dossiers interleaved, some two in one transaction
        const rowOf = (i: number, v: number): StatisticsRow => {
          const d = dossiers[i];
          const x = d.versions[v];
          return {
            dossierId: `d${run}-${i}`,
            code: `C${run}-${i}`,
            agency: AGENCIES[d.where].agency,
            province: AGENCIES[d.where].province,
            procedureCode: d.procedure,
            ...(d.official && x.receivedAt !== undefined ? { official: d.official } : {}),
            channel: d.channel,
            status: x.status,
            submittedAt: x.submittedAt,
            ...(x.receivedAt !== undefined ? { receivedAt: x.receivedAt, due766At: x.due766At, legalDueAt: x.legalDueAt } : {}),
            ...(x.finishedAt !== undefined ? { finishedAt: x.finishedAt, timeliness766: x.timeliness766, timelinessLegal: x.timelinessLegal, workingDays: x.workingDays } : {}),
            ...(x.measureEndAt !== undefined && x.finishedAt === undefined ? { measureEndAt: x.measureEndAt } : {}),
            forcedLate766: x.redated || x.supplementRequests > 1,
            redated: x.redated,
            supplementRequests: x.supplementRequests,
            paidOnline: x.paidOnline,
            ...(x.eResult !== undefined ? { eResult: x.eResult } : {}),
          };
        };
        const batches: Array<Array<[number, number]>> = [];
        const rounds = Math.max(...dossiers.map((d) => d.versions.length));
        for (let v = 0; v < rounds; v++) {
          dossiers.forEach((d, i) => {
            if (v >= d.versions.length) return;
            const last = batches[batches.length - 1];
            if (v > 0 && d.versions[v].sameTransaction && last && last[last.length - 1][0] === i) last.push([i, v]);
            else batches.push([[i, v]]);
          });
        }
        for (const batch of batches) {
          await store.transaction(async (tx) => {
            for (const [i, v] of batch) await counted.upsert(tx.sql, rowOf(i, v));
          });
        }
        // then every query gives the same figures from counters as from rows
        // (and always whole months and a year, as the reports ask most: counters and the working-days histogram alone)
        const asOf = vn('2026-01-15T00:00:00');
        const whole: StatisticsQuery[] = [
          { from: vn('2026-01-01T00:00:00'), to: vn('2026-02-01T00:00:00'), asOf, groupBy: 'none' },
          { from: vn('2025-12-01T00:00:00'), to: vn('2026-03-01T00:00:00'), asOf, groupBy: 'month' },
          { from: vn('2026-01-01T00:00:00'), to: vn('2027-01-01T00:00:00'), asOf, groupBy: 'province' },
          { from: vn('2025-01-01T00:00:00'), to: vn('2026-01-20T00:00:00'), asOf, province: 'H01', groupBy: 'none' },
        ];
        for (const q of [...whole, ...queries]) {
          const [a, b] = await store.transaction(async (tx) => [await counted.counts(tx.sql, q), await fromRows.counts(tx.sql, q)]);
          expect({ q, counts: a }).toEqual({ q, counts: b });
        }
        // and counters rebuilt from the rows are the same as the ones moved change by change
        const moved = [await counterTotals(), await dayTotals()];
        await store.transaction(async (tx) => {
          for (const statement of rebuildCountersSql()) await tx.sql.run(statement);
        });
        expect([await counterTotals(), await dayTotals()]).toEqual(moved);
      }),
      { numRuns: 15 },
    );
  }, 300_000);

  it('should move the counters of a dossier that changes status, day and outcome, and count it once', async () => {
    await store.transaction(async (tx) => {
      await tx.sql.run('DELETE FROM dossier_statistics_counters');
      await tx.sql.run('DELETE FROM dossier_statistics_days');
      await tx.sql.run('DELETE FROM dossier_statistics');
      await tx.sql.run('DELETE FROM dossiers');
      await tx.sql.run(
        `INSERT INTO dossiers (id, code, agency, agencies, procedure_code, procedure_version, status, channel, submitted_at, submitted_by, tracking_hash, state, details, applicant, revision, updated_at)
         VALUES ('x', 'CX', '000.01.00.H01', ARRAY['000.01.00.H01'], 'P1', 1, 'submitted', 'online', now(), 'u1', 'h', '{}'::jsonb, '{"documents":[],"fee":{"amount":20000}}'::jsonb, '{}'::jsonb, 1, now())`,
      );
    });
    const base: StatisticsRow = { dossierId: 'x', code: 'CX', agency: '000.01.00.H01', province: 'H01', procedureCode: 'P1', channel: 'online', status: 'submitted', submittedAt: vn('2026-01-30T23:50:00'), forcedLate766: false, redated: false, supplementRequests: 0, paidOnline: true };
    const write = (row: StatisticsRow) => store.transaction((tx) => counted.upsert(tx.sql, row));
    const january = { from: vn('2026-01-01T00:00:00'), to: vn('2026-02-01T00:00:00'), asOf: vn('2026-02-05T00:00:00') };
    const february = { from: vn('2026-02-01T00:00:00'), to: vn('2026-03-01T00:00:00'), asOf: vn('2026-02-05T00:00:00') };
    const counts = async (q: StatisticsQuery) => (await store.transaction((tx) => counted.counts(tx.sql, q)))[0];
    // given an online dossier submitted on 30/1 (counted in January, not received)
    await write(base);
    expect(await counts(january)).toMatchObject({ dossiers: 1, received: 0 });
    // when it is accepted on 2/2 it moves to February, received
    const received = { ...base, status: 'processing' as const, receivedAt: vn('2026-02-02T08:00:00'), due766At: vn('2026-02-11T08:00:00'), legalDueAt: vn('2026-02-11T08:00:00') };
    await write(received);
    expect(await counts(january)).toBeUndefined();
    expect(await counts(february)).toMatchObject({ dossiers: 1, received: 1, online: 1, feeBearing: 1, feeBearingPaidOnline: 1, inProgress766: { onTime: 1, overdue: 0 } });
    // a supplement asked for on 3/2 pauses its measure there; a second request makes it late by Decision 766
    await write({ ...received, status: 'supplement-requested', measureEndAt: vn('2026-02-03T08:00:00'), supplementRequests: 2, forcedLate766: true });
    expect(await counts(february)).toMatchObject({ withSupplement: 1, supplementRequests: 2, inProgress766: { onTime: 0, overdue: 1 }, inProgressLegal: { onTime: 1, overdue: 0 } });
    // when its result is ready on 13/2, electronically, it is finished late, no longer in progress
    await write({ ...received, status: 'result-ready', supplementRequests: 2, forcedLate766: true, finishedAt: vn('2026-02-13T10:00:00'), timeliness766: 'late', timelinessLegal: 'on-time', workingDays: 9.25, eResult: true });
    // and returned on 16/2 (e-result kept once known)
    await write({ ...received, status: 'returned', supplementRequests: 2, forcedLate766: true, finishedAt: vn('2026-02-13T10:00:00'), timeliness766: 'late', timelinessLegal: 'on-time', workingDays: 9.25 });
    expect(await counts(february)).toMatchObject({
      dossiers: 1,
      received: 1,
      finished766: { early: 0, onTime: 0, late: 1 },
      finishedLegal: { early: 0, onTime: 1, late: 0 },
      inProgress766: { onTime: 0, overdue: 0 },
      withResult: 1,
      eResult: 1,
      onlineWithEResult: 1,
      timed: 1,
      workingDaysSum: 9.25,
      workingDaysP90: 9.25,
    });
    const totals = await counterTotals();
    expect(totals.filter((t) => t.scope === '*' && t.grain === 'd').map((t) => [t.period, t.dossiers, t.e_result])).toEqual([['2026-02-02', '1', '1']]);
  });
});
