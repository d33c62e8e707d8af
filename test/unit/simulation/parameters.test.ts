import { simulate, validateSimulationParameters } from '../../../onestop/src/simulation';
import { flow, graphOf, parallelStepsXml, processXml, ROUND_THE_CLOCK, singleStepXml, userTask } from './fixtures';

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
    [{ branches: { split: { f2: 1 } } }, /branches\.split names no exclusive or event-based gateway/],
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

  it('should staff the pools left out for 80 % utilisation of their offered load', async () => {
    // given: 60 dossiers a 24-hour day; a takes 2 h (offered 5 officials), b 4 h on average (offered 10)
    const graph = await graphOf(parallelStepsXml());
    const params = { dossiers: 20_000, arrivals: { perWorkingDay: 60 }, durations: { a: { type: 'fixed' as const, value: 2 }, b: { type: 'exponential' as const, mean: 4 } } };

    // when
    const { result } = simulate(graph, params, { calendar: ROUND_THE_CLOCK, seed: 2 });

    // then: ceil(5 / 0.8) = 7 and ceil(10 / 0.8) = 13, and the run keeps close to those loads
    expect(result.pools.map((p) => [p.id, p.staff, p.defaulted])).toEqual([
      ['A/clerk', 7, true],
      ['A/expert', 13, true],
    ]);
    expect(result.pools[0].utilisation).toBeCloseTo(5 / 7, 1);
    expect(result.pools[1].utilisation).toBeCloseTo(10 / 13, 1);
    expect(result.assumptions).toContain('pool A/clerk: 7 official(s) (no staff given: offered load 5.00 officials at 60 dossiers a working day, for 80 % utilisation)');
  });

  it('should count the expected visits of a loop in the offered load', async () => {
    // given: 1 in 4 dossiers goes back through work: 4/3 visits each, 30 a day, 1 hour each on a 24-hour day
    const xml = processXml(
      `<bpmn:startEvent id="start" />${flow('f1', 'start', 'merge')}<bpmn:exclusiveGateway id="merge" />${flow('f2', 'merge', 'work')}${userTask('work', 'clerk')}${flow('f3', 'work', 'again')}` +
        `<bpmn:exclusiveGateway id="again" default="out" /><bpmn:sequenceFlow id="back" sourceRef="again" targetRef="merge"><bpmn:conditionExpression>=true</bpmn:conditionExpression></bpmn:sequenceFlow>${flow('out', 'again', 'end')}<bpmn:endEvent id="end" />`,
      'agency="A"',
    );
    const graph = await graphOf(xml);

    // when
    const { result } = simulate(graph, { dossiers: 20_000, arrivals: { perWorkingDay: 30 }, branches: { again: { back: 0.25, out: 0.75 } }, durations: { work: { type: 'fixed', value: 1 } } }, { calendar: ROUND_THE_CLOCK, seed: 3 });

    // then: offered 30 × 4/3 / 24 = 1.67 officials → 3 for 80 %; and the dossiers did visit work 4/3 times each
    expect(result.pools[0].staff).toBe(3);
    expect(result.elements.work.visits / 20_000).toBeCloseTo(4 / 3, 1);
  });

  it('should warn of a pool that serves no element (a role spelt otherwise than in the model)', async () => {
    const graph = await graphOf(singleStepXml());
    const { result } = simulate(graph, { dossiers: 10, pools: [{ agency: 'A', role: 'clerks', staff: 2 }] }, { calendar: ROUND_THE_CLOCK });
    expect(result.warnings).toEqual(['pool A/clerks of the parameters serves no element of the model (its user tasks’ agencies and first candidate groups: A/clerk)']);
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

describe('simulation/simulate', () => {
  describe('models it cannot finish', () => {
    it('should refuse a loop of gateways without a task, naming an element of it', async () => {
      // given: a → loop gateway that goes back to itself through a merge 99 % of the time
      const xml = processXml(
        `<bpmn:startEvent id="start" />${flow('f1', 'start', 'merge')}<bpmn:exclusiveGateway id="merge" />${flow('f2', 'merge', 'again')}` +
          `<bpmn:exclusiveGateway id="again" default="out" /><bpmn:sequenceFlow id="back" sourceRef="again" targetRef="merge"><bpmn:conditionExpression>=true</bpmn:conditionExpression></bpmn:sequenceFlow>${flow('out', 'again', 'end')}<bpmn:endEvent id="end" />`,
      );
      const graph = await graphOf(xml);

      // then
      expect(() => simulate(graph, { dossiers: 10, branches: { again: { back: 1, out: 0 } } }, { calendar: ROUND_THE_CLOCK })).toThrow(/a dossier passed 100000 elements without taking any time/);
    });

    it('should refuse a loop through a task that dossiers never leave', async () => {
      const xml = processXml(
        `<bpmn:startEvent id="start" />${flow('f1', 'start', 'merge')}<bpmn:exclusiveGateway id="merge" />${flow('f2', 'merge', 'work')}${userTask('work', 'clerk')}${flow('f3', 'work', 'again')}` +
          `<bpmn:exclusiveGateway id="again" default="out" /><bpmn:sequenceFlow id="back" sourceRef="again" targetRef="merge"><bpmn:conditionExpression>=true</bpmn:conditionExpression></bpmn:sequenceFlow>${flow('out', 'again', 'end')}<bpmn:endEvent id="end" />`,
        'agency="A"',
      );
      const graph = await graphOf(xml);
      const params = { dossiers: 2, branches: { again: { back: 1, out: 0 } }, durations: { work: { type: 'fixed' as const, value: 0 } } };

      expect(() => simulate(graph, params, { calendar: ROUND_THE_CLOCK })).toThrow(/^work: the dossiers took more than 10000 steps each/);
    });

    it('should refuse a parallel join that a branch skips', async () => {
      // given: split → (a | skip a via an exclusive gateway) → join
      const xml = processXml(
        `<bpmn:startEvent id="start" />${flow('f1', 'start', 'split')}<bpmn:parallelGateway id="split" />${flow('f2', 'split', 'choice')}${flow('f3', 'split', 'b')}` +
          `<bpmn:exclusiveGateway id="choice" default="skip" /><bpmn:sequenceFlow id="take" sourceRef="choice" targetRef="a"><bpmn:conditionExpression>=true</bpmn:conditionExpression></bpmn:sequenceFlow>${flow('skip', 'choice', 'end2')}<bpmn:endEvent id="end2" />` +
          `${userTask('a', 'clerk')}${userTask('b', 'clerk')}${flow('f4', 'a', 'join')}${flow('f5', 'b', 'join')}<bpmn:parallelGateway id="join" />${flow('f6', 'join', 'end')}<bpmn:endEvent id="end" />`,
        'agency="A"',
      );
      const graph = await graphOf(xml);

      // then: the skipped dossiers' other token waits at the join forever
      expect(() => simulate(graph, { dossiers: 50, branches: { choice: { take: 0.5, skip: 0.5 } } }, { calendar: ROUND_THE_CLOCK })).toThrow(/dossiers never finished: a parallel join \(join\) waits/);
    });
  });
});
