/**
 * onestop/procedures/lint/rules/step-shares: the shares of the longest path fit within the statutory time.
 */
import { changed, findingsOf, PROCEDURE } from './lint-fixture';

const RULE = 'motcua/step-shares';
const EXAMINE = 'statutoryTime="1" timeUnit="workingDays" dossierStatus="processing"';

describe('procedures/lint/step-shares', () => {
  it('should accept shares that fit (the longest path is 2.5 of 3 working days)', async () => {
    expect(await findingsOf(RULE, PROCEDURE)).toEqual([]);
  });

  it('should report shares that add up to more than the statutory time, naming the path, on the pool', async () => {
    // given an examination of 1.5 working days: 3 in all, still fits; 2 days: 3.5
    expect(await findingsOf(RULE, changed([EXAMINE, EXAMINE.replace('"1"', '"1.5"')]))).toEqual([]);
    const xml = changed([EXAMINE, EXAMINE.replace('"1"', '"2"')]);

    // then
    expect(await findingsOf(RULE, xml)).toEqual([
      'pool: Step shares add up to 3.5 workingDays on the path receive 0.5 workingDays, examine 2 workingDays, sign 0.5 workingDays, returnResult 0.5 workingDays, more than the statutory time of 3 workingDays (error)',
    ]);
  });

  it('should add shares of other units as working hours (24 hours: one working day)', async () => {
    // given the examination as 48 hours (2 working days) or 8 working hours (1)
    expect(await findingsOf(RULE, changed([EXAMINE, 'statutoryTime="48" timeUnit="hours" dossierStatus="processing"']))).toHaveLength(1);
    expect(await findingsOf(RULE, changed([EXAMINE, 'statutoryTime="8" timeUnit="workingHours" dossierStatus="processing"']))).toEqual([]);
  });

  it('should count a loop once (the supplement goes back to the examination)', async () => {
    // given a supplement request of 1.5 working days: receive + examine + request = 3, the loop back not counted again
    const xml = changed(['statutoryTime="0.5" timeUnit="workingDays" dossierStatus="supplement-requested"', 'statutoryTime="1.5" timeUnit="workingDays" dossierStatus="supplement-requested"']);
    expect(await findingsOf(RULE, xml)).toEqual([]);
  });

  it('should compare the process with the procedure\'s statutory time, and allow the longer time with verification', async () => {
    // given the procedure says 5 working days
    expect(await findingsOf(RULE, PROCEDURE, { procedure: { statutoryTime: { amount: 3, unit: 'workingDays' } } })).toEqual([]);
    expect(await findingsOf(RULE, PROCEDURE, { procedure: { statutoryTime: { amount: 5, unit: 'workingDays' } } })).toEqual([
      "pool: Process statutory time is 3 workingDays; the procedure's is 5 workingDays (error)",
    ]);

    // and 3 working days, 4 with verification
    const long = changed([EXAMINE, EXAMINE.replace('"1"', '"2"')]);
    expect(await findingsOf(RULE, long, { procedure: { statutoryTime: { amount: 3, unit: 'workingDays', withVerification: 4 } } })).toEqual([]);
    expect(await findingsOf(RULE, changed([EXAMINE, EXAMINE.replace('"1"', '"3"')]), { procedure: { statutoryTime: { amount: 3, unit: 'workingDays', withVerification: 4 } } })).toEqual([
      expect.stringMatching(/more than the 4 workingDays allowed with verification/),
    ]);
  });
});
