/**
 * Who may do what: pure authorization rules over a `Principal` and the facts of the
 * thing asked about. Routes call them before the use case; the push gateway calls
 * them (or {@link taskAudience}) before emitting; the query layer turns
 * {@link taskVisibilityFilter} into its WHERE clause. No I/O, no HTTP, no SQL.
 *
 * Each rule is a table with one entry per role; a principal with several roles is
 * allowed when any of its roles allows. Agency comparisons fail closed: a principal
 * or a thing without an agency never matches any agency.
 *
 * | rule                | analyst | agency-admin          | official                            | citizen      |
 * |---------------------|---------|-----------------------|-------------------------------------|--------------|
 * | canDeploy           | yes     | yes                   | no                                  | no           |
 * | canStartInstance    | no      | yes                   | yes                                 | no (for now) |
 * | canSeeInstance      | no      | own agency, or started it | own agency, or started it       | started it   |
 * | canSeeTask          | no      | own agency            | own agency and offered to it        | no           |
 * | canActOnTask        | no      | no                    | own agency, offered, not someone else's | no       |
 * | canAssignTask       | no      | own agency            | no                                  | no           |
 * | canResolveIncident  | no      | own agency            | no                                  | no           |
 * | canCorrelateMessage | no      | yes                   | yes                                 | no           |
 *
 * "Offered to it" (an official and a task of its agency): the official is the
 * assignee, or one of its groups is a candidate group, or it is a candidate user, or
 * the task has no assignee and no candidates at all (then every official of the agency).
 */
import type { Principal, Role } from './principal';

/** What the rules need to know about a process instance (a dossier). */
export interface InstanceAccessFacts {
  /** Agency responsible for the instance (its procedure's competent agency). */
  agency?: string;
  /** Principal id of whoever started it (a citizen submitting online, an official at the desk). */
  startedBy?: string;
}

/** What the rules need to know about a user task (a `TaskRow` has all of it). */
export interface TaskAccessFacts {
  agency?: string;
  assignee?: string;
  candidateGroups: readonly string[];
  candidateUsers: readonly string[];
}

/** What the rules need to know about an incident: the agency of its instance. */
export interface IncidentAccessFacts {
  agency?: string;
}

/** One rule: per role, whether that role allows it. */
type RuleTable<Facts> = Readonly<Record<Role, (principal: Principal, facts: Facts) => boolean>>;

const yes = (): boolean => true;
const no = (): boolean => false;

/** True when both have an agency and it is the same one. */
function sameAgency(principal: Principal, agency: string | undefined): boolean {
  return principal.agency !== undefined && principal.agency !== '' && agency !== undefined && agency === principal.agency;
}

/** The task is offered to this official (agency not checked here). */
function offeredTo(principal: Principal, task: TaskAccessFacts): boolean {
  if (task.assignee !== undefined && task.assignee === principal.id) return true;
  if (task.candidateGroups.some((group) => principal.groups.includes(group))) return true;
  if (task.candidateUsers.includes(principal.id)) return true;
  return task.assignee === undefined && task.candidateGroups.length === 0 && task.candidateUsers.length === 0;
}

function allowedByAnyRole<Facts>(table: RuleTable<Facts>, principal: Principal, facts: Facts): boolean {
  return principal.roles.some((role) => Object.prototype.hasOwnProperty.call(table, role) && table[role](principal, facts));
}

const DEPLOY: RuleTable<void> = { analyst: yes, 'agency-admin': yes, official: no, citizen: no };

const START_INSTANCE: RuleTable<void> = { analyst: no, 'agency-admin': yes, official: yes, citizen: no };

const SEE_INSTANCE: RuleTable<InstanceAccessFacts> = {
  analyst: no,
  'agency-admin': (p, i) => sameAgency(p, i.agency) || i.startedBy === p.id,
  official: (p, i) => sameAgency(p, i.agency) || i.startedBy === p.id,
  citizen: (p, i) => i.startedBy !== undefined && i.startedBy === p.id,
};

const SEE_TASK: RuleTable<TaskAccessFacts> = {
  analyst: no,
  'agency-admin': (p, t) => sameAgency(p, t.agency),
  official: (p, t) => sameAgency(p, t.agency) && offeredTo(p, t),
  citizen: no,
};

const ACT_ON_TASK: RuleTable<TaskAccessFacts> = {
  analyst: no,
  'agency-admin': no,
  official: (p, t) => sameAgency(p, t.agency) && offeredTo(p, t) && (t.assignee === undefined || t.assignee === p.id),
  citizen: no,
};

const ASSIGN_TASK: RuleTable<TaskAccessFacts> = {
  analyst: no,
  'agency-admin': (p, t) => sameAgency(p, t.agency),
  official: no,
  citizen: no,
};

const RESOLVE_INCIDENT: RuleTable<IncidentAccessFacts> = {
  analyst: no,
  'agency-admin': (p, i) => sameAgency(p, i.agency),
  official: no,
  citizen: no,
};

