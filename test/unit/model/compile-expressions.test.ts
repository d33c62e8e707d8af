import { loadFixture, problem } from './load-fixture';

describe('model/compile', () => {

  describe('expressions', () => {

    it('should report FEEL that does not parse, wherever it is', async () => {
      // when
      const { problems } = await loadFixture('invalid-feel.bpmn');

      // then
      expect(problems).toEqual([
        problem('Task_Job', "the input mapping 'x' of service task 'Task_Job' is not a valid FEEL expression (=a +* b)"),
        problem('Task_Job', "the output mapping 'y' of service task 'Task_Job' is not a valid FEEL expression"),
        problem('Task_Job', 'the multi-instance input collection of service task'),
        problem('Task_Job', 'the multi-instance completion condition of service task'),
        problem('Task_Job', 'the job type of service task'),
        problem('Task_User', "the assignee of user task 'Task_User' is not a valid FEEL expression"),
        problem('Task_Script', 'the script expression of script task'),
        problem('Task_Receive', 'the message name of receive task'),
        problem('Task_Receive', 'the correlation key of receive task'),
        problem('Call_Dynamic', 'the called process id of call activity'),
        problem('Flow_Bad', "the condition of sequence flow 'Flow_Bad' is not a valid FEEL expression (=amount >): FEEL syntax error"),
        problem('Flow_Literal', "the condition of sequence flow 'Flow_Literal' must be a FEEL expression starting with '=' (got '${approved}')"),
      ]);
    });
  });

  describe('userTask', () => {

    it('should report static due and follow-up dates that are not ISO 8601', async () => {
      // when
      const { problems } = await loadFixture('invalid-due-date.bpmn');

      // then
      expect(problems).toEqual([
        problem('Task_Due', "the due date of user task 'Task_Due' 'next friday' is not an ISO 8601 date-time or duration"),
        problem('Task_FollowUp', "the follow-up date of user task 'Task_FollowUp' 'P3X' is not an ISO 8601 date-time or duration"),
      ]);
    });
  });

  describe('timers', () => {

    it('should report static timer texts that are not valid, and only parse FEEL timers', async () => {
      // when
      const { problems } = await loadFixture('invalid-static-timer.bpmn');

      // then
      expect(problems).toEqual([
        problem('Start_Cycle', "the time cycle of start event 'Start_Cycle' is not a valid timer 'every day'"),
        problem('Catch_Date', "the time date of intermediate catch event 'Catch_Date' is not a valid timer 'tomorrow'"),
        problem('Catch_Duration', "the time duration of intermediate catch event 'Catch_Duration' is not a valid timer '2 hours'"),
      ]);
    });
  });
});
