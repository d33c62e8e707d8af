/**
 * Deploy: validate and store a BPMN document, each process in it a new version (or the
 * existing one when identical), and register its message, signal and timer start events.
 */
import { createHash } from 'node:crypto';
import { DeploymentRejectedError } from '../../errors';
import { compileDefinitions, parseBpmn } from '../../model';
import type { ProcessGraph } from '../../model/graph';
import { assertStorableText } from '../../runtime/storable-text';
import { workingTimeWithoutCalendar } from '../../runtime/working-time';
import type { DefinitionRecord, JobRow, StoreTransaction } from '../../store/ports';
import { firstDue, parseTimer } from '../../timer';
import type { CommandExecutor } from '../command-executor';
import type { DeployOptions, DeployResult } from '../options';
import { staticText } from './static-text';

/**
 * Validates and stores a BPMN document; each process in it becomes a new
 * version, unless its XML is identical to the latest version (then that one
 * is returned). Rejects with every problem at once; stores nothing then.
 */
export async function deploy(x: CommandExecutor, xml: string, options: DeployOptions = {}): Promise<DeployResult> {
  assertStorableText({ name: options.name, resourceName: options.resourceName }, '');
  // Parse once; compile twice only when call activities name processes outside the document,
  // which are then looked up (without their XML) among the deployed ones.
  const { definitions: parsed, warnings } = await parseBpmn(xml, { maxBytes: x.maxXmlBytes, maxNestingDepth: x.limits.maxNestingDepth });
  const asked = new Set<string>();
  const limits = x.limits;
  let compiled = compileDefinitions(parsed, { warnings, limits, knownProcessIds: (id: string) => (asked.add(id), true) });
  if (asked.size > 0) {
    const deployed = await x.store.transaction(async (tx) => {
      const found = new Set<string>();
      for (const id of asked) if (await tx.latestDefinition(id)) found.add(id);
      return found;
    });
    compiled = compileDefinitions(parsed, { warnings, limits, knownProcessIds: (id: string) => deployed.has(id) });
  }
  const { graphs, problems } = compiled;
  if (problems.length > 0) throw new DeploymentRejectedError(`the BPMN document has ${problems.length} problem(s)`, problems);
  if (graphs.length === 0) throw new DeploymentRejectedError('the BPMN document has no executable process', [{ elementId: '', reason: 'no executable process' }]);
  if (!x.stepOptions.calendars) for (const graph of graphs) warnings.push(...workingTimeWithoutCalendar(graph));
  const hash = createHash('sha256').update(xml);
  if (options.fingerprint) hash.update('\0').update(options.fingerprint);
  const xmlHash = hash.digest('hex');
  const now = x.now();
  const deploymentId = x.newId();
  const result = await x.transaction(async (tx) => {
    const definitions: DeployResult['definitions'] = [];
    const withoutAgency: string[] = [];
    const defaulted: string[] = [];
    let inserted = false;
    for (const graph of graphs) {
      await tx.lockName(`deploy:${graph.processId}`);
      const owner = await tx.processOwner(graph.processId);
      const modelAgency = graph.facts?.agency;
      options.checkOwnership?.({ processId: graph.processId, owner, modelAgency });
      const resolved = modelAgency ?? owner?.agency ?? options.agency;
      const agency = resolved ?? options.defaultAgency;
      if (agency === undefined) {
        if (options.requireAgency) throw new DeploymentRejectedError(noAgencyWarning(graph.processId), [{ elementId: graph.processId, reason: noAgencyWarning(graph.processId) }]);
        withoutAgency.push(graph.processId);
      } else if (resolved === undefined) {
        defaulted.push(graph.processId);
      }
      if (!owner && agency !== undefined) {
        await tx.insertProcessOwner({ processId: graph.processId, agency, createdAt: now, createdBy: options.actor });
      }
      const latest = await tx.latestDefinition(graph.processId);
      if (latest && latest.xmlHash === xmlHash) {
        definitions.push({ id: latest.id, processId: graph.processId, version: latest.version, duplicate: true });
        continue;
      }
      if (!inserted) {
        await tx.insertDeployment({ id: deploymentId, name: options.name, resourceName: options.resourceName, createdAt: now, createdBy: options.actor });
        inserted = true;
      }
      const version = (latest?.version ?? 0) + 1;
      const definition: DefinitionRecord = {
        id: `${graph.processId}:${version}:${xmlHash.slice(0, 8)}`,
        processId: graph.processId,
        version,
        versionTag: graph.versionTag,
        name: graph.name,
        deploymentId,
        xml,
        xmlHash,
        createdAt: now,
        agency,
      };
      await tx.insertDefinition(definition);
      await registerStartEvents(tx, graph, definition, now);
      definitions.push({ id: definition.id, processId: graph.processId, version, duplicate: false });
    }
    // All duplicates: answer with the deployment that holds the existing version.
    const existing = inserted ? deploymentId : (await tx.definitionById(definitions[0].id))?.deploymentId ?? deploymentId;
    const result = { deploymentId: existing, definitions, warnings: [...warnings, ...withoutAgency.map(noAgencyWarning), ...defaulted.map((id) => defaultAgencyWarning(id, options.defaultAgency!))] };
    if (inserted) await options.within?.(tx, result);
    return result;
  });
  x.events.emit('jobs');
  return result;
}

/** Message, signal and timer start events of the newest version replace those of older versions. */
async function registerStartEvents(tx: StoreTransaction, graph: ProcessGraph, definition: DefinitionRecord, now: number): Promise<void> {
  const messages = [];
  const signals = [];
  const timers: JobRow[] = [];
  for (const startId of graph.startEvents) {
    const node = graph.nodes[startId];
    if (node.type !== 'startEvent' || !node.eventDefinition) continue;
    const def = node.eventDefinition;
    const id = `${definition.id}/${startId}`;
    if (def.kind === 'message') messages.push({ id, definitionId: definition.id, elementId: startId, messageName: staticText(def.messageName) });
    else if (def.kind === 'signal') signals.push({ id, definitionId: definition.id, elementId: startId, signalName: staticText(def.signalName) });
    else if (def.kind === 'timer') {
      const timer = parseTimer(def.timerType, staticText(def.expression));
      timers.push({
        id,
        definitionId: definition.id,
        elementId: startId,
        kind: 'start-timer',
        jobType: 'start-timer',
        retries: 3,
        dueAt: firstDue(timer, now),
        headers: {},
        variables: {},
        payload: { timerType: def.timerType, expression: staticText(def.expression), fired: 0 },
      });
    }
  }
  await tx.replaceStartEvents(graph.processId, messages, signals, timers);
}

/** A process that took the default agency: said so, so that the deployer knows who works it. */
function defaultAgencyWarning(processId: string, agency: string): string {
  return `process '${processId}' names no agency (no motcua:facts agency, no owner, none named by the deploy): it belongs to the default agency '${agency}' (MOTCUA_DEFAULT_AGENCY), whose officials and agency admins see and work its tasks and incidents`;
}

/**
 * Why a process deployed without an agency needs one: its tasks and incidents belong to no agency,
 * so no official or agency admin sees them.
 */
function noAgencyWarning(processId: string): string {
  return `process '${processId}' belongs to no agency (its model names none with motcua:facts agency, its id has no owner, the deploy named none, and no default agency is set): its tasks and incidents would be seen by no official or agency admin; deploy it as an agency admin, name the agency (deploy request field 'agency'), or set MOTCUA_DEFAULT_AGENCY`;
}
