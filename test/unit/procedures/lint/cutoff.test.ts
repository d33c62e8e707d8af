/**
 * onestop/procedures/lint/rules/cutoff: the 15:00 cut-off where the law requires it.
 */
import { changed, findingsOf, PROCEDURE } from './lint-fixture';

const RULE = 'motcua/cutoff';
const PROCESS_FACTS = '<motcua:facts agency="000.01.00.H29" statutoryTime="3" timeUnit="workingDays" />';
const withCutoff = { procedure: { statutoryTime: { amount: 3, unit: 'workingDays', cutoff: '15:00' } } };

describe('procedures/lint/cutoff', () => {
  it('should ask nothing of a procedure the law gives no cut-off', async () => {
    expect(await findingsOf(RULE, PROCEDURE)).toEqual([]);
    expect(await findingsOf(RULE, PROCEDURE, { procedure: { statutoryTime: { amount: 3, unit: 'workingDays' } } })).toEqual([]);
  });

  it('should report a missing cut-off where the procedure has one, on the pool', async () => {
    expect(await findingsOf(RULE, PROCEDURE, withCutoff)).toEqual([expect.stringMatching(/^pool: Procedure requires the 15:00 cut-off .* but the process has no cut-off; set motcua:facts cutoff="legal"/)]);
    const other = changed([PROCESS_FACTS, PROCESS_FACTS.replace(' />', ' cutoff="16:00" />')]);
    expect(await findingsOf(RULE, other, withCutoff)).toEqual([expect.stringMatching(/has cutoff="16:00"/)]);
  });

  it('should accept the legal cut-off, the procedure\'s time, or a same-day time', async () => {
    for (const facts of [' cutoff="legal" />', ' cutoff="15:00" />']) {
      expect(await findingsOf(RULE, changed([PROCESS_FACTS, PROCESS_FACTS.replace(' />', facts)]), withCutoff)).toEqual([]);
    }
    const sameDay = changed([PROCESS_FACTS, '<motcua:facts agency="000.01.00.H29" statutoryTime="1" timeUnit="sameDay" />']);
    expect(await findingsOf(RULE, sameDay, withCutoff)).toEqual([]);
  });

  it('should report a same-day procedure whose cut-off is switched off', async () => {
    const xml = changed([PROCESS_FACTS, '<motcua:facts agency="000.01.00.H29" statutoryTime="1" timeUnit="sameDay" cutoff="none" />']);
    expect(await findingsOf(RULE, xml)).toEqual([expect.stringMatching(/^pool: Same-day procedure has its cut-off switched off/)]);
  });
});
