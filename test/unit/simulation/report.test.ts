import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate, simulationReport, validateSimulationParameters } from '../../../onestop/src/simulation';
import { graphOf, vietnameseCalendar } from './fixtures';

const library = join(__dirname, '../../../processes');

describe('simulation/report', () => {
  it('should put the as-is and to-be runs of a library procedure in one report with SVG plots', async () => {
    // given: birth registration, paper as-is (plain tasks, assigned to staff here) and online to-be
    const asIs = await graphOf(readFileSync(join(library, 'birth-registration/as-is.bpmn'), 'utf8'));
    const toBe = await graphOf(readFileSync(join(library, 'birth-registration/to-be.bpmn'), 'utf8'));
    const calendar = vietnameseCalendar();
    const common = { dossiers: 3000, start: '2026-03-02', arrivals: { perWorkingDay: 30 } };
    const asIsParams = validateSimulationParameters(
      {
        ...common,
        durations: { a3: { type: 'exponential', mean: 20, unit: 'workingMinutes' }, a4: { type: 'triangular', min: 1, mode: 2, max: 4 }, a5: { type: 'fixed', value: 10, unit: 'workingMinutes' }, a6: { type: 'fixed', value: 10, unit: 'workingMinutes' } },
        assignments: { a3: { role: 'desk', agency: '000.01.00.H29' }, a4: { role: 'specialist', agency: '000.01.00.H29' }, a5: { role: 'head', agency: '000.01.00.H29' }, a6: { role: 'desk', agency: '000.01.00.H29' } },
        pools: [
          { agency: '000.01.00.H29', role: 'desk', staff: 2 },
          { agency: '000.01.00.H29', role: 'specialist', staff: 10 },
          { agency: '000.01.00.H29', role: 'head', staff: 1 },
        ],
      },
      asIs,
    );
    const toBeParams = validateSimulationParameters(
      {
        ...common,
        durations: {
          receive: { type: 'exponential', mean: 10, unit: 'workingMinutes' },
          examine: { type: 'lognormal', mean: 30, sd: 15, unit: 'workingMinutes' },
          requestSupplement: { type: 'fixed', value: 10, unit: 'workingMinutes' },
          supplementReceived: { type: 'exponential', mean: 2, unit: 'workingDays' },
          sign: { type: 'fixed', value: 5, unit: 'workingMinutes' },
          returnResult: { type: 'fixed', value: 5, unit: 'workingMinutes' },
          returnRefusal: { type: 'fixed', value: 5, unit: 'workingMinutes' },
        },
        branches: { awaitSupplement: { 'awaitSupplement-supplementReceived': 0.95, 'awaitSupplement-supplementOverdue': 0.05 }, receiveDecision: { 'receiveDecision-refused': 0.02, 'receiveDecision-examineMerge': 0.98 }, examineOutcome: { 'examineOutcome-requestSupplement': 0.1, 'examineOutcome-sign': 0.9 } },
        pools: [
          { agency: '000.01.00.H29', role: 'desk', staff: 2 },
          { agency: '000.01.00.H29', role: 'specialist', staff: 3 },
          { agency: '000.01.00.H29', role: 'head', staff: 1 },
        ],
      },
      toBe,
    );

    // when
    const report = simulationReport(simulate(toBe, toBeParams, { calendar, seed: 8 }), simulate(asIs, asIsParams, { calendar, seed: 8 }), calendar);

    // then
    expect(report.asIs!.processId).toBe('birth-registration-as-is');
    expect(report.toBe.processId).toBe('birth-registration');
    expect(report.comparison!.cycleTimeP90.change).toBeCloseTo(report.toBe.cycleTime.p90 - report.asIs!.cycleTime.p90, 12);
    expect(report.comparison!.onTimeLegal.change).toBeCloseTo(report.toBe.onTime!.legal.share - report.asIs!.onTime!.legal.share, 12);
    expect(report.toBe.onTime!.statutoryTime).toEqual({ amount: 1, unit: 'sameDay', cutoff: 'legal' });
    expect(report.toBe.warnings).toEqual([expect.stringMatching(/^examineDueSoon: boundary event on examine is not simulated/)]);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(report.histogram.toBe)).toBeCloseTo(1, 9);
    expect(sum(report.histogram.asIs!)).toBeCloseTo(1, 9);
    expect(report.histogram.edges.length).toBe(report.histogram.toBe.length + 1);
    for (const svg of Object.values(report.plots)) {
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).toContain('as-is (birth-registration-as-is)');
      expect(svg).toContain('to-be (birth-registration)');
      expect(svg.endsWith('</svg>')).toBe(true);
    }
    expect(report.plots.cycleTimeCdf).toContain('statutory time');
    expect(report.plots.utilisation).toContain('000.01.00.H29/specialist');
    // the per-element waits a heat overlay reads, keyed by element id
    expect(Object.keys(report.toBe.elements)).toEqual(expect.arrayContaining(['receive', 'examine', 'sign', 'supplementReceived']));
    expect(report.asIs!.elements.a3.meanWaitHours).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
