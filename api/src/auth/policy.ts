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
 * | canDeployProcess    | a new id, or granted by its owner | a new id or one of its own agency, model of its agency | no | no |
 * | canGrantAnalysts    | no      | own agency's process ids | no                               | no           |
 * | canStartInstance    | no      | own agency's processes | own agency's processes             | no (the dossier layer starts them) |
 * | canSeeInstance      | no      | own agency            | own agency                          | started it   |
 * | canReadInstanceData | no      | own agency            | own agency                          | no (the dossier and its tracking) |
 * | canSeeTask          | no      | own agency            | own agency and offered to it        | no           |
 * | canActOnTask        | no      | no                    | own agency, offered, not someone else's | no       |
 * | canAssignTask       | no      | own agency            | no                                  | no           |
 * | canResolveIncident  | no      | own agency            | no                                  | no           |
 * | canCorrelateMessage | no      | with an agency: reaches its instances only | with an agency: same | no  |
 * | canMineHistory      | yes     | own agency's procedures | no                                | no           |
 * | canAnalyse          | yes     | yes                   | no                                  | no           |
 * | canSimulate         | yes     | yes                   | no                                  | no           |
 * | canReadStatistics   | yes     | own agency            | own agency                          | no (the public figures are aggregates of an agency) |
 * | canVerifyAuditTrail | yes     | no (the whole trail spans every agency) | no                | no           |
 * | canVerifyAgencyAuditTrail | yes | own agency's dossiers | no                                | no           |
 *
 * A `worker` (a service account: an external job worker) is allowed none of the rules above,
 * only {@link canWorkJobs}: the job routes, for the jobs of its own agency. The API refuses it
 * every operation whose `x-roles` do not name it.
 *
 * Staff see dossiers through their agency only: having started one gives no right that
 * outlives the role (a desk official moved to another agency no longer reads it). Only a
 * citizen sees a dossier because it started it.
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

/** What the rules need to know about a process to start an instance of it: its agency (the definition's). */
export interface ProcessAccessFacts {
  agency?: string;
}

/** What deciding a deploy over a process id needs. */
export interface ProcessDeployFacts {
  /** The agency that owns the process id (first deployed it), if any. */
  owner?: string;
  /** The agency the model names (`motcua:facts agency` of the process). */
  modelAgency?: string;
  /** The agency the request names (an analyst deploying for an agency). */
  requestAgency?: string;
  /** The owning agency lets this analyst deploy new versions of the process id. */
  analystGranted: boolean;
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

/** One rule: per role of a person, whether that role allows it (a worker is allowed none of them). */
type RuleTable<Facts> = Readonly<Record<Exclude<Role, 'worker'>, (principal: Principal, facts: Facts) => boolean>>;

const yes = (): boolean => true;
const no = (): boolean => false;

/** The principal works for an agency. */
function hasAgency(principal: Principal): boolean {
  return principal.agency !== undefined && principal.agency !== '';
}

/** Absent, or equal to `agency`. */
function agrees(value: string | undefined, agency: string | undefined): boolean {
  return value === undefined || value === agency;
}

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
  return principal.roles.some((role) => role !== 'worker' && Object.prototype.hasOwnProperty.call(table, role) && table[role](principal, facts));
}

const DEPLOY: RuleTable<void> = { analyst: yes, 'agency-admin': yes, official: no, citizen: no };

const ANALYSE: RuleTable<void> = { analyst: yes, 'agency-admin': yes, official: no, citizen: no };

const DEPLOY_PROCESS: RuleTable<ProcessDeployFacts> = {
  // Analysts model for agencies: a new process id is theirs to deploy; an owned one only with its owner's grant.
  analyst: (_p, f) =>
    f.owner === undefined
      ? f.modelAgency === undefined || agrees(f.requestAgency, f.modelAgency)
      : f.analystGranted && agrees(f.modelAgency, f.owner) && agrees(f.requestAgency, f.owner),
  'agency-admin': (p, f) => hasAgency(p) && agrees(f.owner, p.agency) && agrees(f.modelAgency, p.agency) && agrees(f.requestAgency, p.agency),
  official: no,
  citizen: no,
};

