import path from 'node:path';
import {
  InstanceDriver,
  activatedElements,
  completedElements,
  loadFixture,
  ofType,
  openedTasks,
  terminatedElements,
} from '../../../support/runtime-harness';

const FIXTURE = path.join(__dirname, 'sub-process.bpmn');

async function driver(processId: string): Promise<InstanceDriver> {
  const { graphs } = await loadFixture(FIXTURE);
  return new InstanceDriver(graphs[processId]);
}

describe('runtime/behaviors/sub-process', () => {
  it('should enter the sub-process at its start event with its input variables as locals', async () => {
    // given
    const run = await driver('embedded');

    // when
    const effects = run.start({ fee: 21 });

    // then
    expect(activatedElements(effects)).toEqual(['Start', 'Appraisal', 'SubStart', 'Inspect']);
    const inspect = run.current.elements[run.task('Inspect').owner];
    const appraisal = run.current.elements[inspect.parent];
    expect(appraisal.elementId).toBe('Appraisal');
    expect(appraisal.vars).toEqual({ doubled: 42 });
    expect(run.variables).toEqual({ fee: 21 });
    expect(ofType(effects, 'timerScheduled')[0].timer).toMatchObject({ elementId: 'TooLong', elementInstanceKey: appraisal.key });
  });

  it('should complete when its last token ends, map its outputs and leave its locals behind', async () => {
    // given
    const run = await driver('embedded');
    run.start({ fee: 21 });

    // when
    const effects = run.completeTask('Inspect', { result: 'pass' });

    // then
    expect(completedElements(effects)).toEqual(['Inspect', 'SubEnd', 'Appraisal']);
    expect(ofType(effects, 'timerCancelled')).toHaveLength(1);
    expect(openedTasks(effects)).toEqual(['After']);
    expect(run.variables).toEqual({ fee: 21, result: 'pass', appraisalResult: 'pass' });
    expect(run.variables).not.toHaveProperty('doubled');
  });

  it('should terminate everything inside when an interrupting boundary event fires', async () => {
    // given
    const run = await driver('embedded');
    run.start({ fee: 21 });
    const inspect = run.task('Inspect').id;

    // when
    const effects = run.fireTimer('TooLong');

    // then
    expect(terminatedElements(effects)).toEqual(['Inspect', 'Appraisal']);
    expect(ofType(effects, 'taskCancelled')).toEqual([{ type: 'taskCancelled', taskId: inspect }]);
    expect(run.status).toBe('completed');
    expect(run.variables).toEqual({ fee: 21 });
  });

  it('should end only the sub-process on a terminate end event inside it', async () => {
    // given
    const run = await driver('embedded-terminate');

    // when
    const effects = run.start();

    // then
    expect(terminatedElements(effects)).toEqual(['T_Slow']);
    expect(completedElements(effects)).toEqual(expect.arrayContaining(['T_Fast', 'T_Terminate', 'T_Sub']));
    expect(openedTasks(effects)).toEqual(['T_Slow', 'T_After']);
    expect(ofType(effects, 'taskCancelled')).toHaveLength(1);
    expect(run.activeElements).toEqual(['T_After']);
  });

  it('should run an event sub-process of the sub-process within its scope', async () => {
    // given
    const run = await driver('embedded-event-sub-process');
    run.start();

    // when
    const effects = run.fireTimer('N_TimeoutStart');

    // then
    expect(terminatedElements(effects)).toEqual(['N_Work']);
    expect(openedTasks(effects)).toEqual(['N_Handle']);

    // when
    const after = run.completeTask('N_Handle');

    // then
    expect(completedElements(after)).toEqual(['N_Handle', 'N_TimeoutEnd', 'N_Timeout', 'N_Sub']);
    expect(openedTasks(after)).toEqual(['N_After']);
  });

  it('should cancel the event sub-process timer when the sub-process completes', async () => {
    // given
    const run = await driver('embedded-event-sub-process');
    run.start();

    // when
    const effects = run.completeTask('N_Work');

    // then
    expect(ofType(effects, 'timerCancelled')).toHaveLength(1);
    expect(openedTasks(effects)).toEqual(['N_After']);
    expect(run.waits('timer')).toEqual([]);
  });
});
