import { buildWorkingCalendar } from '../../../engine/src/calendar';
import { fitParameters, Random, validateSimulationParameters, type HistoryEvent } from '../../../onestop/src/simulation';
import { flow, graphOf, processXml, ROUND_THE_CLOCK, userTask, vietnameseCalendar } from './fixtures';

const HOUR = 3_600_000;

async function branchingGraph() {
  return graphOf(
    processXml(
      `<bpmn:startEvent id="start" />${flow('f1', 'start', 'examine')}${userTask('examine', 'desk')}${flow('f2', 'examine', 'ok')}` +
        `<bpmn:exclusiveGateway id="ok" default="no" /><bpmn:sequenceFlow id="yes" sourceRef="ok" targetRef="sign"><bpmn:conditionExpression>=approved</bpmn:conditionExpression></bpmn:sequenceFlow>${flow('no', 'ok', 'refused')}${userTask('sign', 'head')}` +
        `${flow('f3', 'sign', 'done')}<bpmn:endEvent id="done" /><bpmn:endEvent id="refused" />`,
      'agency="A"',
    ),
  );
}

describe('simulation/fit', () => {
  it('should recover durations, branch frequencies and the arrival rate from history events', async () => {
    // given: 4,000 dossiers, one every 0.5 h (48 a 24-hour working day), examine lognormal(mean 2 h, sd 1 h), 70 % signed
    const graph = await branchingGraph();
    const random = new Random(42);
    const sigma2 = Math.log(1 + 1 / 4);
    const mu = Math.log(2) - sigma2 / 2;
    const events: HistoryEvent[] = [];
    const t0 = Date.UTC(2026, 0, 5);
    for (let i = 0; i < 4000; i++) {
      const id = `d${i}`;
      const start = t0 + i * 0.5 * HOUR;
      const examined = start + Math.exp(mu + Math.sqrt(sigma2) * random.normal()) * HOUR;
      events.push({ instanceId: id, type: 'instanceStarted', at: start });
      events.push({ instanceId: id, type: 'elementActivated', elementId: 'examine', at: start });
      events.push({ instanceId: id, type: 'elementCompleted', elementId: 'examine', at: examined });
      const signed = random.uniform() < 0.7;
      events.push({ instanceId: id, type: 'flowTaken', elementId: signed ? 'yes' : 'no', at: examined });
      if (signed) {
        events.push({ instanceId: id, type: 'elementActivated', elementId: 'sign', at: examined });
        events.push({ instanceId: id, type: 'elementCompleted', elementId: 'sign', at: examined + 0.25 * HOUR });
      }
    }

    // when
    const { parameters, observations } = fitParameters(graph, events, buildWorkingCalendar(ROUND_THE_CLOCK));

    // then
    expect(parameters.durations!.examine).toMatchObject({ type: 'lognormal', unit: 'workingHours' });
    const examine = parameters.durations!.examine as { mean: number; sd: number };
    expect(examine.mean).toBeGreaterThan(1.95);
    expect(examine.mean).toBeLessThan(2.05);
    expect(examine.sd).toBeGreaterThan(0.9);
    expect(examine.sd).toBeLessThan(1.1);
    expect(parameters.durations!.sign).toEqual({ type: 'fixed', value: 0.25, unit: 'workingHours' });
    expect(parameters.branches!.ok.yes).toBeGreaterThan(0.68);
    expect(parameters.branches!.ok.yes).toBeLessThan(0.72);
    expect(parameters.branches!.ok.yes + parameters.branches!.ok.no).toBeCloseTo(1, 12);
    expect(parameters.arrivals!.perWorkingDay).toBeGreaterThan(47.5);
    expect(parameters.arrivals!.perWorkingDay).toBeLessThan(48.5);
    expect(observations).toMatchObject({ arrivals: 4000, durations: { examine: 4000 } });
    // and the fitted parameters are valid parameters of the model
    expect(() => validateSimulationParameters(parameters, graph)).not.toThrow();
  });

  it('should count only working time: a step open over a weekend took its working hours', async () => {
    // given: examine opened Friday 16:00, closed Monday 08:30 (Vietnam, UTC+7): 1 h Friday + 1 h Monday
    const graph = await branchingGraph();
    const friday = Date.UTC(2026, 2, 6, 9);
    const monday = Date.UTC(2026, 2, 9, 1, 30);
    const events: HistoryEvent[] = [
      { instanceId: 'x', type: 'elementActivated', elementId: 'examine', at: friday },
      { instanceId: 'x', type: 'elementCompleted', elementId: 'examine', at: monday },
    ];

    // when
    const { parameters } = fitParameters(graph, events, buildWorkingCalendar(vietnameseCalendar()));

    // then
    expect(parameters.durations!.examine).toEqual({ type: 'fixed', value: 2, unit: 'workingHours' });
  });

  it('should refuse an event without a usable time, naming it', async () => {
    const graph = await branchingGraph();
    expect(() => fitParameters(graph, [{ instanceId: 'x', type: 'instanceStarted', at: Number.NaN }], buildWorkingCalendar(ROUND_THE_CLOCK))).toThrow(/history event 0 \(instanceStarted of x\): at must be epoch milliseconds/);
  });
});
