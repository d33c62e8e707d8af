/**
 * The mining log as an OCEL 2.0 JSON document (Object-Centric Event Log, ocel-standard.org):
 * the same events as the XES export ({@link logEvents}), each related to the objects it
 * touches instead of one case.
 *
 * Object types: `dossier` (the process instance: procedure, version, agency, status, the
 * applicant's pseudonym), `task` (a user task: element, due time), `official` (a user id)
 * and `agency`. Object ids carry their type (`dossier:<id>`, …) so they never collide.
 * Object-to-object relationships: a task `belongs to` its dossier, a dossier is `handled
 * by` its agency, a task is `assigned to` an agency. Event-to-object relationships: the
 * `dossier`, the `task`, the official as `resource`, the step's `agency`.
 * Event types are activities (a step's name); the lifecycle transition is an attribute.
 */
import { iso } from '../../../engine/src/pure';
import type { MiningLog } from './event-log';
import { logEvents } from './log-events';

type OcelType = 'string' | 'time' | 'integer' | 'float' | 'boolean';

export interface OcelAttributeType {
  name: string;
  type: OcelType;
}

export interface OcelRelationship {
  objectId: string;
  qualifier: string;
}

export interface OcelObject {
  id: string;
  type: string;
  attributes: Array<{ name: string; time: string; value: string | number | boolean }>;
  relationships: OcelRelationship[];
}

export interface OcelEvent {
  id: string;
  type: string;
  time: string;
  attributes: Array<{ name: string; value: string | number | boolean }>;
  relationships: OcelRelationship[];
}

/** An OCEL 2.0 JSON document. */
export interface OcelDocument {
  objectTypes: Array<{ name: string; attributes: OcelAttributeType[] }>;
  eventTypes: Array<{ name: string; attributes: OcelAttributeType[] }>;
  objects: OcelObject[];
  events: OcelEvent[];
}

const EVENT_ATTRIBUTES: OcelAttributeType[] = [
  { name: 'lifecycle', type: 'string' },
  { name: 'elementId', type: 'string' },
  { name: 'elementType', type: 'string' },
];

const OBJECT_TYPES: OcelDocument['objectTypes'] = [
  {
    name: 'dossier',
    attributes: [
      { name: 'processId', type: 'string' },
      { name: 'processVersion', type: 'integer' },
      { name: 'procedure', type: 'string' },
      { name: 'agency', type: 'string' },
      { name: 'applicant', type: 'string' },
      { name: 'status', type: 'string' },
    ],
  },
  {
    name: 'task',
    attributes: [
      { name: 'elementId', type: 'string' },
      { name: 'name', type: 'string' },
      { name: 'dueAt', type: 'time' },
    ],
  },
  { name: 'official', attributes: [] },
  { name: 'agency', attributes: [] },
];


/** The log as an OCEL 2.0 JSON document. */
export function toOcel(log: MiningLog): OcelDocument {
  const objects = new Map<string, OcelObject>();
  const object = (id: string, type: string): OcelObject => {
    let found = objects.get(id);
    if (!found) objects.set(id, (found = { id, type, attributes: [], relationships: [] }));
    return found;
  };
  const relate = (from: OcelObject, objectId: string, qualifier: string) => {
    if (!from.relationships.some((r) => r.objectId === objectId && r.qualifier === qualifier)) from.relationships.push({ objectId, qualifier });
  };
  const agencyObject = (agency: string) => object(`agency:${agency}`, 'agency').id;

  for (const c of log.cases) {
    const dossier = object(`dossier:${c.id}`, 'dossier');
    const at = iso(c.startedAt);
    const attribute = (name: string, value: string | number | undefined) => value !== undefined && dossier.attributes.push({ name, time: at, value });
    attribute('processId', c.processId);
    attribute('processVersion', c.processVersion);
    attribute('procedure', c.procedureName);
    attribute('agency', c.agency);
    attribute('applicant', c.applicant);
    attribute('status', c.status);
    if (c.agency !== undefined) relate(dossier, agencyObject(c.agency), 'handled by');
    for (const step of c.steps) {
      if (step.taskId === undefined) continue;
      const task = object(`task:${step.taskId}`, 'task');
      const ready = iso(step.readyAt);
      task.attributes.push({ name: 'elementId', time: ready, value: step.elementId }, { name: 'name', time: ready, value: step.name });
      if (step.dueAt !== undefined) task.attributes.push({ name: 'dueAt', time: ready, value: iso(step.dueAt) });
      relate(task, dossier.id, 'belongs to');
      if (step.agency !== undefined) relate(task, agencyObject(step.agency), 'assigned to');
    }
  }

  const eventTypes = new Set<string>();
  const events: OcelEvent[] = logEvents(log).map((e) => {
    eventTypes.add(e.step.name);
    const relationships: OcelRelationship[] = [{ objectId: `dossier:${e.case.id}`, qualifier: 'dossier' }];
    if (e.step.taskId !== undefined) relationships.push({ objectId: `task:${e.step.taskId}`, qualifier: 'task' });
    if (e.resource !== undefined) relationships.push({ objectId: object(`official:${e.resource}`, 'official').id, qualifier: 'resource' });
    if (e.step.agency !== undefined) relationships.push({ objectId: agencyObject(e.step.agency), qualifier: 'agency' });
    return {
      id: e.id,
      type: e.step.name,
      time: iso(e.at),
      attributes: [
        { name: 'lifecycle', value: e.lifecycle },
        { name: 'elementId', value: e.step.elementId },
        { name: 'elementType', value: e.step.elementType },
      ],
      relationships,
    };
  });

  return {
    objectTypes: OBJECT_TYPES,
    eventTypes: [...eventTypes].sort().map((name) => ({ name, attributes: EVENT_ATTRIBUTES })),
    objects: [...objects.values()],
    events,
  };
}
