/**
 * `/api/analysis/mining`: process mining over the history of dossiers (issue 17): the
 * summary figures, and the event log as XES or OCEL 2.0 for mining tools.
 *
 * Who: analysts (any agency's procedures, or the one `agency` names) and agency admins
 * (their own agency's procedures only); see `canMineHistory`. Applicants are
 * pseudonymised here, with a keyed HMAC (MOTCUA_MINING_SECRET), before anything reaches
 * the mining code; officials stay as their user ids.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Router } from 'express';
import { calendarTimeRules, InvalidInputError } from '../../../engine/src/index';
import { buildMiningLog, mineLog, toOcel, toXes, workingHoursMeter, type MiningLog, type MiningSummary } from '../../../onestop/src/mining';
import { ForbiddenError } from '../auth/errors';
import { canMineHistory } from '../auth/policy';
import type { Principal } from '../auth/principal';
import * as schemas from '../schemas/mining';
import type { ApiServices } from '../server';
import { iso, mount } from '../validation';

interface ScopeQuery {
  processId?: string;
  agency?: string;
  from?: string;
  to?: string;
}

const mines = (p: Principal): boolean => p.roles.includes('analyst') || p.roles.includes('agency-admin');

/** The summary as JSON: times as ISO 8601. */
function summaryView(s: MiningSummary) {
  return {
    ...s,
    asOf: iso(s.asOf),
    lateHolders: s.lateHolders.map((h) => ({ ...h, oldestDueAt: iso(h.oldestDueAt), tasks: h.tasks.map((t) => ({ ...t, dueAt: iso(t.dueAt) })) })),
  };
}

export function createMiningRoutes(router: Router, services: ApiServices): void {
  const { ctx } = services;
  // Without a configured key, pseudonyms hold for this process's life only (and never leak the key).
  const key = ctx.config.miningSecret ?? randomBytes(32).toString('base64');
  const pseudonymise = (applicantId: string): string => `applicant-${createHmac('sha256', key).update(applicantId).digest('hex').slice(0, 24)}`;
  const meter = () => workingHoursMeter(ctx.calendars?.registry.provider ?? (() => calendarTimeRules()));

  /** The log of the dossiers `query` selects that `principal` may mine. */
  async function logFor(principal: Principal, query: ScopeQuery): Promise<MiningLog> {
    const agency = query.agency ?? (principal.roles.includes('analyst') ? undefined : principal.agency);
    if (!canMineHistory(principal, { agency })) {
      throw new ForbiddenError(agency === undefined ? 'mining the history of every agency is for analysts' : `the history of agency '${agency}' is not this user's to mine`);
    }
    const from = query.from === undefined ? undefined : Date.parse(query.from);
    const to = query.to === undefined ? undefined : Date.parse(query.to);
    if (from !== undefined && to !== undefined && from >= to) throw new InvalidInputError(`from (${query.from}) must be before to (${query.to})`, { field: 'query.from' });
    const maxCases = ctx.config.miningMaxCases;
    const source = await ctx.stores.miningLog({ processId: query.processId, agency, from, to, maxCases, pseudonymise });
    if (source.truncated) {
      throw new InvalidInputError(`more than ${maxCases} dossiers match (MOTCUA_MINING_MAX_CASES): narrow the period with from and to, or name a processId`, { field: 'query.from' });
    }
    const names = new Map<string, Record<string, { name?: string }> | undefined>();
    for (const definitionId of new Set(source.cases.map((c) => c.definitionId))) {
      // A definition whose XML no longer compiles keeps its element ids as names.
      names.set(definitionId, await ctx.engine.graph(definitionId).then((g) => g.nodes, () => undefined));
    }
    return buildMiningLog(source, ctx.now(), (definitionId, elementId) => names.get(definitionId)?.[elementId]?.name || undefined);
  }

  mount<Record<string, string>, ScopeQuery>(
    router,
    schemas.getMiningSummary,
    services.mount,
    async ({ query, principal }) => ({ status: 200, body: summaryView(mineLog(await logFor(principal!, query), meter())) }),
    { allow: mines },
  );

  mount<Record<string, string>, ScopeQuery & { format: 'xes' | 'ocel' }>(
    router,
    schemas.exportMiningLog,
    services.mount,
    async ({ query, principal }) => {
      const log = await logFor(principal!, query);
      const base = `motcua-${(query.processId ?? query.agency ?? 'history').replace(/[^A-Za-z0-9._-]/g, '_')}`;
      if (query.format === 'xes') {
        return { status: 200, body: toXes(log, { name: query.processId ?? 'motcua history' }), contentType: 'application/xml; charset=utf-8', headers: { 'Content-Disposition': `attachment; filename="${base}.xes"` } };
      }
      return { status: 200, body: JSON.stringify(toOcel(log)), contentType: 'application/json; charset=utf-8', headers: { 'Content-Disposition': `attachment; filename="${base}.jsonocel"` } };
    },
    { allow: mines },
  );
}
