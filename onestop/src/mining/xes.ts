/**
 * The mining log as an XES document (IEEE 1849-2016, eXtensible Event Stream), for
 * process-mining tools (ProM, PM4Py, Disco, Celonis): one trace per dossier, one event
 * per lifecycle transition of a step ({@link logEvents}).
 *
 * Extensions used: Concept (`concept:name` of the log, traces and events), Time
 * (`time:timestamp`), Lifecycle (`lifecycle:transition`, the standard model) and
 * Organizational (`org:resource` the official, `org:group` the agency). Our own
 * attributes carry no prefix: `elementId`, `elementType`, `taskId`, `dueAt` on events;
 * `processId`, `processVersion`, `agency`, `applicant` (a pseudonym), `status` on traces.
 *
 * Written by hand, for want of an XML builder among the project's dependencies: every
 * text goes through {@link xmlAttribute}, which escapes markup and replaces what XML 1.0
 * cannot hold.
 */
import { iso } from '../../../engine/src/pure';
import type { MiningCase, MiningLog } from './event-log';
import { caseEvents, type LogEvent } from './log-events';

/**
 * A string as the value of a double-quoted XML attribute: `& < > "` escaped, tab and line
 * ends as character references (attribute normalisation would turn them into spaces),
 * and characters XML 1.0 forbids (other control characters, lone surrogates, U+FFFE and
 * U+FFFF) replaced by U+FFFD.
 */
const NEEDS_ESCAPE = /[&<>"\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function xmlAttribute(value: string): string {
  // Most names and ids need nothing: skip the two replacements.
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[&<>"\t\n\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c]!);
}

const str = (key: string, value: string) => `<string key="${xmlAttribute(key)}" value="${xmlAttribute(value)}"/>`;
const date = (key: string, ms: number) => `<date key="${xmlAttribute(key)}" value="${iso(ms)}"/>`;
const int = (key: string, value: number) => `<int key="${xmlAttribute(key)}" value="${Math.trunc(value)}"/>`;

function traceXml(c: MiningCase, events: LogEvent[]): string {
  const lines = [
    '  <trace>',
    `    ${str('concept:name', c.id)}`,
    `    ${str('processId', c.processId)}`,
    `    ${int('processVersion', c.processVersion)}`,
    ...(c.procedureName !== undefined ? [`    ${str('procedure', c.procedureName)}`] : []),
    ...(c.agency !== undefined ? [`    ${str('agency', c.agency)}`] : []),
    ...(c.applicant !== undefined ? [`    ${str('applicant', c.applicant)}`] : []),
    `    ${str('status', c.status)}`,
    `    ${date('startedAt', c.startedAt)}`,
  ];
  for (const e of events) {
    lines.push(
      '    <event>',
      `      ${str('concept:name', e.step.name)}`,
      `      ${str('lifecycle:transition', e.lifecycle)}`,
      `      ${date('time:timestamp', e.at)}`,
      ...(e.resource !== undefined ? [`      ${str('org:resource', e.resource)}`] : []),
      ...(e.step.agency !== undefined ? [`      ${str('org:group', e.step.agency)}`] : []),
      `      ${str('elementId', e.step.elementId)}`,
      `      ${str('elementType', e.step.elementType)}`,
      ...(e.step.taskId !== undefined ? [`      ${str('taskId', e.step.taskId)}`] : []),
      ...(e.step.dueAt !== undefined ? [`      ${date('dueAt', e.step.dueAt)}`] : []),
      '    </event>',
    );
  }
  lines.push('  </trace>');
  return lines.join('\n');
}

/** The log as an XES 1849-2016 document (UTF-8). */
export function toXes(log: MiningLog, options: { name?: string } = {}): string {
  const head = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<log xes.version="1849-2016" xes.features="" xmlns="http://www.xes-standard.org/">',
    '  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>',
    '  <extension name="Time" prefix="time" uri="http://www.xes-standard.org/time.xesext"/>',
    '  <extension name="Lifecycle" prefix="lifecycle" uri="http://www.xes-standard.org/lifecycle.xesext"/>',
    '  <extension name="Organizational" prefix="org" uri="http://www.xes-standard.org/org.xesext"/>',
    `  <global scope="trace">${str('concept:name', '__INVALID__')}</global>`,
    `  <global scope="event">${str('concept:name', '__INVALID__')}${str('lifecycle:transition', 'complete')}${date('time:timestamp', 0)}</global>`,
    '  <classifier name="Activity" keys="concept:name"/>',
    '  <classifier name="Activity and transition" keys="concept:name lifecycle:transition"/>',
    `  ${str('concept:name', options.name ?? 'motcua history')}`,
    `  ${str('lifecycle:model', 'standard')}`,
    `  ${date('asOf', log.asOf)}`,
  ];
  return [...head, ...log.cases.map((c) => traceXml(c, caseEvents(c))), '</log>', ''].join('\n');
}
