/**
 * onestop/procedures/lint/rules/user-task-facts: every user task has a role, an agency and a time share.
 */
import { changed, findingsOf, PROCEDURE } from './lint-fixture';

const RULE = 'motcua/user-task-facts';

describe('procedures/lint/user-task-facts', () => {
  it('should accept user tasks with a candidate group, the procedure\'s agency and a share', async () => {
    expect(await findingsOf(RULE, PROCEDURE)).toEqual([]);
  });

  it('should report a user task without a role', async () => {
    const xml = changed(['<zeebe:assignmentDefinition candidateGroups="specialist" />', '<zeebe:assignmentDefinition candidateGroups=" " />']);
    expect(await findingsOf(RULE, xml)).toEqual([expect.stringMatching(/^examine: User task has no role/)]);
  });

  it('should accept an assignee as the role', async () => {
    const xml = changed(['<zeebe:assignmentDefinition candidateGroups="specialist" />', '<zeebe:assignmentDefinition assignee="=examiner" />']);
    expect(await findingsOf(RULE, xml)).toEqual([]);
  });

  it('should report a user task without a share of the statutory time', async () => {
    const xml = changed(['statutoryTime="1" timeUnit="workingDays" dossierStatus="processing"', 'dossierStatus="processing"']);
    expect(await findingsOf(RULE, xml)).toEqual([expect.stringMatching(/^examine: User task has no share of the statutory time/)]);
  });

  it('should report the user tasks when neither they nor the process name an agency', async () => {
    // given the process without its agency, and one task with its own
    const xml = changed(
      ['<motcua:facts agency="000.01.00.H29" statutoryTime="3" timeUnit="workingDays" />', '<motcua:facts statutoryTime="3" timeUnit="workingDays" />'],
      ['<motcua:facts statutoryTime="1" timeUnit="workingDays" dossierStatus="processing" />', '<motcua:facts agency="000.01.00.H29" statutoryTime="1" timeUnit="workingDays" dossierStatus="processing" />'],
    );

    // then
    const findings = await findingsOf(RULE, xml);
    expect(findings.map((f) => f.split(':')[0]).sort()).toEqual(['receive', 'requestSupplement', 'returnRefusal', 'returnResult', 'sign']);
    expect(findings[0]).toMatch(/has no agency/);
  });

  it('should leave a process without one-stop facts alone', async () => {
    const xml = changed(
      ['<motcua:facts agency="000.01.00.H29" statutoryTime="3" timeUnit="workingDays" />', ''],
      ['<zeebe:assignmentDefinition candidateGroups="specialist" />', ''],
    );
    expect(await findingsOf(RULE, xml)).toEqual([]);
  });
});
