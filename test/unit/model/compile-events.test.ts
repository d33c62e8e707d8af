import { loadFixture, problem } from './load-fixture';

describe('model/compile', () => {

  describe('startEvent', () => {

    it('should report a terminate start event', async () => {
      // when
      const { problems } = await loadFixture('terminate-start-event.bpmn');

      // then
      expect(problems).toEqual([problem('Start_Terminate', 'a terminate event definition is not allowed on the start event of a process')]);
    });

    it('should report an error start event at the top level', async () => {
      // when
      const { problems } = await loadFixture('error-start-top-level.bpmn');

      // then
      expect(problems).toEqual([problem('Start_Error', 'an error event definition is not allowed on the start event of a process')]);
    });

    it('should report a message start event in an embedded sub-process', async () => {
      // when
      const { problems } = await loadFixture('message-start-in-embedded-sub-process.bpmn');

      // then
      expect(problems).toEqual([
        problem('Start_Message', 'a message event definition is not allowed on the start event of an embedded sub-process'),
      ]);
    });
  });

  describe('endEvent', () => {

    it('should report a timer end event', async () => {
      // when
      const { problems } = await loadFixture('timer-end-event.bpmn');

      // then
      expect(problems).toEqual([problem('End_Timer', 'a timer event definition is not allowed on an end event')]);
    });

    it('should report an error end event without errorRef, and an error without code', async () => {
      // when
      const { problems } = await loadFixture('error-events.bpmn');

      // then
      expect(problems).toEqual([
        problem('Boundary_NonInterrupting', 'error boundary events are always interrupting'),
        problem('End_NoErrorRef', 'has no error (errorRef is missing)'),
        problem('End_NoErrorCode', "error 'Error_NoCode' thrown by end event 'End_NoErrorCode' has no errorCode"),
      ]);
    });
  });

  describe('intermediateCatchEvent', () => {

    it('should report an escalation intermediate catch event', async () => {
      // when
      const { problems } = await loadFixture('escalation-intermediate-catch.bpmn');

      // then
      expect(problems).toEqual([problem('Catch_Escalation', 'an escalation event definition is not allowed on an intermediate catch event')]);
    });

    it('should report an event with more than one event definition', async () => {
      // when
      const { problems } = await loadFixture('multiple-event-definitions.bpmn');

      // then
      expect(problems).toEqual([problem('Catch_Multiple', '2 event definitions (message, timer): multiple events on one event are not supported')]);
    });

    it('should report a timer without timeDate, timeDuration or timeCycle', async () => {
      // when
      const { problems } = await loadFixture('timer-without-definition.bpmn');

      // then
      expect(problems).toEqual([problem('Catch_Timer', 'has none of timeDate, timeDuration, timeCycle')]);
    });
  });

  describe('boundaryEvent', () => {

    it('should report a time cycle on an interrupting timer boundary event', async () => {
      // when
      const { problems } = await loadFixture('timer-cycle-on-interrupting-boundary.bpmn');

      // then
      expect(problems).toEqual([problem('Boundary_Cycle', 'a time cycle is not allowed on an interrupting timer boundary event')]);
    });

    it('should report a boundary event on a gateway, and one with incoming flows', async () => {
      // when
      const { problems } = await loadFixture('boundary-on-gateway.bpmn');

      // then
      expect(problems).toEqual([
        problem('Boundary_OnGateway', "is attached to exclusive gateway 'Gateway_1'; boundary events can only be attached to activities"),
        problem('Boundary_WithIncoming', 'has incoming sequence flows (Flow_Into_Start_Boundary_WithIncoming)'),
      ]);
    });

    it('should accept an error boundary event without error code as catch-all', async () => {
      // when
      const { problems, graphs } = await loadFixture('error-events.bpmn');

      // then
      expect(problems.map((p) => p.elementId)).not.toContain('Boundary_CatchAll');
      expect(graphs[0].nodes.Boundary_CatchAll).toMatchObject({ eventDefinition: { kind: 'error' } });
      expect(graphs[0].nodes.Boundary_CatchAll).not.toHaveProperty('eventDefinition.errorCode');
    });
  });

  describe('message events', () => {

    it('should report message catches without a message or without a message name', async () => {
      // when
      const { problems } = await loadFixture('message-catch-without-message.bpmn');

      // then
      expect(problems).toEqual([
        problem('Catch_NoMessage', 'has no message (messageRef is missing)'),
        problem('Task_Receive', "receive task 'Task_Receive' has no message (messageRef is missing)"),
        problem('Boundary_NoName', "message 'Message_NoName' of boundary event 'Boundary_NoName' has no name"),
      ]);
    });

    it('should report message catches without a correlation key, except the start event of a process', async () => {
      // when
      const { problems } = await loadFixture('message-catch-without-correlation-key.bpmn');

      // then
      expect(problems).toEqual([
        problem('Catch_NoKey', 'has no correlation key (zeebe:subscription correlationKey)'),
        problem('Start_EventSub', 'has no correlation key (zeebe:subscription correlationKey)'),
      ]);
    });

    it('should report message throw events and message end events without a job type', async () => {
      // when
      const { problems } = await loadFixture('job-without-type.bpmn');

      // then
      expect(problems).toEqual(expect.arrayContaining([
        problem('Throw_Message', 'has no job type (zeebe:taskDefinition type): message throw events run as jobs'),
        problem('End_Message', 'has no job type (zeebe:taskDefinition type): message throw events run as jobs'),
      ]));
    });
  });

  describe('signal events', () => {

    it('should report signal events without a signal or a signal name', async () => {
      // when
      const { problems } = await loadFixture('signal-without-name.bpmn');

      // then
      expect(problems).toEqual([
        problem('Catch_NoSignal', 'has no signal (signalRef is missing)'),
        problem('End_Signal', "signal 'Signal_NoName' of end event 'End_Signal' has no name"),
      ]);
    });
  });
});
