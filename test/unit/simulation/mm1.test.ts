import { simulate } from '../../../onestop/src/simulation';
import { mmcMeanWait } from './erlang';
import { graphOf, ROUND_THE_CLOCK, singleStepXml } from './fixtures';

describe('simulation/simulate', () => {
  describe('an M/M/1 queue at utilisation 0.8', () => {
    it('should wait on average within 5 % of the Erlang C formula over 10 seeded replications of 100,000 dossiers', async () => {
      // given: λ = 0.8 a minute, μ = 1 a minute, one official, every hour a working hour
      const graph = await graphOf(singleStepXml());
      const params = { dossiers: 100_000, arrivals: { perWorkingDay: 0.8 * 60 * 24 }, durations: { work: { type: 'exponential' as const, mean: 1, unit: 'workingMinutes' as const } }, pools: [{ agency: 'A', role: 'clerk', staff: 1 }] };
      const expectedHours = mmcMeanWait(1, 0.8, 1) / 60; // 4 minutes

      // when
      const waits: number[] = [];
      const utilisations: number[] = [];
      for (let seed = 1; seed <= 10; seed++) {
        const { result } = simulate(graph, { ...params, seed }, { calendar: ROUND_THE_CLOCK });
        waits.push(result.pools[0].meanWaitHours);
        utilisations.push(result.pools[0].utilisation);
      }

      // then
      const meanWait = waits.reduce((a, b) => a + b) / waits.length;
      expect(Math.abs(meanWait - expectedHours) / expectedHours).toBeLessThan(0.05);
      const meanUtilisation = utilisations.reduce((a, b) => a + b) / utilisations.length;
      expect(meanUtilisation).toBeGreaterThan(0.79);
      expect(meanUtilisation).toBeLessThan(0.81);
    });
  });
});
