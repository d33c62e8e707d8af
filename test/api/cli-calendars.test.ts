/** `motcua calendar …` on both databases: list, show, load, agency hours, change record; exit codes 0 / 1 / 2. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCalendarCommand } from '../../api/src/cli-calendars';
import type { Database } from '../../engine/src/store-sequelize/connect';
import { bundledYears } from '../../onestop/src/clocks';
import { openTestDatabase, testDatabases } from '../support/databases';

describe.each(testDatabases())('cli-calendars on $name', (target) => {
  let db: Database;
  const dir = mkdtempSync(join(tmpdir(), 'motcua-calendar-'));

  beforeAll(async () => {
    db = await openTestDatabase(target.name);
  });
  afterAll(() => db?.close());

  async function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCalendarCommand(args, { db, now: () => Date.parse('2026-12-01T02:00:00Z'), out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('should list the years and show one', async () => {
    const years = await run(['years']);
    expect(years).toMatchObject({ code: 0, out: expect.stringMatching(/^2025\tofficial\t.*\n2026\tofficial\t9441\/TB-BNV.*\n2027\tprovisional\t-$/) });
    const shown = await run(['show', '2026']);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ year: 2026, status: 'official' });
    expect((await run(['show', '2040'])).code).toBe(1);
  });

  it('should load a year from a file and record it; a bad file names its problem', async () => {
    const file = join(dir, 'vn-2027.json');
    writeFileSync(file, JSON.stringify({ ...bundledYears()[2], status: 'official', documents: [{ number: '1/TB-TEST', date: '2026-11-30', issuer: 'test', decides: 'the 2027 schedule' }] }));
    const loaded = await run(['load', file, '--actor', 'admin.h29']);
    expect(loaded).toMatchObject({ code: 0, out: expect.stringContaining('year 2027 loaded') });
    expect((await run(['years'])).out).toContain('2027\tofficial\t1/TB-TEST');
    expect((await run(['changes'])).out).toMatch(/^\d+\t2026-12-01T02:00:00.000Z\tadmin.h29\tyear 2027\t0 task\(s\)$/);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "year": 2027');
    expect(await run(['load', bad])).toMatchObject({ code: 1, err: expect.stringContaining('is not JSON') });
    writeFileSync(bad, JSON.stringify({ ...bundledYears()[2], holidays: 'none' }));
    expect(await run(['load', bad])).toMatchObject({ code: 1, err: expect.stringContaining('/holidays') });
  });

  it("should show and replace an agency's hours", async () => {
    const file = join(dir, 'agency.json');
    writeFileSync(file, JSON.stringify({ weekdays: { '6': [{ start: '07:30', end: '11:30' }] } }));
    expect((await run(['agency', '000.00.15.H29', file])).code).toBe(0);
    expect(JSON.parse((await run(['agency', '000.00.15.H29'])).out)).toEqual({ weekdays: { '6': [{ start: '07:30', end: '11:30' }] } });
  });

  it('should answer usage errors with 2', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['show'])).code).toBe(2);
    expect((await run(['load', 'a', '--actor'])).code).toBe(2);
    expect((await run(['years', '--force'])).code).toBe(2);
  });
});
