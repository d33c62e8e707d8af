/** Signals: broadcast by a caller, or thrown inside an instance and delivered by a job, within one agency. */
import { InvalidInputError } from '../../errors';
import { assertStorableText } from '../../runtime/storable-text';
import type { Variables } from '../../runtime/state';
import { assertVariables } from '../../runtime/variables';
import type { AgencyScope, StoreTransaction } from '../../store/ports';
import type { CommandExecutor } from '../command-executor';
import type { BroadcastOptions } from '../options';
import type { TransactionOutcome } from '../transaction-outcome';

/** Broadcasts a signal to every waiting instance and every signal start event (of `options.agency`, when given). */
export async function broadcastSignal(x: CommandExecutor, signalName: string, options: BroadcastOptions = {}): Promise<{ instanceIds: string[] }> {
  if (!signalName || typeof signalName !== 'string') throw new InvalidInputError('signalName is required', { field: 'signalName' });
  assertStorableText(signalName, 'signalName');
  const variables = assertVariables(options.variables);
  return x.transaction(async (tx, outcome) => ({ instanceIds: await broadcastIn(x, tx, signalName, variables, options.actor, outcome, options.agency) }));
}

/**
 * Delivers a signal thrown inside an instance (queued as a job so it survives a crash),
 * then drops the job. It reaches only instances and start events of the throwing
 * instance's agency (those of no agency when it has none): a procedure never moves
 * another agency's dossiers.
 */
export async function deliverSignalJob(x: CommandExecutor, jobId: string): Promise<boolean> {
  return x.transaction(async (tx, outcome) => {
    const job = await tx.job(jobId);
    if (!job || job.kind !== 'signal') return false;
    const payload = (job.payload ?? {}) as { signalName?: string; from?: string };
    await tx.deleteJob(jobId);
    const scope: AgencyScope = payload.from ? ((await tx.agencyOfInstance(payload.from)) ?? null) : undefined;
    if (payload.signalName) await broadcastIn(x, tx, payload.signalName, job.variables, 'signal', outcome, scope);
    return true;
  });
}

async function broadcastIn(
  x: CommandExecutor,
  tx: StoreTransaction,
  signalName: string,
  variables: Variables,
  actor: string | undefined,
  outcome: TransactionOutcome,
  scope: AgencyScope,
): Promise<string[]> {
  const ids: string[] = [];
  const done = new Set<string>();
  for (const subscription of await tx.signalSubscriptions(signalName, scope)) {
    if (!subscription.instanceId) {
      const definition = await tx.definitionById(subscription.definitionId);
      if (!definition) continue;
      const state = await x.startIn(tx, { definition, variables, startEventId: subscription.elementId }, actor, outcome);
      ids.push(state.id);
      continue;
    }
    if (done.has(subscription.instanceId)) continue;
    done.add(subscription.instanceId);
    const instance = await tx.lockInstance(subscription.instanceId);
    if (!instance || instance.status !== 'active') continue;
    await x.runLocked(tx, instance, { type: 'deliverSignal', signalName, variables, actor }, outcome);
    ids.push(instance.id);
  }
  return ids;
}
