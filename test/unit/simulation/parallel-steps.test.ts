import { simulate } from '../../../onestop/src/simulation';
import { graphOf, parallelStepsXml, ROUND_THE_CLOCK } from './fixtures';

const plenty = [
  { agency: 'A', role: 'clerk', staff: 10_000 },
  { agency: 'A', role: 'expert', staff: 10_000 },
];

describe('simulation/simulate', () => {
  describe('two parallel steps', () => {
    it('should finish a dossier when the longer of two fixed steps ends', async () => {
      // given
      const graph = await graphOf(parallelStepsXml());
      const durations = { a: { type: 'fixed' as const, value: 2 }, b: { type: 'fixed' as const, value: 5 } };

      // when
      const { result, cycleTimes } = simulate(graph, { dossiers: 1000, arrivals: { perWorkingDay: 50 }, durations, pools: plenty }, { calendar: ROUND_THE_CLOCK, seed: 5 });

      // then: 5 hours of a 24-hour working day, for every dossier
      for (const days of cycleTimes) expect(days).toBeCloseTo(5 / 24, 9);
      expect(result.elements.a.visits).toBe(1000);
      expect(result.elements.b.visits).toBe(1000);
    });

    it('should take E[max(X, Y)] = 1/α + 1/β − 1/(α + β) for two exponential steps', async () => {
      // given: means 1 and 3 hours
      const graph = await graphOf(parallelStepsXml());
      const durations = { a: { type: 'exponential' as const, mean: 1 }, b: { type: 'exponential' as const, mean: 3 } };

      // when
      const { result } = simulate(graph, { dossiers: 200_000, arrivals: { perWorkingDay: 2000 }, durations, pools: plenty }, { calendar: ROUND_THE_CLOCK, seed: 9 });

      // then
      const expectedHours = 1 + 3 - 1 / (1 + 1 / 3);
      expect(Math.abs(result.cycleTime.mean * 24 - expectedHours) / expectedHours).toBeLessThan(0.01);
      // and the median of max(X, Y): P(X ≤ t)·P(Y ≤ t) = 1/2, solved numerically
      const cdf = (t: number) => (1 - Math.exp(-t)) * (1 - Math.exp(-t / 3));
      let lo = 0;
      let hi = 50;
      for (let i = 0; i < 100; i++) {
        const mid = (lo + hi) / 2;
        if (cdf(mid) < 0.5) lo = mid;
        else hi = mid;
      }
      expect(Math.abs(result.cycleTime.p50 * 24 - lo) / lo).toBeLessThan(0.02);
    });
  });
});
