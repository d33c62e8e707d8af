/** Signals: broadcast to the waiting instances and signal start events of the caller's agency. */
import { named, Variables } from './common';
import { operation } from './operation';

export const BroadcastSignalBody = named('BroadcastSignalBody', {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, description: 'The signal name.' },
    variables: Variables,
  },
  additionalProperties: false,
});

export const BroadcastResult = named('BroadcastResult', {
  type: 'object',
  required: ['instanceIds'],
  properties: { instanceIds: { type: 'array', items: { type: 'string' }, description: 'Instances that received it or that it started.' } },
});

export const broadcastSignal = operation({
  operationId: 'broadcastSignal',
  method: 'post',
  path: '/signals',
  summary: 'Broadcast a signal',
  description:
    'Delivered to every instance of the caller’s agency waiting for this signal, and starts the processes of that agency with a signal start event of this name. ' +
    'Other agencies’ instances are never reached; nothing waiting is not an error (`instanceIds` is then empty).',
  tag: 'signals',
  roles: ['agency-admin', 'official'],
  body: BroadcastSignalBody,
  idempotent: true,
  responses: { 200: { description: 'Broadcast.', schema: BroadcastResult } },
  errors: [422],
});

export const operations = [broadcastSignal];
