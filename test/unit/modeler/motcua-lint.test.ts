/**
 * modeler/src/bpmn/motcua-lint: the bpmnlint set-up of the web modeler (our plugin from
 * onestop/src/procedures/lint plus bpmnlint's recommended rules), run in Node by
 * bpmnlint's own Linter over documents read with our moddle descriptor (as bpmn-js does).
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { BpmnModdle } from 'bpmn-moddle';
import { Linter } from 'bpmnlint';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json';
import motcua from '../../../engine/src/model/motcua.json';
import { bpmnlint, modelerLint } from '../../../modeler/src/bpmn/motcua-lint';
import { vietnameseFinding } from '../../../modeler/src/bpmn/motcua-lint/vi-messages';
import { parseStatutoryTime } from '../../../modeler/src/bpmn/motcua-properties/facts';
import { lintBpmn } from '../../../onestop/src/procedures/lint-bpmn';

const FIXTURE = readFileSync(join(__dirname, '../procedures/lint/procedure.bpmn'), 'utf8');

async function lint(xml: string, setUp = bpmnlint): Promise<Record<string, Array<{ id: string; message: string; category: string }>>> {
  const moddle = new BpmnModdle({ zeebe, motcua });
  const { rootElement } = await moddle.fromXML(xml);
  return new Linter(setUp).lint(rootElement);
}

const findings = async (rule: string, xml: string) => ((await lint(xml))[rule] ?? []).map((r) => `${r.id}: ${r.message} (${r.category})`);

describe('modeler/bpmn/motcua-lint', () => {
  it('should find in the canvas what the server\'s lint finds, with our findings in Vietnamese', async () => {
    // given a step without its share and a timer the engine cannot run
    const xml = FIXTURE.replace('statutoryTime="1" timeUnit="workingDays" dossierStatus="processing"', 'dossierStatus="processing"').replace('>P15D<', '>fifteen days<');

    // when
    const canvas = await lint(xml);
    const server = await lintBpmn(xml);

    // then the same rules fire on the same elements
    const inCanvas = Object.entries(canvas).flatMap(([rule, reports]) => reports.map((r) => `${rule} ${r.id} ${r.category}`));
    expect(inCanvas.sort()).toEqual(server.findings.map((f) => `${f.rule} ${f.elementId} ${f.severity}`).sort());
    expect(await findings('motcua/user-task-facts', xml)).toEqual(['examine: Bước xử lý chưa có thời hạn theo quy định (Một cửa › Thời hạn). (error)']);
    expect(await findings('motcua/engine-deploy', xml)).toEqual([expect.stringMatching(/^supplementOverdue: .*fifteen days.* \(error\)$/)]);
  });

  it('should take a project\'s severities', async () => {
    const xml = FIXTURE.replace('<zeebe:assignmentDefinition candidateGroups="specialist" />', '');
    const results = await lint(xml, modelerLint({ rules: { 'motcua/user-task-facts': 'warn' } }));
    expect(results['motcua/user-task-facts']).toEqual([expect.objectContaining({ id: 'examine', category: 'warn' })]);
  });

  it('should run bpmnlint\'s recommended rules too, label-required as a warning', async () => {
    const results = await lint(FIXTURE.replace(' name="Hồ sơ được nộp"', ''));
    expect(results['label-required']).toEqual([expect.objectContaining({ id: 'submitted', category: 'warn' })]);
  });

  describe('vietnameseFinding', () => {
    it('should have a Vietnamese text for every message form of our rules', () => {
      const messages = [
        'User task has no role: set the candidate groups (or an assignee) of its assignment',
        'User task has no agency, and neither has its process (motcua:facts agency)',
        'Step shares add up to 3.5 workingDays on the path receive 0.5 workingDays, examine 2 workingDays, more than the statutory time of 3 workingDays',
        'Step shares add up to 16 workingDays on the path a 1 workingDays, more than the 15 workingDays allowed with verification',
        "Process statutory time is not set; the procedure's is 5 workingDays",
        "Procedure has no refusal path: no end event with dossier status 'refused' or 'rejected' (mẫu 03, Decree 118/2025 art. 17, 19(3)) is reachable from the start",
        'Name "UBND huyện" names a district-level unit (\'huyện\'); since 01/07/2025 agencies are provincial or communal (Resolution 202/2025/QH15)',
        'Agency 000.05.00.H29 is a district-level agency; since 01/07/2025 agencies are provincial or communal (Resolution 202/2025/QH15)',
        'Procedure requires the 15:00 cut-off (a dossier received later counts from the next working day) but the process has no cut-off; set motcua:facts cutoff="legal"',
        'Same-day procedure has its cut-off switched off (cutoff="none"); after the cut-off a dossier is handled the next working day (Law on Civil Status 2014 art. 5(3))',
      ];
      for (const message of messages) expect({ message, vi: vietnameseFinding(message) !== message }).toEqual({ message, vi: true });
      expect(vietnameseFinding(messages[2])).toBe('Tổng thời hạn các bước là 3.5 ngày làm việc (receive 0.5 ngày làm việc, examine 2 ngày làm việc), vượt thời hạn giải quyết 3 ngày làm việc.');
      expect(vietnameseFinding("task 'x' has no flow")).toBe("task 'x' has no flow");
    });
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
