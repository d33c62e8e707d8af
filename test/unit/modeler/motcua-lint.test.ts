/**
 * modeler/src/bpmn/motcua-lint: the bpmnlint set-up of the web modeler, run in Node by
 * bpmnlint's own Linter over documents read with our moddle descriptor (as bpmn-js does).
 */
import { BpmnModdle } from 'bpmn-moddle';
import { Linter } from 'bpmnlint';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json';
import motcua from '../../../engine/src/model/motcua.json';
import { bpmnlint } from '../../../modeler/src/bpmn/motcua-lint';
import { parseStatutoryTime } from '../../../modeler/src/bpmn/motcua-properties/facts';

async function lint(xml: string): Promise<Record<string, Array<{ id: string; message: string }>>> {
  const moddle = new BpmnModdle({ zeebe, motcua });
  const { rootElement } = await moddle.fromXML(xml);
  return new Linter(bpmnlint).lint(rootElement);
}

const doc = (processFacts: string, taskFacts: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    ${processFacts ? `<bpmn:extensionElements>${processFacts}</bpmn:extensionElements>` : ''}
    <bpmn:startEvent id="start" name="Start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="examine" name="Examine">
      ${taskFacts ? `<bpmn:extensionElements>${taskFacts}</bpmn:extensionElements>` : ''}
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end" name="End"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="examine" />
    <bpmn:sequenceFlow id="f2" sourceRef="examine" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

const findings = async (xml: string) => ((await lint(xml))['motcua/user-task-facts'] ?? []).map((r) => `${r.id}: ${r.message}`);

describe('modeler/bpmn/motcua-lint', () => {
  describe('motcua/user-task-facts', () => {
    it('should accept a user task with its statutory time and the procedure\'s agency', async () => {
      expect(await findings(doc('<motcua:facts agency="A" />', '<motcua:facts statutoryTime="1.5" />'))).toEqual([]);
    });

    it('should report a user task without a statutory time, on that task', async () => {
      expect(await findings(doc('<motcua:facts agency="A" />', ''))).toEqual([expect.stringMatching(/^examine: .*thời hạn/)]);
    });

    it('should report a user task when neither it nor the procedure names an agency', async () => {
      expect(await findings(doc('', '<motcua:facts statutoryTime="2" />'))).toEqual([expect.stringMatching(/^examine: .*cơ quan/)]);
      expect(await findings(doc('', '<motcua:facts agency="B" statutoryTime="2" />'))).toEqual([]);
    });

    it('should report a negative statutory time', async () => {
      expect(await findings(doc('<motcua:facts agency="A" />', '<motcua:facts statutoryTime="-1" />'))).toEqual([expect.stringMatching(/^examine: .*không âm/)]);
    });
  });

  it('should run bpmnlint\'s recommended rules too', async () => {
    // given a start event without a name (label-required is a warning here)
    const results = await lint(doc('<motcua:facts agency="A" />', '<motcua:facts statutoryTime="1" />').replace(' name="Start"', ''));

    // then
    expect(results['label-required']).toEqual([expect.objectContaining({ id: 'start', category: 'warn' })]);
  });

  describe('parseStatutoryTime', () => {
    it('should read non-negative numbers (a comma as decimal point too), empty as none, the rest as invalid', () => {
      expect(parseStatutoryTime('1.5')).toBe(1.5);
      expect(parseStatutoryTime(' 2,5 ')).toBe(2.5);
      expect(parseStatutoryTime('0')).toBe(0);
      expect(parseStatutoryTime('')).toBeUndefined();
      expect(parseStatutoryTime('-1')).toBe('invalid');
      expect(parseStatutoryTime('abc')).toBe('invalid');
    });
  });
});
