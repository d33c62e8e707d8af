import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSimulateArgs, runSimulateCommand } from '../../../api/src/cli-simulate';

const reference = join(__dirname, '../../../processes/reference');
const library = join(__dirname, '../../../processes');

describe('api/cli-simulate', () => {
  it.each([
    [[], /the model file is missing/],
    [['a.bpmn', 'b.bpmn'], /one model only/],
    [['a.bpmn', '--seed', 'x'], /--seed must be an integer/],
    [['a.bpmn', '--params'], /--params needs a value/],
    [['a.bpmn', '--fast'], /unknown option --fast/],
  ])('should refuse the arguments %j', (args, message) => {
    expect(parseSimulateArgs(args)).toMatch(message);
  });

  it('should write the report and its SVG plots and print a summary', async () => {
    // given
    const out = mkdtempSync(join(tmpdir(), 'motcua-simulate-'));
    const lines: string[] = [];
    try {
      // when
      const code = await runSimulateCommand(
        [join(reference, 'to-be.bpmn'), '--params', join(reference, 'simulation.json'), '--compare', join(library, 'birth-registration/as-is.bpmn'), '--seed', '5', '--out', out],
        { maxDossiers: 20_000, maxXmlBytes: 5 * 1024 * 1024, now: Date.UTC(2026, 11, 7), log: (l) => lines.push(l), error: (l) => lines.push(l) },
      );

      // then
      expect(code).toBe(0);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      expect(report.toBe).toMatchObject({ processId: 'reference', seed: 5, dossiers: 10000 });
      expect(report.asIs).toMatchObject({ processId: 'birth-registration-as-is', dossiers: 10000, arrivalsPerWorkingDay: 100 });
      for (const file of ['cycle-time-histogram.svg', 'cycle-time-cdf.svg', 'utilisation.svg']) expect(readFileSync(join(out, file), 'utf8')).toMatch(/^<svg /);
      expect(lines.join('\n')).toMatch(/to-be: reference \(Reference procedure\), 10000 dossiers/);
      expect(lines.join('\n')).toMatch(/pool 000\.00\.15\.H29\/desk: 3 staff, utilisation/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('should name a parameters file that is not JSON', async () => {
    const out = mkdtempSync(join(tmpdir(), 'motcua-simulate-'));
    try {
      await expect(runSimulateCommand([join(reference, 'to-be.bpmn'), '--params', join(reference, 'to-be.bpmn'), '--out', out], { maxDossiers: 10, maxXmlBytes: 1e6, now: 0, log: () => undefined, error: () => undefined })).rejects.toThrow(/--params '.*to-be\.bpmn' is not JSON/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
