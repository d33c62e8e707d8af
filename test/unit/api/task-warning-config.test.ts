/** The MOTCUA_TASK_WARNING setting: its forms, its default, and errors naming the variable. */
import { loadConfig } from '../../../api/src/config';
import { parseTaskWarning } from '../../../api/src/task-warning-config';

describe('api/task-warning-config', () => {
  it.each([
    [undefined, { amount: 1, unit: 'workingDays' }],
    ['', { amount: 1, unit: 'workingDays' }],
    ['4 workingHours', { amount: 4, unit: 'workingHours' }],
    ['0.5 workingDays', { amount: 0.5, unit: 'workingDays' }],
    ['2 calendarDays', { amount: 2, unit: 'calendarDays' }],
    ['75%', { share: 0.75 }],
    ['off', undefined],
  ])('%j → %j', (raw, expected) => {
    expect(parseTaskWarning(raw)).toEqual(expected);
  });

  it.each(['1 day', 'soon', '0%', '100%', '-1 workingDays', '1 sameDay'])('should refuse %j naming the variable', (raw) => {
    expect(() => loadConfig({ MOTCUA_TASK_WARNING: raw })).toThrow(`configuration: MOTCUA_TASK_WARNING must be "<number> <unit>"`);
  });
});

describe('api/config MOTCUA_RECOMPUTE_DUE_DATES', () => {
  it.each([[undefined, true], ['true', true], ['1', true], ['false', false], ['0', false]])('%j → %j', (raw, expected) => {
    expect(loadConfig(raw === undefined ? {} : { MOTCUA_RECOMPUTE_DUE_DATES: raw }).recomputeDueDates).toBe(expected);
  });

  it('should refuse anything else naming the variable', () => {
    expect(() => loadConfig({ MOTCUA_RECOMPUTE_DUE_DATES: 'yes' })).toThrow("configuration: MOTCUA_RECOMPUTE_DUE_DATES must be true or false (got 'yes')");
  });
});
