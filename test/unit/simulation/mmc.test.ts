import { simulate } from '../../../onestop/src/simulation';
import { erlangC, mmcMeanWait } from './erlang';
import { graphOf, ROUND_THE_CLOCK, singleStepXml } from './fixtures';

describe('simulation/simulate', () => {
  describe('an M/M/c queue at utilisation 0.8', () => {
    it('should know Erlang C itself (c = 2, a = 1: C = 1/3)', () => {
      expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
      expect(erlangC(1, 0.8)).toBeCloseTo(0.8, 12);
    });

    it('should wait on average within 5 % of the Erlang C formula over 10 seeded replications of 100,000 dossiers', async () => {
      // given: c = 3 officials, λ = 2.4 a minute, μ = 1 a minute → ρ = 0.8
      const graph = await graphOf(singleStepXml());
      const params = { dossiers: 100_000, arrivals: { perWorkingDay: 2.4 * 60 * 24 }, durations: { work: { type: 'exponential' as const, mean: 1, unit: 'workingMinutes' as const } }, pools: [{ agency: 'A', role: 'clerk', staff: 3 }] };
      const expectedHours = mmcMeanWait(3, 2.4, 1) / 60;

      // when
      const waits: number[] = [];
      const queues: number[] = [];
      for (let seed = 1; seed <= 10; seed++) {
        const { result } = simulate(graph, { ...params, seed }, { calendar: ROUND_THE_CLOCK });
        waits.push(result.pools[0].meanWaitHours);
        queues.push(result.pools[0].meanQueue);
      }

      // then: the mean wait, and Little's law for the mean queue (Lq = λ·Wq)
      const meanWait = waits.reduce((a, b) => a + b) / waits.length;
      expect(Math.abs(meanWait - expectedHours) / expectedHours).toBeLessThan(0.05);
      const meanQueue = queues.reduce((a, b) => a + b) / queues.length;
      const expectedQueue = 2.4 * 60 * expectedHours;
      expect(Math.abs(meanQueue - expectedQueue) / expectedQueue).toBeLessThan(0.05);
    });
  });
});
