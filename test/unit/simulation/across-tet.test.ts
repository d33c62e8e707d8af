import { simulate } from '../../../onestop/src/simulation';
import { flow, graphOf, processXml, singleStepXml, vietnameseCalendar } from './fixtures';

describe('simulation/simulate', () => {
  describe('a step across Tết', () => {
    it('should pause the work over the Tết break (Sat 14/2–Sun 22/2/2026) and count it late against its statutory day', async () => {
      // given: one dossier received at the opening of Friday 13/2/2026, 11 working hours of work, statutory time 1 working day
      const graph = await graphOf(singleStepXml('agency="A" statutoryTime="1" timeUnit="workingDays"'));
      const params = { dossiers: 1, start: '2026-02-13', arrivals: { perWorkingDay: 1e6 }, durations: { work: { type: 'fixed' as const, value: 11 } }, pools: [{ agency: 'A', role: 'clerk', staff: 1 }] };

      // when
      const { result } = simulate(graph, params, { calendar: vietnameseCalendar(), seed: 1 });

      // then: 8 hours on Friday, 3 on Monday 23/2 (07:30 + 3 h = 10:30 local = 03:30 UTC); 1.375 working days
      expect(result.firstArrival.slice(0, 16)).toBe('2026-02-13T00:30');
      expect(result.lastFinish.slice(0, 16)).toBe('2026-02-23T03:30');
      expect(result.cycleTime.p50).toBeCloseTo(1.375, 4);
      expect(result.onTime?.legal).toMatchObject({ late: 1, share: 0 });
      expect(result.onTime?.decision766).toMatchObject({ code: '2.1', late: 1, share: 0 });
    });

    it('should count the same work on ordinary days as the same working time', async () => {
      // given: a Friday without a holiday after it
      const graph = await graphOf(singleStepXml('agency="A" statutoryTime="2" timeUnit="workingDays"'));
      const params = { dossiers: 1, start: '2026-03-06', arrivals: { perWorkingDay: 1e6 }, durations: { work: { type: 'fixed' as const, value: 11 } }, pools: [{ agency: 'A', role: 'clerk', staff: 1 }] };

      // when
      const { result } = simulate(graph, params, { calendar: vietnameseCalendar(), seed: 1 });

      // then: finished on Monday 9/3, on time against 2 working days
      expect(result.lastFinish.slice(0, 16)).toBe('2026-03-09T03:30');
      expect(result.onTime?.legal.share).toBe(1);
    });

    it('should let a timer of 15 days (P15D) run in elapsed time, holidays included', async () => {
      // given: a dossier received at the opening of Friday 13/2/2026, then a 15-day timer catch event (its default duration)
      const xml = processXml(
        `<bpmn:startEvent id="start" />${flow('f1', 'start', 'wait')}<bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>P15D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>${flow('f2', 'wait', 'end')}<bpmn:endEvent id="end" />`,
        'agency="A"',
      );
      const graph = await graphOf(xml);

      // when
      const { result } = simulate(graph, { dossiers: 1, start: '2026-02-13', arrivals: { perWorkingDay: 1e6 } }, { calendar: vietnameseCalendar(), seed: 1 });

      // then: 15 × 24 hours later, Saturday 28/2 07:30 local; counted in working days: Fri 13/2 and Mon 23/2–Fri 27/2 = 6
      expect(result.lastFinish.slice(0, 16)).toBe('2026-02-28T00:30');
      expect(result.cycleTime.p50).toBeCloseTo(6, 4);
      expect(result.assumptions).toContain('durations wait: {"type":"fixed","value":360,"unit":"hours"} (no duration given)');
    });
  });
});
