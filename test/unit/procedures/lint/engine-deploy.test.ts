/**
 * onestop/procedures/lint/rules/engine-deploy: the engine's deploy problems, each a lint
 * error on its element, with the engine's own reason.
 */
import { compileDefinitions, parseBpmn } from '../../../../engine/src/model';
import { changed, findingsOf, PROCEDURE } from './lint-fixture';

async function deployProblems(xml: string): Promise<string[]> {
  const { definitions, warnings } = await parseBpmn(xml);
  return compileDefinitions(definitions, { warnings }).problems.map((p) => `${p.elementId}: ${p.reason} (error)`);
}

describe('procedures/lint/engine-deploy', () => {
  it('should find nothing in a model the engine deploys', async () => {
    expect(await deployProblems(PROCEDURE)).toEqual([]);
    expect(await findingsOf('motcua/engine-deploy', PROCEDURE)).toEqual([]);
  });

  it('should report every deploy problem on its element, with the engine\'s reason', async () => {
    // given a timer the engine cannot read, a flow to nowhere and a negative share
    const xml = changed(
      ['>P15D<', '>fifteen days<'],
      ['<bpmn:sequenceFlow id="f-stopped" sourceRef="supplementOverdue" targetRef="stopped" />', '<bpmn:sequenceFlow id="f-stopped" sourceRef="supplementOverdue" targetRef="nowhere" />'],
      ['statutoryTime="1" timeUnit="workingDays" dossierStatus="processing"', 'statutoryTime="-1" timeUnit="workingDays" dossierStatus="processing"'],
    );

    // when
    const problems = await deployProblems(xml);
    const findings = await findingsOf('motcua/engine-deploy', xml);

    // then
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(findings.sort()).toEqual(problems.sort());
    expect(findings.join('\n')).toMatch(/^supplementOverdue: /m);
    expect(findings.join('\n')).toMatch(/^examine: .*statutoryTime/m);
  });

  it('should report the parser\'s dropped elements as the deploy does', async () => {
    // given a misspelt BPMN element, which the lax parser drops with a warning
    const xml = changed(['<bpmn:userTask id="sign" name="Ký duyệt">', '<bpmn:userTsk id="sign2" name="Ký duyệt"></bpmn:userTsk><bpmn:userTask id="sign" name="Ký duyệt">']);

    // when
    const problems = await deployProblems(xml);

    // then
    expect(problems).toEqual([expect.stringMatching(/userTsk/)]);
    expect(await findingsOf('motcua/engine-deploy', xml)).toEqual(problems);
  });

  it('should count a called process as deployed when the caller says so', async () => {
    // given a call activity to a process outside the document
    const xml = changed(
      ['<bpmn:exclusiveGateway id="examineMerge">', '<bpmn:callActivity id="callOther" name="Gọi thủ tục khác"><bpmn:extensionElements><zeebe:calledElement processId="other" /></bpmn:extensionElements><bpmn:incoming>f-call</bpmn:incoming><bpmn:outgoing>f-called</bpmn:outgoing></bpmn:callActivity><bpmn:exclusiveGateway id="examineMerge">'],
      ['<bpmn:outgoing>f-examine</bpmn:outgoing>', '<bpmn:outgoing>f-call</bpmn:outgoing>'],
      ['<bpmn:incoming>f-examine</bpmn:incoming>', '<bpmn:incoming>f-called</bpmn:incoming>'],
      ['<bpmn:sequenceFlow id="f-examine" sourceRef="examineMerge" targetRef="examine" />', '<bpmn:sequenceFlow id="f-call" sourceRef="examineMerge" targetRef="callOther" /><bpmn:sequenceFlow id="f-called" sourceRef="callOther" targetRef="examine" />'],
    );

    // then
    expect(await findingsOf('motcua/engine-deploy', xml)).toEqual([expect.stringMatching(/^callOther: .*other/)]);
    expect(await findingsOf('motcua/engine-deploy', xml, { knownProcessIds: ['other'] })).toEqual([]);
  });
});
