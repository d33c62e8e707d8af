import { DeploymentRejectedError } from '../../../engine/src/errors';
import { compileDefinitions, loadProcessModels, parseBpmn } from '../../../engine/src/model';
import { shortestIntervalMs } from '../../../engine/src/timer';
import { problem } from './load-fixture';

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:vendor="http://vendor.example/x" id="defs" targetNamespace="http://motcua.vn/test">`;

function definitions(body: string): string {
  return `${HEAD}<bpmn:process id="p" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;
}

const cycle = (text: string) => `<bpmn:timerEventDefinition><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">${text}</bpmn:timeCycle></bpmn:timerEventDefinition>`;

/** A process whose timer cycles sit on a start event, a non-interrupting boundary event and an event sub-process start. */
function cycles(start: string, boundary: string, eventSubProcess: string): string {
  return definitions(`
    <bpmn:startEvent id="TimerStart">${cycle(start)}</bpmn:startEvent>
    <bpmn:userTask id="Work" />
    <bpmn:boundaryEvent id="Remind" attachedToRef="Work" cancelActivity="false">${cycle(boundary)}</bpmn:boundaryEvent>
    <bpmn:endEvent id="End" />
    <bpmn:endEvent id="Reminded" />
    <bpmn:sequenceFlow id="F1" sourceRef="TimerStart" targetRef="Work" />
    <bpmn:sequenceFlow id="F2" sourceRef="Work" targetRef="End" />
    <bpmn:sequenceFlow id="F3" sourceRef="Remind" targetRef="Reminded" />
    <bpmn:subProcess id="Events" triggeredByEvent="true">
      <bpmn:startEvent id="EveryNow" isInterrupting="false">${cycle(eventSubProcess)}</bpmn:startEvent>
      <bpmn:endEvent id="EventsEnd" />
      <bpmn:sequenceFlow id="F4" sourceRef="EveryNow" targetRef="EventsEnd" />
    </bpmn:subProcess>`);
}

/** `depth` sub-processes, each inside the previous one (s0 outermost): start → inner sub-process → end at every level. */
function nestedSubProcesses(depth: number): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let i = 0; i < depth; i++) {
    const inner = i + 1 < depth;
    open.push(
      `<bpmn:subProcess id="s${i}"><bpmn:startEvent id="start${i}" /><bpmn:endEvent id="end${i}" />` +
        (inner
          ? `<bpmn:sequenceFlow id="in${i}" sourceRef="start${i}" targetRef="s${i + 1}" /><bpmn:sequenceFlow id="out${i}" sourceRef="s${i + 1}" targetRef="end${i}" />`
          : `<bpmn:sequenceFlow id="in${i}" sourceRef="start${i}" targetRef="end${i}" />`),
    );
    close.push('</bpmn:subProcess>');
  }
  return definitions(
    `<bpmn:startEvent id="Start" /><bpmn:endEvent id="End" /><bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="s0" />` +
      `<bpmn:sequenceFlow id="F2" sourceRef="s0" targetRef="End" />${open.join('')}${close.join('')}`,
  );
}

async function rejection(xml: string, options = {}): Promise<DeploymentRejectedError> {
  try {
    await loadProcessModels(xml, options);
  } catch (error) {
    if (error instanceof DeploymentRejectedError) return error;
    throw error;
  }
  throw new Error('the document was not rejected');
}

