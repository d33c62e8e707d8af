/**
 * modeler/bpmn/procedure-template: a new procedure made from the one-stop-shop template
 * lints clean with the server's lint (every motcua/* rule, the engine's deploy rules and
 * bpmnlint's recommended ones): it draws the lifecycle's refusal, supplement and result paths.
 */
import { oneStopShopTemplate } from '../../../modeler/src/bpmn/procedure-template/one-stop-shop-template';
import { lintBpmn } from '../../../onestop/src/procedures/lint-bpmn';

describe('modeler/bpmn/procedure-template', () => {
  it('should make a procedure that lints with neither error nor warning', async () => {
    // given a new procedure of an agency
    const xml = oneStopShopTemplate({ processId: 'procedure_abc123', agency: '000.01.00.H29' });

    // when it is linted
    const { findings } = await lintBpmn(xml);

    // then nothing is found
    expect(findings.map((f) => `${f.rule} ${f.elementId}: ${f.message} (${f.severity})`)).toEqual([]);
  });

  it('should ask only for the agency when the analyst belongs to none', async () => {
    const { findings } = await lintBpmn(oneStopShopTemplate({ processId: 'procedure_x' }));
    const rules = new Set(findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.message}`));
    expect([...rules]).toEqual(['motcua/user-task-facts: User task has no agency, and neither has its process (motcua:facts agency)']);
  });
});
