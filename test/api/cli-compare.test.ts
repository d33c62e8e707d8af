/** `motcua compare …`: a library procedure or two files, as a table, JSON or CSV; exit codes 0 / 1 / 2. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCompareCommand } from '../../api/src/cli-compare';

const PROCESSES = join(__dirname, '../../processes');

async function run(args: string[]) {
  let out = '';
  const err: string[] = [];
  const code = await runCompareCommand(args, { processesDir: PROCESSES, write: (text) => (out += text), err: (line) => err.push(line) });
  return { code, out, err: err.join('\n') };
}

describe('cli compare', () => {
  it("should print a library procedure's as-is against its to-be as a table, in Vietnamese on request", async () => {
    // when
    const english = await run(['birth-group-63-301']);
    const vietnamese = await run(['birth-group-63-301', '--lang', 'vi']);

    // then
    expect(english.code).toBe(0);
    expect(english.out.split('\n')[0]).toMatch(/^Figure +birth-group-63-301 as-is +birth-group-63-301 to-be +Change +%$/);
    expect(english.out).toMatch(/Statutory working days on the critical path +13 +3 +-10 +-76\.9%/);
    expect(english.out).toMatch(/Visits to a desk +6 +0 +-6 +-100%/);
    expect(vietnamese.out).toMatch(/Giấy tờ yêu cầu người dân +9 +2 +-7 +-77\.8%/);
  });

  it('should compare two files as JSON and as CSV', async () => {
    // given the two models as files
    const files = [join(PROCESSES, 'judicial-record', 'as-is.bpmn'), join(PROCESSES, 'judicial-record', 'to-be.bpmn')];

    // when
    const json = await run([...files, '--format', 'json']);
    const csv = await run([...files, '--format=csv']);

    // then
    expect(json.code).toBe(0);
    const comparison = JSON.parse(json.out);
    expect(comparison.before.label).toBe('as-is.bpmn');
    expect(comparison.figures.find((f: { key: string }) => f.key === 'documents')).toMatchObject({ before: 3, after: 1, change: -2, changePercent: -66.7 });
    expect(csv.code).toBe(0);
    expect(csv.out.split('\r\n')).toContain('deskVisits,Số lần đến nơi tiếp nhận,Visits to a desk,2,0,-2,-100');
  });

  it('should name what is wrong: an unknown procedure, a missing file, an unreadable model, bad usage', async () => {
    // given a file that is not BPMN
    const dir = mkdtempSync(join(tmpdir(), 'motcua-compare-'));
    writeFileSync(join(dir, 'broken.bpmn'), '<bpmn:definitions');

    // when / then
    expect(await run(['no-such-procedure'])).toMatchObject({ code: 1, err: "motcua compare: the procedure library has no as-is model of 'no-such-procedure'" });
    expect(await run([join(dir, 'missing.bpmn'), join(dir, 'broken.bpmn')])).toMatchObject({ code: 1, err: expect.stringContaining('missing.bpmn\' does not exist') });
    expect(await run([join(PROCESSES, 'judicial-record', 'to-be.bpmn'), join(dir, 'broken.bpmn')])).toMatchObject({ code: 1, err: expect.stringMatching(/^motcua compare: broken\.bpmn: /) });
    expect(await run(['../etc'])).toMatchObject({ code: 2, err: expect.stringContaining("'../etc' is not a procedure code") });
    expect(await run(['birth-group-63-301', '--format', 'xml'])).toMatchObject({ code: 2, err: expect.stringContaining('--format must be one of table, json, csv') });
    expect(await run([])).toMatchObject({ code: 2, err: expect.stringContaining('usage: motcua compare') });
  });
});
