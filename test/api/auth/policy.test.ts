/**
 * The authorization rules as a matrix: every role × every rule × own agency / other
 * agency (and the edge cases: no agency, several roles). Each row says who asks, about
 * what, and the expected answer.
 */
import {
  canActOnTask,
  canAssignTask,
  canCorrelateMessage,
  canDeploy,
  canDeployProcess,
  canGrantAnalysts,
  canResolveIncident,
  canSeeInstance,
  canSeeTask,
  canStartInstance,
  canVerifyAgencyAuditTrail,
  canVerifyAuditTrail,
  taskAudience,
  taskVisibilityFilter,
  whyNotAssignable,
  type ProcessDeployFacts,
  type TaskAccessFacts,
} from '../../../api/src/auth/policy';
import type { Principal } from '../../../api/src/auth/principal';

const H29 = '000.00.15.H29';
const H30 = '000.00.16.H30';

const P = {
  analyst: { id: 'analyst', roles: ['analyst'], agency: H29, groups: [] },
  admin: { id: 'admin.h29', roles: ['agency-admin'], agency: H29, groups: [] },
  desk: { id: 'desk.h29', roles: ['official'], agency: H29, groups: ['desk'] },
  head: { id: 'head.h29', roles: ['official'], agency: H29, groups: ['head'] },
  otherOfficial: { id: 'official.h30', roles: ['official'], agency: H30, groups: ['desk'] },
  otherAdmin: { id: 'admin.h30', roles: ['agency-admin'], agency: H30, groups: [] },
  citizen: { id: 'citizen-1', roles: ['citizen'], groups: [] },
  otherCitizen: { id: 'citizen-2', roles: ['citizen'], groups: [] },
  homelessOfficial: { id: 'nobody', roles: ['official'], groups: ['desk'] },
  adminAndOfficial: { id: 'both.h29', roles: ['agency-admin', 'official'], agency: H29, groups: ['desk'] },
  noRoles: { id: 'ghost', roles: [], agency: H29, groups: ['desk'] },
} satisfies Record<string, Principal>;

type Who = keyof typeof P;

const task = (facts: Partial<TaskAccessFacts>): TaskAccessFacts => ({ candidateGroups: [], candidateUsers: [], ...facts });

const T = {
  deskOfH29: task({ agency: H29, candidateGroups: ['desk'] }),
  deskOfH30: task({ agency: H30, candidateGroups: ['desk'] }),
  assignedToDesk: task({ agency: H29, assignee: 'desk.h29' }),
  assignedToHeadInDeskGroup: task({ agency: H29, assignee: 'head.h29', candidateGroups: ['desk'] }),
  offeredToDeskUser: task({ agency: H29, candidateUsers: ['desk.h29'] }),
  unassignedNoCandidates: task({ agency: H29 }),
  unassignedNoCandidatesOfH30: task({ agency: H30 }),
  headOnly: task({ agency: H29, candidateGroups: ['head'] }),
  noAgency: task({ candidateGroups: ['desk'] }),
  assignedToDeskButOfH30: task({ agency: H30, assignee: 'desk.h29' }),
} satisfies Record<string, TaskAccessFacts>;

type Which = keyof typeof T;

