/** Messages: correlated to waiting instances or message start events, or buffered. */
import { named, Variables } from './common';
import { operation } from './operation';

export const CorrelateMessageBody = named('CorrelateMessageBody', {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, description: 'The message name.' },
    correlationKey: { type: 'string', maxLength: 500 },
    variables: Variables,
    timeToLive: { type: 'integer', minimum: 0, maximum: 31536000000, description: 'Milliseconds to keep the message when nothing waits for it yet.' },
    messageId: { type: 'string', minLength: 1, maxLength: 200, description: 'A second buffered message with the same id is ignored.' },
  },
  additionalProperties: false,
});

export const CorrelationResult = named('CorrelationResult', {
  type: 'object',
  required: ['instanceIds', 'buffered'],
  properties: { instanceIds: { type: 'array', items: { type: 'string' } }, buffered: { type: 'boolean' } },
});

export const correlateMessage = operation({
  operationId: 'correlateMessage',
  method: 'post',
  path: '/messages',
  summary: 'Correlate (publish) a message',
  description:
    'Delivered to every instance of the caller’s agency waiting with this name and correlation key, else to a message start event of that agency, ' +
    'else buffered for that agency’s instances (with a time to live) or refused with 404. Other agencies’ instances are never reached.',
  tag: 'messages',
  roles: ['agency-admin', 'official'],
  body: CorrelateMessageBody,
  idempotent: true,
  responses: { 200: { description: 'Correlated or buffered.', schema: CorrelationResult } },
  errors: [404, 409, 422],
});

export const operations = [correlateMessage];