describe('model limits', () => {
  describe('timer cycles', () => {
    it('should refuse cycles shorter than the minimum on start, boundary and event sub-process start events, naming each', async () => {
      // when
      const { problems } = await loadProcessModels(cycles('R/PT1S', 'R5/PT0.001S', '0/10 * * * * *'));

      // then
      expect(problems).toEqual([
        problem('TimerStart', "the time cycle of start event 'TimerStart' 'R/PT1S' fires every 1 s, more often than the minimum interval of 1 min (MOTCUA_MIN_TIMER_CYCLE_MS)"),
        problem('Remind', "the time cycle of boundary event 'Remind' 'R5/PT0.001S' fires every 1 ms"),
        problem('EveryNow', "the time cycle of start event 'EveryNow' '0/10 * * * * *' fires every 10 s"),
      ]);
    });

    it('should accept cycles of the minimum or longer, and a cycle that fires once', async () => {
      // when
      const { problems } = await loadProcessModels(cycles('R/PT1M', 'R1/PT1S', '0 0 8 * * MON-FRI'));

      // then
      expect(problems).toEqual([]);
    });

    it('should apply the configured minimum', async () => {
      // when
      const { problems } = await loadProcessModels(cycles('R/PT1M', 'R/PT1H', '@daily'), { limits: { minTimerCycleMs: 2 * 3_600_000 } });

      // then
      expect(problems.map((p) => p.elementId)).toEqual(['TimerStart', 'Remind']);
    });

    it('should measure the shortest gap between two firings', () => {
      expect(shortestIntervalMs('PT1M')).toBe(60_000);
      expect(shortestIntervalMs('PT0.25S')).toBe(250);
      expect(shortestIntervalMs('P1M')).toBe(28 * 86_400_000);
      expect(shortestIntervalMs('0 0/15 * * * *')).toBe(900_000);
      expect(shortestIntervalMs('0 0 8 * * MON-FRI')).toBe(86_400_000);
    });

    it('should find a short gap that only happens across midnight or once a year', () => {
      expect(shortestIntervalMs('0 59 23 * * *')).toBe(86_400_000);
      expect(shortestIntervalMs('59 59 23,0 * * *')).toBe(3_600_000); // 23:59:59 → 00:59:59
      expect(shortestIntervalMs('0 0 0,23 * * *')).toBe(3_600_000); // 23:00 → 00:00
      expect(shortestIntervalMs('0,1 0 0 1 1 *')).toBe(1000);
      expect(shortestIntervalMs('0 0 0 29 2 *')).toBe(1461 * 86_400_000); // 29 February to the next, four years
    });
  });

  describe('nesting depth', () => {
    it('should accept sub-processes nested as deep as the limit', async () => {
      // when
      const { problems } = await loadProcessModels(nestedSubProcesses(32));

      // then
      expect(problems).toEqual([]);
    });

    it.each([33, 10_000, 100_000])('should refuse %i nested sub-processes before reading them, naming the first one too deep', async (depth) => {
      // when
      const error = await rejection(nestedSubProcesses(depth), { maxBytes: 100 * 1024 * 1024 });

      // then
      expect(error.problems).toEqual([problem('s32', "<bpmn:subProcess> 's32' at line 3, column")]);
      expect(error.problems[0].reason).toContain('is nested 33 sub-processes deep, more than the limit of 32 (MOTCUA_MAX_NESTING_DEPTH)');
    });

    it.each([
      ['extension elements', (n: number) => `<bpmn:startEvent id="Start"><bpmn:extensionElements>${'<vendor:a>'.repeat(n)}${'</vendor:a>'.repeat(n)}</bpmn:extensionElements></bpmn:startEvent>`],
      ['documentation markup', (n: number) => `<bpmn:startEvent id="Start"><bpmn:documentation>${'<b>'.repeat(n)}${'</b>'.repeat(n)}</bpmn:documentation></bpmn:startEvent>`],
      ['unknown BPMN elements', (n: number) => `<bpmn:startEvent id="Start" />${'<bpmn:lane>'.repeat(n)}${'</bpmn:lane>'.repeat(n)}`],
    ])('should refuse 100,000 nested %s with a problem naming where', async (_what, body) => {
      // when
      const error = await rejection(definitions(body(100_000)), { maxBytes: 100 * 1024 * 1024 });

      // then
      expect(error.problems).toEqual([problem('line 3', 'is nested 97 XML elements deep, more than the limit of 96 (MOTCUA_MAX_NESTING_DEPTH + 64)')]);
    });

    it('should keep comments, CDATA and quoted ">" out of the count', async () => {
      // given
      const xml = definitions(`<!-- <a><a><a> --><bpmn:startEvent id="Start" name="a > b"><bpmn:documentation><![CDATA[<x><x><x>]]></bpmn:documentation></bpmn:startEvent><bpmn:endEvent id="End" /><bpmn:sequenceFlow id="F" sourceRef="Start" targetRef="End" />`);

      // when
      const { problems } = await loadProcessModels(xml, { maxNestingDepth: 0 });

      // then: 3 levels of XML (definitions, process, start event's documentation) fit in 0 + 64
      expect(problems).toEqual([]);
    });

    it('should refuse a tree nested too deep in the compiler too, without recursion', async () => {
      // given: read without the pre-parse check (a recursive compiler overflowed the stack at 4,000)
      const { definitions: tree, warnings } = await parseBpmn(nestedSubProcesses(5_000), { maxBytes: 100 * 1024 * 1024, maxNestingDepth: Number.POSITIVE_INFINITY });

      // when
      const { problems } = compileDefinitions(tree, { warnings, limits: { maxNestingDepth: 5 } });

      // then
      expect(problems).toEqual([problem('s5', "sub-process 's5' is nested 6 sub-processes deep, more than the limit of 5 (MOTCUA_MAX_NESTING_DEPTH)")]);
    });
  });
});
