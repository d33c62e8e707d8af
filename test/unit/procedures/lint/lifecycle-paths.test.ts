/**
 * onestop/procedures/lint/rules/lifecycle-paths: the supplement, refusal and result paths exist (withdrawal on request).
 */
import { changed, findingsOf, PROCEDURE } from './lint-fixture';

const RULE = 'motcua/lifecycle-paths';

describe('procedures/lint/lifecycle-paths', () => {
  it('should accept a procedure with its supplement, refusal and result paths', async () => {
    expect(await findingsOf(RULE, PROCEDURE)).toEqual([]);
  });

  it('should report a missing result path on the pool', async () => {
    const xml = changed(['<motcua:facts dossierStatus="returned" />', '<motcua:facts dossierStatus="processing" />']);
    expect(await findingsOf(RULE, xml)).toEqual([expect.stringMatching(/^pool: Procedure has no result path: no end event with dossier status 'returned'/)]);
  });

  it('should report a missing supplement path (no request, or no stop)', async () => {
    const noRequest = changed(['dossierStatus="supplement-requested"', 'dossierStatus="processing"']);
    expect(await findingsOf(RULE, noRequest)).toEqual([expect.stringMatching(/^pool: Procedure has no supplement path: no step with dossier status 'supplement-requested'/)]);
    const noStop = changed(['<motcua:facts dossierStatus="stopped" />', '']);
    expect(await findingsOf(RULE, noStop)).toEqual([expect.stringMatching(/no supplement path: no end event with dossier status 'stopped'/)]);
  });

  it('should accept either refusal, and report when neither is there', async () => {
    const onlyRejected = changed(['<motcua:facts dossierStatus="refused" />', '']);
    expect(await findingsOf(RULE, onlyRejected)).toEqual([]);
    const neither = changed(['<motcua:facts dossierStatus="refused" />', ''], ['<motcua:facts dossierStatus="rejected" />', '']);
    expect(await findingsOf(RULE, neither)).toEqual([expect.stringMatching(/no refusal path/)]);
  });

  it('should not count an end event that cannot be reached from the start', async () => {
    // given the result path cut off from the decision
    const xml = changed(['<bpmn:sequenceFlow id="f-returnResult" name="Phê duyệt" sourceRef="decision" targetRef="returnResult">', '<bpmn:sequenceFlow id="f-returnResult" name="Phê duyệt" sourceRef="decision" targetRef="returnRefusal">']);
    expect(await findingsOf(RULE, xml)).toEqual([expect.stringMatching(/no result path/)]);
  });

  it('should ask for a withdrawal path only when the project draws withdrawal in its models', async () => {
    const config = { rules: { [RULE]: ['error', { withdrawal: 'model' }] as ['error', Record<string, unknown>] } };
    expect(await findingsOf(RULE, PROCEDURE, { config })).toEqual([expect.stringMatching(/no withdrawal path: no end event with dossier status 'withdrawn'/)]);
  });
});