const GRANT_ANALYSTS: RuleTable<{ owner?: string }> = { analyst: no, 'agency-admin': (p, f) => sameAgency(p, f.owner), official: no, citizen: no };

const START_INSTANCE: RuleTable<ProcessAccessFacts> = {
  analyst: no,
  'agency-admin': (p, d) => sameAgency(p, d.agency),
  official: (p, d) => sameAgency(p, d.agency),
  citizen: no,
};

const SEE_INSTANCE: RuleTable<InstanceAccessFacts> = {
  analyst: no,
  'agency-admin': (p, i) => sameAgency(p, i.agency),
  official: (p, i) => sameAgency(p, i.agency),
  citizen: (p, i) => i.startedBy !== undefined && i.startedBy === p.id,
};

/** The engine's raw data of an instance (variables, history): they name officials and carry internal opinions. */
const READ_INSTANCE_DATA: RuleTable<InstanceAccessFacts> = {
  analyst: no,
  'agency-admin': (p, i) => sameAgency(p, i.agency),
  official: (p, i) => sameAgency(p, i.agency),
  citizen: no,
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

// Staff publish to their agency's instances only, so a principal without an agency publishes nothing.
const CORRELATE_MESSAGE: RuleTable<void> = { analyst: no, 'agency-admin': hasAgency, official: hasAgency, citizen: no };

const MINE_HISTORY: RuleTable<{ agency?: string }> = { analyst: yes, 'agency-admin': (p, f) => sameAgency(p, f.agency), official: no, citizen: no };
const SIMULATE: RuleTable<void> = { analyst: yes, 'agency-admin': yes, official: no, citizen: no };

const VERIFY_AUDIT_TRAIL: RuleTable<void> = { analyst: yes, 'agency-admin': no, official: no, citizen: no };
const VERIFY_AGENCY_AUDIT_TRAIL: RuleTable<{ agency: string }> = { analyst: yes, 'agency-admin': (p, f) => sameAgency(p, f.agency), official: no, citizen: no };

/**
 * Verify the whole audit trail (its counts and the ids of bad rows span every agency):
 * analysts, who read across agencies as for mining and statistics, and the operator's
 * `motcua audit verify`. An agency admin verifies its own agency's dossiers instead
 * ({@link canVerifyAgencyAuditTrail}; QA finding 5).
 */
export function canVerifyAuditTrail(principal: Principal): boolean {
  return allowedByAnyRole(VERIFY_AUDIT_TRAIL, principal, undefined);
}

/**
 * Verify the audit chains of one agency's dossiers (the counts and bad rows of that agency
 * only): analysts any agency, an agency admin its own.
 */
export function canVerifyAgencyAuditTrail(principal: Principal, facts: { agency: string }): boolean {
  return allowedByAnyRole(VERIFY_AGENCY_AUDIT_TRAIL, principal, facts);
}

/** Simulate procedure models (they are sent, not read from the store): analysts and agency admins. */
export function canSimulate(principal: Principal): boolean {
  return allowedByAnyRole(SIMULATE, principal, undefined);
}

/** Deploy a process definition: analysts (who model procedures) and agency admins. */
export function canDeploy(principal: Principal): boolean {
  return allowedByAnyRole(DEPLOY, principal, undefined);
}

/** Compare models of procedures (re-engineering analysis): analysts and agency admins; the models compared are the caller's own or the library's. */
const READ_STATISTICS: RuleTable<{ agency?: string }> = { analyst: yes, 'agency-admin': (p, f) => sameAgency(p, f.agency), official: (p, f) => sameAgency(p, f.agency), citizen: no };

/** Read the dossier statistics of an agency (Decision 766): analysts any agency (absent: all), staff their own agency only. */
export function canReadStatistics(principal: Principal, facts: { agency?: string }): boolean {
  return allowedByAnyRole(READ_STATISTICS, principal, facts);
}

export function canAnalyse(principal: Principal): boolean {
  return allowedByAnyRole(ANALYSE, principal, undefined);
}

/**
 * Deploy a new version of one process id: an agency admin when the id is new or its
 * agency's, and the model names no other agency; an analyst when the id is new, or its
 * owner granted it (see {@link canGrantAnalysts}). A process id belongs to the agency
 * that first deployed it, so nobody else can redirect its new dossiers.
 */
export function canDeployProcess(principal: Principal, facts: ProcessDeployFacts): boolean {
  return allowedByAnyRole(DEPLOY_PROCESS, principal, facts);
}

/** Let an analyst deploy new versions of a process id, or stop it: an agency admin of the owning agency. */
export function canGrantAnalysts(principal: Principal, process: { owner?: string }): boolean {
  return allowedByAnyRole(GRANT_ANALYSTS, principal, process);
}

/**
 * Start a process instance (receive a dossier): agency admins and officials, of the
 * process's own agency. Citizens do not start instances here (the dossier layer does).
 */
export function canStartInstance(principal: Principal, process: ProcessAccessFacts): boolean {
  return allowedByAnyRole(START_INSTANCE, principal, process);
}

/**
 * See a process instance (a dossier: state, variables, history): agency admins and
 * officials of the instance's agency, and the citizen who started it (a citizen sees
 * only its own dossiers). Staff never see a dossier only because they started it.
 * Analysts see no dossier: they work on models and aggregate statistics.
 */
export function canSeeInstance(principal: Principal, instance: InstanceAccessFacts): boolean {
  return allowedByAnyRole(SEE_INSTANCE, principal, instance);
}

/**
 * Read the engine's raw data of an instance (its variables and history, which name the
 * officials and carry their opinions): the staff of an agency involved. A citizen sees the
 * instance it started, and follows it through its dossier and the tracking, never the raw data.
 */
export function canReadInstanceData(principal: Principal, instance: InstanceAccessFacts): boolean {
  return allowedByAnyRole(READ_INSTANCE_DATA, principal, instance);
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
 * missing document", or broadcast a signal: agency admins and officials that work for
 * an agency. What they publish reaches only their agency's instances (the route passes
 * the agency down to the query).
 */
export function canCorrelateMessage(principal: Principal): boolean {
  return allowedByAnyRole(CORRELATE_MESSAGE, principal, undefined);
}

/**
 * Mine the history of a procedure's dossiers (waiting and working time, rework, late
 * holders, XES/OCEL exports with applicants pseudonymised): analysts, who re-engineer
 * procedures of any agency, and agency admins for their own agency's procedures.
 * `agency` is the agency whose procedures are read (undefined: all of them).
 */
export function canMineHistory(principal: Principal, scope: { agency?: string }): boolean {
  return allowedByAnyRole(MINE_HISTORY, principal, scope);
}

/** What deciding whether a user may be given a task needs (a `UserRecord` has all of it). */
export interface AssigneeFacts {
  roles: readonly string[];
  agency?: string;
  disabled: boolean;
}

/**
 * Why `user` may not be made the assignee of `task`, or undefined when it may: it must
 * exist, be enabled, be an official, and work for the task's agency, or nobody could
 * ever work on the task (the assignee alone may act on it).
 */
export function whyNotAssignable(user: AssigneeFacts | undefined, task: TaskAccessFacts): string | undefined {
  if (!user) return 'there is no such user';
  if (user.disabled) return 'the user is disabled';
  if (!user.roles.includes('official')) return 'the user is not an official';
  if (task.agency === undefined || task.agency === '' || user.agency !== task.agency) return `the user does not work for the task's agency${task.agency ? ` '${task.agency}'` : ''}`;
  return undefined;
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

/**
 * Activate jobs and report on them (complete, fail, throw a BPMN error, update): a worker
 * (service account) that works for an agency; it reaches only that agency's jobs (the
 * routes pass the agency down to the query).
 */
export function canWorkJobs(principal: Principal): boolean {
  return principal.roles.includes('worker') && hasAgency(principal);
}

/** Issue, list and revoke the service accounts (job workers) of an agency: an agency admin of that agency. */
export function canManageServiceAccounts(principal: Principal, facts: { agency?: string }): boolean {
  return principal.roles.includes('agency-admin') && sameAgency(principal, facts.agency);
}
