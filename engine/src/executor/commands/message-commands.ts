/** Correlating a message: to waiting subscriptions, else a message start event, else buffered (with a time to live) or refused. */
import { InvalidInputError, MessageNotCorrelatedError } from '../../errors';
import { assertStorableText } from '../../runtime/storable-text';
import { assertVariables } from '../../runtime/variables';
import type { CommandExecutor } from '../command-executor';
import type { CorrelateOptions } from '../options';

/**
 * Correlates a message: to every instance subscription waiting with this
 * name and correlation key, else to a message start event, else it is
 * buffered (when a time to live is given) or rejected.
 */
export async function correlateMessage(x: CommandExecutor, options: CorrelateOptions): Promise<{ instanceIds: string[]; buffered: boolean }> {
  if (!options.messageName || typeof options.messageName !== 'string') throw new InvalidInputError('messageName is required', { field: 'messageName' });
  assertStorableText({ messageName: options.messageName, correlationKey: options.correlationKey, messageId: options.messageId }, '');
  const variables = assertVariables(options.variables);
  const correlationKey = options.correlationKey ?? '';
  return x.transaction(async (tx, outcome) => {
    const subscriptions = correlationKey ? await tx.messageSubscriptions(options.messageName, correlationKey, options.agency) : [];
    const seen = new Set<string>();
    for (const subscription of subscriptions) {
      if (!subscription.instanceId || seen.has(subscription.instanceId)) continue;
      const instance = await tx.lockInstance(subscription.instanceId);
      if (!instance || !instance.state.waits[subscription.id]) continue;
      seen.add(instance.id);
      await x.runLocked(tx, instance, { type: 'deliverMessage', waitId: subscription.id, messageName: options.messageName, variables, actor: options.actor }, outcome);
    }
    if (seen.size === 0) {
      for (const start of await tx.messageStartSubscriptions(options.messageName, options.agency)) {
        const definition = await tx.definitionById(start.definitionId);
        if (!definition) continue;
        const state = await x.startIn(tx, { definition, variables, businessKey: options.correlationKey, startEventId: start.elementId }, options.actor, outcome);
        seen.add(state.id);
      }
    }
    if (seen.size > 0) return { instanceIds: [...seen], buffered: false };
    if (options.timeToLiveMs && options.timeToLiveMs > 0) {
      await tx.insertBufferedMessage({
        id: x.newId(),
        messageName: options.messageName,
        correlationKey,
        variables,
        messageId: options.messageId,
        expiresAt: x.now() + options.timeToLiveMs,
        agency: options.agency,
      });
      return { instanceIds: [], buffered: true };
    }
    throw new MessageNotCorrelatedError(`no instance waits for message '${options.messageName}' with correlation key '${correlationKey}'`, {
      messageName: options.messageName,
      correlationKey,
    });
  });
}
