/** Starting an instance: of the latest version (optimistically, without a look-up when it is known), a given version, or a definition. */
import { InvalidInputError, NotFoundError } from '../../errors';
import { assertStorableText } from '../../runtime/storable-text';
import type { Variables } from '../../runtime/state';
import { assertVariables } from '../../runtime/variables';
import type { DefinitionSummary, StoreTransaction } from '../../store/ports';
import { needsFollowUps } from '../follow-ups';
import type { CommandExecutor, StartInput } from '../command-executor';
import type { StartOptions } from '../options';

/** What a start answers. */
export interface StartedInstance {
  instanceId: string;
  definitionId: string;
  version: number;
  status: string;
}

/** Starts an instance of the latest (or the given) version of a process. */
export async function startInstance(x: CommandExecutor, options: StartOptions): Promise<StartedInstance> {
  const variables = assertVariables(options.variables);
  if (options.businessKey !== undefined && (typeof options.businessKey !== 'string' || options.businessKey.length > 200)) {
    throw new InvalidInputError('businessKey must be a string of at most 200 characters', { field: 'businessKey' });
  }
  assertStorableText({ businessKey: options.businessKey, processId: options.processId, definitionId: options.definitionId, startEventId: options.startEventId }, '');
  if (options.processId && options.definitionId === undefined && options.version === undefined && !options.within) {
    const known = x.latest.get(options.processId);
    // A refused check on a remembered version is asked again of the version the locking path finds.
    const started = known && (!options.checkDefinition || passes(options.checkDefinition, known)) && (await tryOptimisticStart(x, known, variables, options));
    if (started) return started;
  }
  const started = await x.transaction(async (tx, outcome) => {
    const definition = await resolveDefinition(x, tx, options);
    options.checkDefinition?.(definition);
    const added = await options.within?.(tx, definition);
    const state = await x.startIn(tx, { definition, variables: added ? { ...variables, ...assertVariables(added) } : variables, businessKey: options.businessKey, startEventId: options.startEventId }, options.actor, outcome);
    return { instanceId: state.id, definitionId: definition.id, version: definition.version, status: state.status };
  });
  return started;
}

async function resolveDefinition(x: CommandExecutor, tx: StoreTransaction, options: StartOptions): Promise<DefinitionSummary> {
  if (options.definitionId) {
    const found = await tx.definitionById(options.definitionId);
    if (!found) throw new NotFoundError(`definition '${options.definitionId}' does not exist`, { field: 'definitionId' });
    return found;
  }
  if (!options.processId) throw new InvalidInputError('processId or definitionId is required', { field: 'processId' });
  if (options.version !== undefined) {
    // Inside the command's transaction: on the embedded database a read outside it waits for the one connection it holds.
    const found = await tx.definitionByVersion(options.processId, options.version);
    if (!found) throw new NotFoundError(`process '${options.processId}' has no version ${options.version}`, { field: 'version' });
    return found;
  }
  const latest = await tx.latestDefinition(options.processId);
  if (!latest) throw new NotFoundError(`process '${options.processId}' is not deployed`, { field: 'processId' });
  x.latest.set(options.processId, latest);
  return latest;
}

/**
 * A start on the version this engine last saw as the latest, written in one
 * statement that applies only if no newer version exists (no look-up first).
 * Undefined when it did not apply (then the caller looks the version up) or
 * when the start needs follow-ups in its transaction (buffered messages).
 */
async function tryOptimisticStart(
  x: CommandExecutor,
  definition: DefinitionSummary,
  variables: Variables,
  options: StartOptions,
): Promise<StartedInstance | undefined> {
  const input: StartInput = { definition, variables, businessKey: options.businessKey, startEventId: options.startEventId };
  const { record, effects, now } = x.firstStep(await x.graphs.graph(definition.id), input, options.actor);
  if (needsFollowUps(record.state, effects) || x.listened(effects, record)) return undefined;
  if (!(await x.guarded(() => x.store.applyStartIfLatest(record, effects, { now, actor: options.actor }, definition.version)))) {
    x.latest.delete(record.processId);
    return undefined;
  }
  x.cache.remember(record);
  x.publish([{ instanceId: record.id, processId: record.processId, definitionId: record.definitionId, effects, actor: options.actor, at: now }]);
  return { instanceId: record.id, definitionId: definition.id, version: definition.version, status: record.status };
}

/** Whether a check passes (does not throw). */
function passes<T>(check: (value: T) => void, value: T): boolean {
  try {
    check(value);
    return true;
  } catch {
    return false;
  }
}