describe('auth/policy', () => {
  describe('role-only rules', () => {
    const rows: [Who, { deploy: boolean; start: boolean; correlate: boolean }][] = [
      ['analyst', { deploy: true, start: false, correlate: false }],
      ['admin', { deploy: true, start: true, correlate: true }],
      ['desk', { deploy: false, start: true, correlate: true }],
      ['otherOfficial', { deploy: false, start: true, correlate: true }],
      ['citizen', { deploy: false, start: false, correlate: false }],
      ['noRoles', { deploy: false, start: false, correlate: false }],
      ['adminAndOfficial', { deploy: true, start: true, correlate: true }],
      // staff without an agency would publish to every agency's instances: nothing
      ['homelessOfficial', { deploy: false, start: false, correlate: false }],
    ];

    it.each(rows)('%s: canDeploy, canStartInstance (own agency), canCorrelateMessage', (who, expected) => {
      // given
      const principal = P[who];

      // when
      const actual = { deploy: canDeploy(principal), start: canStartInstance(principal, { agency: (principal as Principal).agency }), correlate: canCorrelateMessage(principal) };

      // then
      expect(actual).toEqual(expected);
    });
  });

  describe('canSeeInstance', () => {
    const ownDossier = { agency: H29, startedBy: 'citizen-1' };
    const otherAgencyDossier = { agency: H30, startedBy: 'citizen-2' };
    const startedAtTheDesk = { agency: H30, startedBy: 'desk.h29' };
    const noAgency = { startedBy: 'citizen-2' };

    const rows: [Who, string, object, boolean][] = [
      ['analyst', 'own agency', ownDossier, false],
      ['analyst', 'other agency', otherAgencyDossier, false],
      ['admin', 'own agency', ownDossier, true],
      ['admin', 'other agency', otherAgencyDossier, false],
      ['desk', 'own agency', ownDossier, true],
      ['desk', 'other agency', otherAgencyDossier, false],
      // staff see dossiers through their agency only: having started one gives no lasting right
      ['desk', 'other agency, started by it', startedAtTheDesk, false],
      ['admin', 'other agency, started by it', { agency: H30, startedBy: 'admin.h29' }, false],
      ['head', 'own agency', ownDossier, true],
      ['otherOfficial', 'own agency (H30)', otherAgencyDossier, true],
      ['otherOfficial', 'other agency (H29)', ownDossier, false],
      ['otherAdmin', 'other agency (H29)', ownDossier, false],
      ['citizen', 'its own dossier', ownDossier, true],
      ['citizen', "another citizen's dossier", otherAgencyDossier, false],
      ['otherCitizen', "another citizen's dossier", ownDossier, false],
      ['citizen', 'a dossier nobody started', { agency: H29 }, false],
      ['desk', 'a dossier without agency', noAgency, false],
      ['homelessOfficial', 'a dossier without agency', noAgency, false],
      ['noRoles', 'own agency', ownDossier, false],
    ];

    it.each(rows)('%s, %s → %s', (who, _what, instance, expected) => {
      expect(canSeeInstance(P[who], instance)).toBe(expected);
    });
  });

  describe('canStartInstance', () => {
    const rows: [Who, string | undefined, boolean][] = [
      ['admin', H29, true],
      ['admin', H30, false],
      ['desk', H29, true],
      ['desk', H30, false],
      ['otherOfficial', H29, false],
      ['otherAdmin', H29, false],
      ['desk', undefined, false],
      ['homelessOfficial', undefined, false],
      ['analyst', H29, false],
      ['citizen', H29, false],
    ];

    it.each(rows)('%s, a process of %s → %s', (who, agency, expected) => {
      expect(canStartInstance(P[who], { agency })).toBe(expected);
    });
  });

  describe('canDeployProcess', () => {
    const facts = (f: Partial<ProcessDeployFacts>): ProcessDeployFacts => ({ analystGranted: false, ...f });
    const rows: [Who, string, ProcessDeployFacts, boolean][] = [
      ['admin', 'a new id', facts({}), true],
      ['admin', 'a new id, model of its agency', facts({ modelAgency: H29 }), true],
      ['admin', 'a new id, model of another agency', facts({ modelAgency: H30 }), false],
      ['admin', 'its own id', facts({ owner: H29, modelAgency: H29 }), true],
      ['admin', 'its own id, model without agency', facts({ owner: H29 }), true],
      ['admin', 'its own id, model naming another agency', facts({ owner: H29, modelAgency: H30 }), false],
      ['admin', 'its own id, request naming another agency', facts({ owner: H29, requestAgency: H30 }), false],
      ['otherAdmin', 'an id of H29', facts({ owner: H29 }), false],
      ['otherAdmin', 'an id of H29, model naming H30', facts({ owner: H29, modelAgency: H30 }), false],
      ['analyst', 'a new id', facts({}), true],
      ['analyst', 'a new id for an agency', facts({ requestAgency: H30 }), true],
      ['analyst', 'a new id, request and model disagree', facts({ requestAgency: H30, modelAgency: H29 }), false],
      ['analyst', 'an owned id, not granted', facts({ owner: H29 }), false],
      ['analyst', 'an owned id, granted', facts({ owner: H29, analystGranted: true }), true],
      ['analyst', 'an owned id, granted, model naming another agency', facts({ owner: H29, modelAgency: H30, analystGranted: true }), false],
      ['desk', 'a new id', facts({}), false],
      ['citizen', 'a new id', facts({}), false],
      ['homelessOfficial', 'a new id', facts({}), false],
    ];

    it.each(rows)('%s, %s → %s', (who, _what, f, expected) => {
      expect(canDeployProcess(P[who], f)).toBe(expected);
    });

    it('should let only the owning agency admins grant analysts', () => {
      expect([P.admin, P.otherAdmin, P.analyst, P.desk].map((p) => canGrantAnalysts(p, { owner: H29 }))).toEqual([true, false, false, false]);
      expect(canGrantAnalysts(P.admin, {})).toBe(false);
    });
  });

  describe('whyNotAssignable', () => {
    const official = { roles: ['official'], agency: H29, disabled: false };
    const rows: [string, Parameters<typeof whyNotAssignable>[0], string | undefined][] = [
      ['an official of the task agency', official, undefined],
      ['nobody', undefined, 'there is no such user'],
      ['a disabled official', { ...official, disabled: true }, 'the user is disabled'],
      ['an agency admin', { roles: ['agency-admin'], agency: H29, disabled: false }, 'the user is not an official'],
      ['an official of another agency', { ...official, agency: H30 }, `the user does not work for the task's agency '${H29}'`],
    ];

    it.each(rows)('%s → %s', (_who, user, expected) => {
      expect(whyNotAssignable(user, T.deskOfH29)).toBe(expected);
    });
  });

  describe('tasks', () => {
    // see, act, assign, per principal and task
    const rows: [Who, Which, { see: boolean; act: boolean; assign: boolean }][] = [
      // analysts and citizens: no inbox, anywhere
      ['analyst', 'deskOfH29', { see: false, act: false, assign: false }],
      ['analyst', 'unassignedNoCandidates', { see: false, act: false, assign: false }],
      ['citizen', 'deskOfH29', { see: false, act: false, assign: false }],
      ['citizen', 'unassignedNoCandidates', { see: false, act: false, assign: false }],
      // agency admin: sees and assigns every task of its agency, completes none
      ['admin', 'deskOfH29', { see: true, act: false, assign: true }],
      ['admin', 'headOnly', { see: true, act: false, assign: true }],
      ['admin', 'assignedToDesk', { see: true, act: false, assign: true }],
      ['admin', 'deskOfH30', { see: false, act: false, assign: false }],
      ['admin', 'noAgency', { see: false, act: false, assign: false }],
      ['otherAdmin', 'deskOfH29', { see: false, act: false, assign: false }],
      ['otherAdmin', 'deskOfH30', { see: true, act: false, assign: true }],
      // official of H29, group desk
      ['desk', 'deskOfH29', { see: true, act: true, assign: false }],
      ['desk', 'headOnly', { see: false, act: false, assign: false }],
      ['desk', 'assignedToDesk', { see: true, act: true, assign: false }],
      ['desk', 'assignedToHeadInDeskGroup', { see: true, act: false, assign: false }],
      ['desk', 'offeredToDeskUser', { see: true, act: true, assign: false }],
      ['desk', 'unassignedNoCandidates', { see: true, act: true, assign: false }],
      ['desk', 'deskOfH30', { see: false, act: false, assign: false }],
      ['desk', 'unassignedNoCandidatesOfH30', { see: false, act: false, assign: false }],
      ['desk', 'assignedToDeskButOfH30', { see: false, act: false, assign: false }],
      ['desk', 'noAgency', { see: false, act: false, assign: false }],
      // official of H29, group head
      ['head', 'deskOfH29', { see: false, act: false, assign: false }],
      ['head', 'headOnly', { see: true, act: true, assign: false }],
      ['head', 'assignedToDesk', { see: false, act: false, assign: false }],
      ['head', 'assignedToHeadInDeskGroup', { see: true, act: true, assign: false }],
      ['head', 'offeredToDeskUser', { see: false, act: false, assign: false }],
      ['head', 'unassignedNoCandidates', { see: true, act: true, assign: false }],
      // official of H30, group desk: same group name, other agency
      ['otherOfficial', 'deskOfH29', { see: false, act: false, assign: false }],
      ['otherOfficial', 'unassignedNoCandidates', { see: false, act: false, assign: false }],
      ['otherOfficial', 'deskOfH30', { see: true, act: true, assign: false }],
      ['otherOfficial', 'unassignedNoCandidatesOfH30', { see: true, act: true, assign: false }],
      // an official without agency sees nothing
      ['homelessOfficial', 'deskOfH29', { see: false, act: false, assign: false }],
      ['homelessOfficial', 'noAgency', { see: false, act: false, assign: false }],
      // several roles: the union
      ['adminAndOfficial', 'headOnly', { see: true, act: false, assign: true }],
      ['adminAndOfficial', 'deskOfH29', { see: true, act: true, assign: true }],
      ['adminAndOfficial', 'deskOfH30', { see: false, act: false, assign: false }],
      // no roles: nothing
      ['noRoles', 'deskOfH29', { see: false, act: false, assign: false }],
      ['noRoles', 'unassignedNoCandidates', { see: false, act: false, assign: false }],
    ];

    it.each(rows)('%s on %s', (who, which, expected) => {
      // given
      const principal = P[who];
      const facts = T[which];

      // when
      const actual = { see: canSeeTask(principal, facts), act: canActOnTask(principal, facts), assign: canAssignTask(principal, facts) };

      // then
      expect(actual).toEqual(expected);
    });

    it('should never let someone act on or assign a task it cannot see', () => {
      for (const principal of Object.values(P)) {
        for (const facts of Object.values(T)) {
          if (canActOnTask(principal, facts) || canAssignTask(principal, facts)) expect(canSeeTask(principal, facts)).toBe(true);
        }
      }
    });
  });

  describe('canResolveIncident', () => {
    const rows: [Who, string | undefined, boolean][] = [
      ['analyst', H29, false],
      ['admin', H29, true],
      ['admin', H30, false],
      ['admin', undefined, false],
      ['otherAdmin', H30, true],
      ['desk', H29, false],
      ['citizen', H29, false],
      ['adminAndOfficial', H29, true],
    ];

    it.each(rows)('%s, incident of %s → %s', (who, agency, expected) => {
      expect(canResolveIncident(P[who], { agency })).toBe(expected);
    });
  });

  describe('canVerifyAuditTrail, canVerifyAgencyAuditTrail', () => {
    const rows: [Who, string, { whole: boolean; agency: boolean }][] = [
      ['analyst', H30, { whole: true, agency: true }],
      ['admin', H29, { whole: false, agency: true }],
      ['admin', H30, { whole: false, agency: false }],
      ['otherAdmin', H30, { whole: false, agency: true }],
      ['desk', H29, { whole: false, agency: false }],
      ['citizen', H29, { whole: false, agency: false }],
      ['adminAndOfficial', H29, { whole: false, agency: true }],
      ['noRoles', H29, { whole: false, agency: false }],
    ];

    it.each(rows)('%s, audit trail of %s → %p', (who, agency, expected) => {
      expect({ whole: canVerifyAuditTrail(P[who]), agency: canVerifyAgencyAuditTrail(P[who], { agency }) }).toEqual(expected);
    });

    it('should refuse an agency admin without an agency', () => {
      expect(canVerifyAgencyAuditTrail({ id: 'x', roles: ['agency-admin'], groups: [] }, { agency: '' })).toBe(false);
    });
  });

  describe('taskVisibilityFilter', () => {
    it.each([
      ['analyst', 'none'],
      ['citizen', 'none'],
      ['noRoles', 'none'],
      ['homelessOfficial', 'none'],
      ['admin', 'all-of-agency'],
      ['adminAndOfficial', 'all-of-agency'],
      ['desk', { agency: H29, userId: 'desk.h29', groups: ['desk'] }],
      ['otherOfficial', { agency: H30, userId: 'official.h30', groups: ['desk'] }],
    ] as [Who, unknown][])('%s → %j', (who, expected) => {
      expect(taskVisibilityFilter(P[who])).toEqual(expected);
    });

    /** The filter evaluated as the SQL in its doc comment would evaluate it. */
    function selects(principal: Principal, facts: TaskAccessFacts): boolean {
      const filter = taskVisibilityFilter(principal);
      if (filter === 'none') return false;
      if (filter === 'all-of-agency') return facts.agency === principal.agency;
      return (
        facts.agency === filter.agency &&
        (facts.assignee === filter.userId ||
          facts.candidateGroups.some((g) => filter.groups.includes(g)) ||
          facts.candidateUsers.includes(filter.userId) ||
          (facts.assignee === undefined && facts.candidateGroups.length === 0 && facts.candidateUsers.length === 0))
      );
    }

    it('should select exactly the tasks canSeeTask allows, for every principal and task', () => {
      for (const [who, principal] of Object.entries(P)) {
        for (const [which, facts] of Object.entries(T)) {
          expect({ who, which, selected: selects(principal, facts) }).toEqual({ who, which, selected: canSeeTask(principal, facts) });
        }
      }
    });
  });

  describe('taskAudience', () => {
    it('should describe the agency, users and groups a task goes to', () => {
      expect(taskAudience(T.assignedToHeadInDeskGroup)).toEqual({ agency: H29, users: ['head.h29'], groups: ['desk'], allOfficials: false });
      expect(taskAudience(T.unassignedNoCandidates)).toEqual({ agency: H29, users: [], groups: [], allOfficials: true });
      expect(taskAudience(T.noAgency)).toEqual({ agency: undefined, users: [], groups: ['desk'], allOfficials: false });
    });

    /** Membership in the audience as the push gateway would compute it from rooms. */
    function inAudience(principal: Principal, facts: TaskAccessFacts): boolean {
      const audience = taskAudience(facts);
      if (audience.agency === undefined || principal.agency !== audience.agency) return false;
      if (principal.roles.includes('agency-admin')) return true;
      if (!principal.roles.includes('official')) return false;
      return audience.allOfficials || audience.users.includes(principal.id) || audience.groups.some((g) => principal.groups.includes(g));
    }

    it('should contain exactly the principals canSeeTask allows', () => {
      for (const [who, principal] of Object.entries(P)) {
        for (const [which, facts] of Object.entries(T)) {
          expect({ who, which, in: inAudience(principal, facts) }).toEqual({ who, which, in: canSeeTask(principal, facts) });
        }
      }
    });
  });
});