const CORRELATE_MESSAGE: RuleTable<void> = { analyst: no, 'agency-admin': yes, official: yes, citizen: no };

/** Deploy a process definition: analysts (who model procedures) and agency admins. */
export function canDeploy(principal: Principal): boolean {
  return allowedByAnyRole(DEPLOY, principal, undefined);
}

/**
 * Start a process instance (receive a dossier): agency admins and officials.
 * Citizens do not start instances directly yet (online submission comes later).
 */
export function canStartInstance(principal: Principal): boolean {
  return allowedByAnyRole(START_INSTANCE, principal, undefined);
}

/**
 * See a process instance (a dossier: state, variables, history): agency admins and
 * officials of the instance's agency, and whoever started it (a citizen sees only its
 * own dossiers). Analysts see no dossier: they work on models and aggregate statistics.
 */
export function canSeeInstance(principal: Principal, instance: InstanceAccessFacts): boolean {
  return allowedByAnyRole(SEE_INSTANCE, principal, instance);
}

/**
 * See a user task: an agency admin sees every task of its agency; an official only
 * tasks of its agency offered to it (assignee, candidate group, candidate user, or
 * no assignee and no candidates). Analysts and citizens have no inbox.
 */
export function canSeeTask(principal: Principal, task: TaskAccessFacts): boolean {
  return allowedByAnyRole(SEE_TASK, principal, task);
}

/**
 * Claim, complete or save a user task: only an official who can see it, and not while
 * it is assigned to someone else (a claimed task belongs to its assignee; an agency
 * admin re-assigns it). Analysts and agency admins never complete tasks.
 */
export function canActOnTask(principal: Principal, task: TaskAccessFacts): boolean {
  return allowedByAnyRole(ACT_ON_TASK, principal, task);
}

/** Assign, re-assign or unassign a user task: an agency admin of the task's agency. */
export function canAssignTask(principal: Principal, task: TaskAccessFacts): boolean {
  return allowedByAnyRole(ASSIGN_TASK, principal, task);
}

/** Resolve an incident (retry a failed job): an agency admin of the incident's agency. */
export function canResolveIncident(principal: Principal, incident: IncidentAccessFacts): boolean {
  return allowedByAnyRole(RESOLVE_INCIDENT, principal, incident);
}

/**
 * Publish (correlate) a message to waiting instances, e.g. "the citizen brought the
 * missing document": agency admins and officials.
 */
export function canCorrelateMessage(principal: Principal): boolean {
  return allowedByAnyRole(CORRELATE_MESSAGE, principal, undefined);
}

/**
 * Which tasks a principal's inbox query may return, for the query layer to turn into
 * SQL. Exactly the tasks {@link canSeeTask} allows:
 *
 * - `'none'`: no task at all (analysts, citizens, staff without an agency).
 * - `'all-of-agency'`: `agency = principal.agency` (agency admins; only returned when
 *   the principal has an agency).
 * - `{ agency, userId, groups }` (officials):
 *
 *       agency = $agency AND (
 *            assignee = $userId
 *         OR candidate_groups && $groups::text[]
 *         OR $userId = ANY (candidate_users)
 *         OR (assignee IS NULL AND candidate_groups = '{}' AND candidate_users = '{}'))
 */
export function taskVisibilityFilter(principal: Principal): { agency: string; userId: string; groups: string[] } | 'none' | 'all-of-agency' {
  if (principal.agency === undefined || principal.agency === '') return 'none';
  if (principal.roles.includes('agency-admin')) return 'all-of-agency';
  if (principal.roles.includes('official')) return { agency: principal.agency, userId: principal.id, groups: [...principal.groups] };
  return 'none';
}

/**
 * Who may see a task, as data for the push gateway's rooms: the agency admins of
 * `agency`, plus the officials of `agency` who are in `users`, or in one of `groups`,
 * or all of them when `allOfficials`. A principal is in the audience exactly when
 * {@link canSeeTask} allows it. `agency` undefined: nobody.
 */
export interface TaskAudience {
  agency: string | undefined;
  /** Officials by id: the assignee and the candidate users. */
  users: string[];
  /** Officials by group: the candidate groups. */
  groups: string[];
  /** Every official of the agency (the task has no assignee and no candidates). */
  allOfficials: boolean;
}

/** The {@link TaskAudience} of a task. */
export function taskAudience(task: TaskAccessFacts): TaskAudience {
  const users = [...new Set([...(task.assignee !== undefined ? [task.assignee] : []), ...task.candidateUsers])];
  return {
    agency: task.agency === '' ? undefined : task.agency,
    users,
    groups: [...new Set(task.candidateGroups)],
    allOfficials: task.assignee === undefined && task.candidateGroups.length === 0 && task.candidateUsers.length === 0,
  };
}
