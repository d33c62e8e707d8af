/**
 * Claims, unclaims and assignments of a dossier's tasks, recorded with the change: a row of the
 * dossier's history (`taskClaimed`, `taskUnclaimed`, `taskAssigned`: the status stays, the
 * tracking page never shows them) and an entry of its audit chain (who, to whom, when). A
 * {@link TaskChangeListener} of the engine's task assignments, so both commit in the
 * transaction of the change or not at all.
 *
 * Locks: the change has locked the task row when this runs; the dossier's row lock is taken
 * next, the order an engine step takes them in (its task rows, then the dossier listener's
 * lock), so a claim and a step of the same dossier queue rather than deadlock.
 */
import type { TaskChangeListener, TaskEffect } from '../../../engine/src/index';
import type { DossierEvent } from '../dossiers/dossier-events';
import type { DossierStore } from '../dossiers/dossier-store';
import type { AuditTrail } from './audit-trail';

const RECORDED: ReadonlySet<TaskEffect['type']> = new Set(['taskClaimed', 'taskUnclaimed', 'taskAssigned']);

/** The listener to register on the engine's TaskAssignments (composition root). */
export function taskAssignmentTrail(deps: { dossiers: DossierStore; audit?: AuditTrail }): TaskChangeListener {
  return {
    name: 'dossier-task-assignments',
    async onTaskChange(tx, change) {
      const effects = change.effects.filter((e) => RECORDED.has(e.type));
      if (effects.length === 0) return;
      const record = await deps.dossiers.lockByInstance(tx, change.instanceId);
      if (!record) return;
      const { dossier } = record;
      const actor = change.actor ?? 'system';
      const events = effects.map((effect) => {
        const who = effect.type === 'taskCommented' ? {} : { ...('assignee' in effect ? { assignee: effect.assignee } : {}), ...('previousAssignee' in effect && effect.previousAssignee ? { previousAssignee: effect.previousAssignee } : {}) };
        return {
          dossierId: dossier.id,
          at: change.at,
          actor,
          from: dossier.status,
          to: dossier.status,
          type: effect.type,
          taskId: change.task.id,
          elementId: change.task.elementId,
          ...(change.task.name ? { stepName: change.task.name } : {}),
          ...who,
        } as DossierEvent;
      });
      await deps.dossiers.appendHistory(tx, events);
      await deps.audit?.appendAll(
        tx,
        dossier.id,
        events.map((event) => {
          const { dossierId: _d, at: _a, actor: _w, type: _t, ...data } = event as DossierEvent & Record<string, unknown>;
          return { dossierId: dossier.id, at: event.at, actor: event.actor, type: event.type, data };
        }),
      );
    },
  };
}
