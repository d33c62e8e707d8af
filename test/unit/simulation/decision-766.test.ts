import { simulate } from '../../../onestop/src/simulation';
import { flow, graphOf, processXml, vietnameseCalendar } from './fixtures';

function supplementXml(requests: number): string {
  // examine → request supplement (status supplement-requested) → wait for it (message, status supplemented) → … → sign → end
  let body = `<bpmn:message id="m" name="dossier.supplemented" /><bpmn:startEvent id="start" />${flow('f0', 'start', 'examine')}`;
  body += `<bpmn:userTask id="examine"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="clerk" /></bpmn:extensionElements></bpmn:userTask>`;
  let previous = 'examine';
  for (let i = 1; i <= requests; i++) {
    body += `${flow(`r${i}`, previous, `request${i}`)}<bpmn:userTask id="request${i}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="clerk" /><motcua:facts dossierStatus="supplement-requested" /></bpmn:extensionElements></bpmn:userTask>`;
    body += `${flow(`w${i}`, `request${i}`, `supplemented${i}`)}<bpmn:intermediateCatchEvent id="supplemented${i}"><bpmn:extensionElements><motcua:facts dossierStatus="supplemented" /></bpmn:extensionElements><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>`;
    previous = `supplemented${i}`;
  }
  body += `${flow('fs', previous, 'sign')}<bpmn:userTask id="sign"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="clerk" /></bpmn:extensionElements></bpmn:userTask>${flow('fe', 'sign', 'end')}<bpmn:endEvent id="end" />`;
  // The message must sit outside the process: move it to the definitions.
  return processXml(body.replace('<bpmn:message id="m" name="dossier.supplemented" />', ''), 'agency="A" statutoryTime="1" timeUnit="workingDays"').replace('<bpmn:process ', '<bpmn:message id="m" name="dossier.supplemented"><bpmn:extensionElements><zeebe:subscription correlationKey="=code" /></bpmn:extensionElements></bpmn:message>\n  <bpmn:process ');
}

function params(requests: number) {
  const durations: Record<string, { type: 'fixed'; value: number; unit?: 'workingDays' }> = { examine: { type: 'fixed', value: 1 }, sign: { type: 'fixed', value: 1 } };
  for (let i = 1; i <= requests; i++) {
    durations[`request${i}`] = { type: 'fixed', value: 0.5 };
    durations[`supplemented${i}`] = { type: 'fixed', value: 3, unit: 'workingDays' };
  }
  return { dossiers: 200, start: '2026-03-02', arrivals: { perWorkingDay: 20 }, durations, pools: [{ agency: 'A', role: 'clerk', staff: 50 }] };
}

describe('simulation/simulate', () => {
  describe('Decision 766 on-time indicator', () => {
    it('should subtract the supplement time (request → complete supplement) that the legal measure counts', async () => {
      // given: 2.5 working hours of work and a 3-working-day wait for the applicant's supplement, statutory time 1 working day
      const graph = await graphOf(supplementXml(1));

      // when
      const { result } = simulate(graph, params(1), { calendar: vietnameseCalendar(), seed: 4 });

      // then: late by the statutory clock, on time by Decision 766
      expect(result.onTime!.legal.share).toBe(0);
      expect(result.onTime!.decision766.share).toBe(1);
      expect(result.elements.supplemented1.meanServiceHours).toBeCloseTo(24, 9);
    });

    it('should count a dossier with more than one supplement request late', async () => {
      // given
      const graph = await graphOf(supplementXml(2));

      // when
      const { result } = simulate(graph, params(2), { calendar: vietnameseCalendar(), seed: 4 });

      // then
      expect(result.onTime!.decision766).toMatchObject({ late: 200, share: 0 });
    });
  });
});
