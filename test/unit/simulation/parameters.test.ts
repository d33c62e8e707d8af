import { simulate, validateSimulationParameters } from '../../../onestop/src/simulation';
import { graphOf, parallelStepsXml, ROUND_THE_CLOCK, singleStepXml } from './fixtures';

describe('simulation/parameters', () => {
  it.each([
    [{ dossiers: 0 }, /dossiers must be >= 1/],
    [{ arrivals: {} }, /arrivals\.perWorkingDay is required/],
    [{ arrivals: { perWorkingDay: -1 } }, /arrivals\.perWorkingDay must be > 0/],
    [{ durations: { work: { type: 'gamma', mean: 1 } } }, /durations\.work\.type must be one of/],
    [{ durations: { work: { type: 'exponential', mean: 0 } } }, /durations\.work\.mean must be > 0/],
    [{ durations: { work: { type: 'triangular', min: 3, mode: 1, max: 5 } } }, /durations\.work needs min ≤ mode ≤ max/],
    [{ durations: { nowhere: { type: 'fixed', value: 1 } } }, /durations\.nowhere names no element of process p/],
    [{ durations: { start: { type: 'fixed', value: 1 } } }, /durations\.start names a startEvent, which takes no time/],
    [{ branches: { split: { f2: 1 } } }, /branches\.split names no exclusive gateway/],
    [{ pools: [{ agency: 'A', role: 'clerk', staff: 1 }, { agency: 'A', role: 'clerk', staff: 2 }] }, /pools\.1 repeats agency A and role clerk/],
    [{ pools: [{ agency: 'A', role: 'clerk', staff: 1, workingHours: [{ start: '17:00', end: '08:00' }] }] }, /pools\.0 has a working-hours block 17:00–08:00/],
    [{ start: '2026-02-30' }, /start \(2026-02-30\) is not a real date/],
    [{ speed: 3 }, /speed is not a known parameter/],
  ])('should refuse %j naming the field', async (params, message) => {
    const graph = await graphOf(parallelStepsXml());
    expect(() => validateSimulationParameters(params, graph)).toThrow(message);
  });

  it('should take defaults from the model and say which', async () => {
    // given: no parameters at all
    const graph = await graphOf(singleStepXml('agency="A" statutoryTime="2" timeUnit="workingDays"'));

    // when
    const { result } = simulate(graph, validateSimulationParameters({ dossiers: 100 }, graph), { calendar: ROUND_THE_CLOCK });

    // then
    expect(result.assumptions).toEqual(expect.arrayContaining([expect.stringMatching(/^arrivals: 10 dossiers per working day/), expect.stringMatching(/^pool A\/clerk: 1 official/), expect.stringMatching(/^durations work:/)]));
    expect(result.pools[0].defaulted).toBe(true);
  });

  it('should refuse more dossiers than allowed', async () => {
    const graph = await graphOf(singleStepXml());
    expect(() => simulate(graph, { dossiers: 1001 }, { calendar: ROUND_THE_CLOCK, maxDossiers: 1000 })).toThrow(/dossiers \(1001\) is more than the 1000 allowed/);
  });

  it('should give the same figures for the same seed and other figures for another seed', async () => {
    const graph = await graphOf(parallelStepsXml());
    const params = { dossiers: 2000, arrivals: { perWorkingDay: 40 }, durations: { a: { type: 'exponential' as const, mean: 0.5 }, b: { type: 'lognormal' as const, mean: 0.5, sd: 0.3 } } };
    const first = simulate(graph, params, { calendar: ROUND_THE_CLOCK, seed: 1 }).result;
    expect(simulate(graph, params, { calendar: ROUND_THE_CLOCK, seed: 1 }).result).toEqual(first);
    expect(simulate(graph, params, { calendar: ROUND_THE_CLOCK, seed: 2 }).result.cycleTime).not.toEqual(first.cycleTime);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });
});
