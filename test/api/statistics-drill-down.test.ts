/**
 * The statistics drill-down through the API, on both databases: keyset pages by an opaque
 * cursor walk every dossier counted exactly once, in the order (countedAt, dossierId), while
 * dossiers are written between the pages (at the very instant of the page's last dossier, before
 * and after it; earlier; after the walk's moment; of another agency); the cursor pins the walk's
 * moment; an agency's staff never see another agency's dossiers, whatever cursor they send; a
 * bad cursor or limit is a 400 naming it; the CSV streams every dossier, not one page.
 */
import { encodeCursor } from '../../engine/src/index';
import type { StatisticsRow } from '../../onestop/src/statistics/projection';
import { createSequelizeStatisticsStore } from '../../onestop/src/store-sequelize/sequelize-statistics-store';
import { testDatabases } from '../support/databases';
import { useApi, type ApiHarness, type Caller } from './harness';

/** A local time in Vietnam (UTC+7). */
const vn = (date: string, time = '09:00'): number => Date.parse(`${date}T${time}:00+07:00`);

const NOVEMBER = 'from=2026-11-01&to=2026-11-30';
const OCTOBER = 'from=2026-10-01&to=2026-10-31';
/** Six instants of November, several dossiers received at each. */
const INSTANTS = [vn('2026-11-02'), vn('2026-11-02', '10:00'), vn('2026-11-03'), vn('2026-11-05', '14:30'), vn('2026-11-09'), vn('2026-11-12', '16:00')];

interface Listed {
  dossierId: string;
  agency: string;
  countedAt: string;
}

