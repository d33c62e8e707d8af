/**
 * The follow-ups of a written step that must commit with it: start a called child (or
 * defer it to a job of its own once the transaction holds enough new instances), cancel a
 * child, deliver a buffered message to a new subscription, and tell a parent that its
 * child completed or escaped an error or escalation. Each runs as a locked step in the
 * same transaction, so parent and child never disagree.
 */
import { deferredCallJob } from '../deferred-calls';
import type { Effect } from '../runtime/effects';
import type { InstanceState } from '../runtime/state';
import type { InstanceRecord, StoreTransaction } from '../store/ports';
import type { CommandExecutor, InstanceCommand, StartInput, StepContext } from './command-executor';
import type { TransactionOutcome } from './transaction-outcome';

type FollowUp = { instanceId: string; command: InstanceCommand } | { start: StartInput };

/** Effects whose follow-ups read or lock other rows: such steps take the locking path. */
export function needsFollowUps(state: InstanceState, effects: readonly Effect[]): boolean {
  for (const effect of effects) {
    switch (effect.type) {
      case 'childRequested':
      case 'childCancelled':
      case 'messageSubscribed':
      case 'errorEscaped':
      case 'escalationEscaped':
        return true;
      case 'instanceEnded':
        if (state.parent) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

/** Runs the follow-ups of a written step of `instance` inside `tx`. */
export async function runFollowUps(
  x: CommandExecutor,
  tx: StoreTransaction,
  instance: InstanceRecord,
  effects: readonly Effect[],
  context: StepContext,
  outcome: TransactionOutcome,
): Promise<void> {
    const followUps: FollowUp[] = [];
    for (const effect of effects) {
      switch (effect.type) {
        case 'childRequested': {
          const request = effect.request;
          const definition =
            request.bindingType === 'versionTag' && request.versionTag
              ? await tx.definitionByVersionTag(request.processId, request.versionTag)
              : await tx.latestDefinition(request.processId);
          if (!definition) {
            // A gap in what is deployed, not in the command: the call activity waits on an incident.
            const version = request.bindingType === 'versionTag' && request.versionTag ? ` with version tag '${request.versionTag}'` : '';
            const message = `call activity '${request.elementId}' calls process '${request.processId}'${version}, which is not deployed`;
            followUps.push({ instanceId: instance.id, command: { type: 'failCall', waitId: request.waitId, message, actor: context.actor } });
            break;
          }
          if (outcome.records.size + outcome.pendingStarts >= x.limits.multiInstanceChunk) {
            // Enough instances written in this transaction: start this child in one of its own (deferred-calls.ts).
            await tx.insertJob(deferredCallJob(instance.id, definition.id, request, context.now));
            outcome.jobsWritten = true;
            break;
          }
          outcome.pendingStarts++;
          followUps.push({ start: { definition, variables: request.variables, parent: { instanceId: instance.id, waitId: request.waitId, depth: request.depth } } });
          break;
        }
        case 'childCancelled': {
          const child = await tx.childInstance(instance.id, effect.waitId);
          if (child) followUps.push({ instanceId: child.id, command: { type: 'cancel', reason: 'parent terminated the call activity', actor: context.actor } });
          break;
        }
        case 'messageSubscribed': {
          const buffered = await tx.takeBufferedMessage(effect.subscription.messageName, effect.subscription.correlationKey, context.now, instance.definitionId);
          if (buffered) {
            followUps.push({
              instanceId: instance.id,
              command: { type: 'deliverMessage', waitId: effect.subscription.id, messageName: buffered.messageName, variables: buffered.variables, actor: context.actor },
            });
          }
          break;
        }
        case 'instanceEnded': {
          const parent = instance.state.parent;
          if (parent && effect.status === 'completed') {
            followUps.push({ instanceId: parent.instanceId, command: { type: 'completeChild', waitId: parent.waitId, variables: effect.variables, actor: context.actor } });
          }
          break;
        }
        case 'escalationEscaped': {
          const parent = instance.state.parent;
          if (parent) {
            followUps.push({ instanceId: parent.instanceId, command: { type: 'throwEscalation', waitId: parent.waitId, escalationCode: effect.escalationCode, actor: context.actor } });
          }
          break;
        }
        case 'errorEscaped': {
          const parent = instance.state.parent;
          if (parent) {
            followUps.push({
              instanceId: parent.instanceId,
              command: { type: 'throwError', waitId: parent.waitId, errorCode: effect.errorCode, errorMessage: effect.errorMessage, variables: effect.variables, actor: context.actor },
            });
          }
          break;
        }
        default:
          break;
      }
    }
    for (const followUp of followUps) {
      if ('start' in followUp) {
        outcome.pendingStarts--;
        await x.startIn(tx, followUp.start, context.actor, outcome);
        continue;
      }
      const target = await tx.lockInstance(followUp.instanceId);
      if (!target || target.status !== 'active') continue;
      if (followUp.command.type === 'deliverMessage' && !target.state.waits[followUp.command.waitId]) continue;
      await x.runLocked(tx, target, followUp.command, outcome);
    }
}
