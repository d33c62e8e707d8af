/**
 * onestop/procedures/lint-bpmn: the node-side runner of the plugin and bpmnlint's rules.
 */
import { lintBpmn } from '../../../../onestop/src/procedures/lint-bpmn';
import { changed, PROCEDURE } from './lint-fixture';

describe('procedures/lint-bpmn', () => {
  it('should find nothing in the fixture but its missing diagram', async () => {
    // when
    const { findings, errors, warnings } = await lintBpmn(PROCEDURE);

    // then
    expect(new Set(findings.map((f) => f.rule))).toEqual(new Set(['no-bpmndi']));
    expect(errors).toBe(findings.length);
    expect(warnings).toBe(0);
    expect((await lintBpmn(PROCEDURE, { config: { rules: { 'no-bpmndi': 'off' } } })).findings).toEqual([]);
  });

  it('should give a document that cannot be read as one engine-deploy error, without throwing', async () => {
    // when
    const result = await lintBpmn('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="p"');

    // then
    expect(result).toEqual({
      findings: [{ rule: 'motcua/engine-deploy', elementId: 'definitions', severity: 'error', message: expect.stringMatching(/^malformed XML|unclosed|line/) }],
      errors: 1,
      warnings: 0,
    });
  });

  it('should read flows that name only their source and target, as bpmn-js does', async () => {
    // given the fixture without <bpmn:incoming>/<bpmn:outgoing>
    const bare = PROCEDURE.replace(/\s*<bpmn:(incoming|outgoing)>[^<]*<\/bpmn:\1>/g, '');

    // when
    const { findings } = await lintBpmn(bare, { config: { rules: { 'no-bpmndi': 'off' } } });

    // then
    expect(findings).toEqual([]);
  });

  describe('severities', () => {
    it('should take a project\'s severity for a rule', async () => {
      // given a user task without a role
      const xml = changed(['<zeebe:assignmentDefinition candidateGroups="specialist" />', '']);

      // when
      const strict = await lintBpmn(xml, { config: { rules: { 'no-bpmndi': 'off' } } });
      const lenient = await lintBpmn(xml, { config: { rules: { 'no-bpmndi': 'off', 'motcua/user-task-facts': 'warn' } } });
      const off = await lintBpmn(xml, { config: { rules: { 'no-bpmndi': 'off', 'motcua/user-task-facts': 'off' } } });

      // then
      expect(strict.findings.map((f) => [f.rule, f.elementId, f.severity])).toEqual([['motcua/user-task-facts', 'examine', 'error']]);
      expect(lenient).toMatchObject({ errors: 0, warnings: 1, findings: [{ rule: 'motcua/user-task-facts', severity: 'warn' }] });
      expect(off.findings).toEqual([]);
    });

    it('should keep motcua/engine-deploy an error whatever the project says', async () => {
      // given a timer the engine cannot run
      const xml = changed(['>P15D<', '>fifteen days<']);

      // when
      const result = await lintBpmn(xml, { config: { rules: { 'no-bpmndi': 'off', 'motcua/engine-deploy': 'off' } } });

      // then
      expect(result.findings).toEqual([expect.objectContaining({ rule: 'motcua/engine-deploy', elementId: 'supplementOverdue', severity: 'error' })]);
    });

    it('should refuse an unknown severity, naming the rule', async () => {
      await expect(lintBpmn(PROCEDURE, { config: { rules: { 'motcua/cutoff': 'fatal' as never } } })).rejects.toThrow(/lint rule 'motcua\/cutoff' has the severity "fatal"/);
    });
  });
});