describe.each(testDatabases())('statistics drill-down pages on $name', (target) => {
  let clock = vn('2026-11-20', '10:00');
  const api: ApiHarness = useApi(target, { now: () => clock });
  const statistics = createSequelizeStatisticsStore();
  let serial = 0;

  /** Dossiers received at `at`, written as the statistics sink writes them (the dossier row, then its projection row, one transaction). */
  async function receive(agency: 'A' | 'B', at: number, id = `d-${agency}-${String(++serial).padStart(4, '0')}`): Promise<string> {
    await api.store.transaction(async (tx) => {
      await tx.sql.run(
        `INSERT INTO dossiers (id, code, agency, agencies, procedure_code, procedure_version, status, channel, submitted_at, submitted_by, tracking_hash, state, details, applicant, revision, updated_at)
         VALUES ($1, $2, $3, ARRAY[$3], 'P1', 1, 'received', 'desk', $4, 'u1', 'h', '{}'::jsonb, '{}'::jsonb, '{}'::jsonb, 1, $4)`,
        [id, `C-${id}`, agency, new Date(at).toISOString()],
      );
      const row: StatisticsRow = {
        dossierId: id,
        code: `C-${id}`,
        agency,
        province: 'H01',
        procedureCode: 'P1',
        channel: 'desk',
        status: 'received',
        submittedAt: at,
        receivedAt: at,
        due766At: at + 7 * 86_400_000,
        legalDueAt: at + 7 * 86_400_000,
        forcedLate766: false,
        redated: false,
        supplementRequests: 0,
        paidOnline: false,
      };
      await statistics.upsert(tx.sql, row);
    });
    return id;
  }

  /** Walks the drill-down page by page (`between` runs after each page but the last); returns the pages. */
  async function walk(caller: Caller, query: string, between?: (page: { items: Listed[]; nextCursor: string }) => Promise<void>): Promise<Array<{ asOf: string; items: Listed[]; nextCursor?: string }>> {
    const pages: Array<{ asOf: string; items: Listed[]; nextCursor?: string }> = [];
    let cursor: string | undefined;
    for (;;) {
      const res = await api.as(caller).get(`/api/statistics/dossiers?${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect([res.status, res.body.detail]).toEqual([200, undefined]);
      pages.push(res.body);
      if (!res.body.nextCursor) return pages;
      if (pages.length > 100) throw new Error('the walk does not end');
      cursor = res.body.nextCursor;
      await between?.(res.body);
    }
  }
  const idsOf = (pages: Array<{ items: Listed[] }>) => pages.flatMap((p) => p.items.map((d) => d.dossierId));
  /** The order of the list: countedAt, then dossierId (ids of one length and alphabet: every collation sorts them alike). */
  const inListOrder = (items: Listed[]) => [...items].sort((a, b) => Date.parse(a.countedAt) - Date.parse(b.countedAt) || (a.dossierId < b.dossierId ? -1 : a.dossierId > b.dossierId ? 1 : 0));

  const originalA: string[] = [];
  const originalB: string[] = [];

  beforeAll(async () => {
    // given 23 dossiers of agency A and 8 of agency B received at six instants of November, several at each
    for (let i = 0; i < 23; i++) originalA.push(await receive('A', INSTANTS[(i * 5) % INSTANTS.length]));
    for (let i = 0; i < 8; i++) originalB.push(await receive('B', INSTANTS[i % INSTANTS.length]));
  });

  it('should walk every dossier of the agency exactly once, in order, while dossiers are written between the pages', async () => {
    clock = vn('2026-11-20', '10:00');
    const firstAsOf = new Date(clock).toISOString();
    const shown: string[] = [];
    const hidden: string[] = [];

    // when an official of A walks the received dossiers 4 at a time, and between two pages dossiers arrive
    const pages = await walk('officialA', `${NOVEMBER}&indicator=received&limit=4`, async (page) => {
      const last = page.items[page.items.length - 1];
      const at = Date.parse(last.countedAt);
      // at the instant of the page's last dossier: one sorting before it (behind the cursor: an offset would repeat a dossier), one after it
      hidden.push(await receive('A', at, `d-A-0000-${++serial}`));
      shown.push(await receive('A', at, `${last.dossierId}z`));
      // at an earlier instant (behind the cursor)
      hidden.push(await receive('A', INSTANTS[0], `d-A-0000-${++serial}`));
      // after the walk's moment (the clock moves on): not counted by the first page's asOf
      clock += 60_000;
      hidden.push(await receive('A', clock));
      // another agency's, at the same instant
      hidden.push(await receive('B', at));
    });

    // then every page is of the first page's moment, the list is in (countedAt, dossierId) order, nothing twice
    expect(pages.length).toBeGreaterThan(5);
    expect(new Set(pages.map((p) => p.asOf))).toEqual(new Set([firstAsOf]));
    expect(pages.slice(0, -1).every((p) => p.items.length === 4)).toBe(true);
    const items = pages.flatMap((p) => p.items);
    expect(items).toEqual(inListOrder(items));
    const ids = idsOf(pages);
    expect(ids.length).toBe(new Set(ids).size);
    // every dossier of A counted at the start, once; those written after the cursor's position and by its moment, once
    for (const id of [...originalA, ...shown]) expect([id, ids.filter((x) => x === id).length]).toEqual([id, 1]);
    // and none behind the cursor, after the moment, nor of agency B
    expect(ids.filter((id) => hidden.includes(id) || originalB.includes(id))).toEqual([]);
    expect(items.every((d) => d.agency === 'A')).toBe(true);
    expect(ids.length).toBe(originalA.length + shown.length);

    // and a new walk (a new moment) lists every dossier of A written so far, those of the other walk's pages included
    const again = idsOf(await walk('analyst', `${NOVEMBER}&agency=A&indicator=received&limit=7`));
    const everyA = (await api.sql<{ dossier_id: string }>(`SELECT dossier_id FROM dossier_statistics WHERE agency = 'A' AND counted_at >= $1 AND counted_at <= $2`, [new Date(vn('2026-11-01', '00:00')).toISOString(), new Date(clock).toISOString()])).map((r) => r.dossier_id);
    expect([...again].sort()).toEqual([...everyA].sort());
    expect(again.length).toBe(new Set(again).size);
  });

  it('should keep the agency scope whatever cursor is sent: another agency’s dossiers never appear', async () => {
    clock = vn('2026-11-21', '10:00');
    // given a cursor of A's walk
    const first = await api.as('officialA').get(`/api/statistics/dossiers?${NOVEMBER}&indicator=received&limit=3`);
    expect(first.body.nextCursor).toEqual(expect.any(String));

    // when an official of B walks with it, and from the start
    const withForeignCursor = await api.as('officialB').get(`/api/statistics/dossiers?${NOVEMBER}&indicator=received&limit=1000&cursor=${first.body.nextCursor}`);
    const own = idsOf(await walk('officialB', `${NOVEMBER}&indicator=received&limit=2`));

    // then only B's dossiers, each once
    expect(withForeignCursor.status).toBe(200);
    expect(withForeignCursor.body.items.length).toBeGreaterThan(0);
    expect(withForeignCursor.body.items.every((d: Listed) => d.agency === 'B')).toBe(true);
    expect(own.every((id) => id.startsWith('d-B-'))).toBe(true);
    expect(own.length).toBe(new Set(own).size);
    for (const id of originalB) expect(own).toContain(id);
    // and A's agency stays refused to B's staff
    expect((await api.as('officialB').get(`/api/statistics/dossiers?${NOVEMBER}&agency=A&indicator=received&cursor=${first.body.nextCursor}`)).status).toBe(403);
  });

  it('should answer a bad cursor or limit with a 400 naming it', async () => {
    const fields = async (query: string) => {
      const res = await api.as('officialA').get(`/api/statistics/dossiers?${NOVEMBER}&indicator=received&${query}`);
      return [res.status, (res.body.errors ?? []).map((e: { field: string }) => e.field)];
    };
    const first = await api.as('officialA').get(`/api/statistics/dossiers?${NOVEMBER}&indicator=received&limit=2`);
    expect(await fields(`cursor=${first.body.nextCursor}`)).toEqual([200, []]);
    expect(await fields('cursor=not-a-cursor')).toEqual([400, ['query.cursor']]);
    expect(await fields('cursor=a%2Bb')).toEqual([400, ['query.cursor']]);
    // the cursor of another list (tasks: due date, id), and one of the right shape with a moment no request may name
    expect(await fields(`cursor=${encodeCursor([null, 'task-1'])}`)).toEqual([400, ['query.cursor']]);
    expect(await fields(`cursor=${encodeCursor([8_000_000_000_000_000, vn('2026-11-02'), 'd-A-0001'])}`)).toEqual([400, ['query.cursor']]);
    expect(await fields(`cursor=${encodeCursor([vn('2026-11-20'), -9_000_000_000_000_000, 'd-A-0001'])}`)).toEqual([400, ['query.cursor']]);
    expect(await fields('limit=1001')).toEqual([400, ['query.limit']]);
    expect(await fields('limit=0')).toEqual([400, ['query.limit']]);
  });

  it('should page 200 by default and at most 1000, and stream every dossier as CSV', async () => {
    // given 1,250 dossiers of A and 5 of B received in October (written straight into the projection)
    clock = vn('2026-11-21', '10:00');
    const bulk = (agency: string, prefix: string, n: number) =>
      api.sql(
        `INSERT INTO dossier_statistics (dossier_id, code, agency, province, procedure_code, channel, status, submitted_at, received_at, counted_at, forced_late_766, redated, supplement_requests, fee, paid_online, e_result, digitised_inputs)
         SELECT $2 || lpad(i::text, 5, '0'), 'C-' || $2 || i, $1, 'H01', 'P1', 'desk', 'received', x.t, x.t, x.t, false, false, 0, 0, false, false, false
         FROM generate_series(1, $3::int) AS i CROSS JOIN LATERAL (SELECT $4::timestamptz + (i % 97) * interval '1 hour' AS t) AS x`,
        [agency, prefix, n, new Date(vn('2026-10-05')).toISOString()],
      );
    await bulk('A', 'bulk-a-', 1250);
    await bulk('B', 'bulk-b-', 5);

    // then a page is 200 by default, 1000 at most
    const byDefault = await api.as('officialA').get(`/api/statistics/dossiers?${OCTOBER}&indicator=received`);
    expect([byDefault.body.items.length, typeof byDefault.body.nextCursor]).toEqual([200, 'string']);
    const largest = await api.as('officialA').get(`/api/statistics/dossiers?${OCTOBER}&indicator=received&limit=1000`);
    expect([largest.body.items.length, typeof largest.body.nextCursor]).toEqual([1000, 'string']);

    // when the CSV is asked for (by ?format and by Accept)
    const csv = await api.as('officialA').get(`/api/statistics/dossiers?${OCTOBER}&indicator=received&format=csv`);
    const accepted = await api.as('officialA').get(`/api/statistics/dossiers?${OCTOBER}&indicator=received`, { headers: { accept: 'text/csv' } });

    // then it holds every dossier of A, once each, in list order: more than any page
    expect([csv.status, csv.headers.get('content-type')]).toEqual([200, 'text/csv; charset=utf-8']);
    const lines = csv.text.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe('dossierId,code,agency,procedureCode,official,channel,status,countedAt,receivedAt,finishedAt,due766At,legalDueAt,timeliness766,timelinessLegal,supplementRequests,workingDays');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.length).toBe(1250);
    expect(new Set(rows.map((r) => r[0])).size).toBe(1250);
    expect(rows.every((r) => r[2] === 'A' && r[0].startsWith('bulk-a-'))).toBe(true);
    const listed = rows.map((r) => ({ dossierId: r[0], agency: r[2], countedAt: r[7] }));
    expect(listed).toEqual(inListOrder(listed));
    expect(rows[0].slice(6, 9)).toEqual(['received', listed[0].countedAt, listed[0].countedAt]);
    expect(accepted.text).toBe(csv.text);

    // and from a cursor on, the CSV holds the rest
    const rest = await api.as('officialA').get(`/api/statistics/dossiers?${OCTOBER}&indicator=received&format=csv&cursor=${byDefault.body.nextCursor}`);
    expect(rest.text.split('\r\n').length - 2).toBe(1050);
    // and a bad cursor is a 400 before anything is streamed
    const bad = await api.as('officialA').get(`/api/statistics/dossiers?${OCTOBER}&indicator=received&format=csv&cursor=not-a-cursor`);
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'query.cursor']);
  });
});
