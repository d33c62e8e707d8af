/**
 * `/api/statistics`, `/api/statistics/dossiers`, `/api/public/statistics`, `/api/public/agencies`: the Decision 766 /
 * Decree 118 figures over the statistics projection. Staff read their own agency (the agency
 * defaults to theirs), analysts any; the public gets aggregates of one agency only.
 * Periods are local dates (Vietnam, UTC+7), `to` inclusive.
 *
 * The drill-down is keyset-paged by an opaque cursor that also pins the moment the figures are
 * taken (asOf): a walk's later pages are of the first page's moment, and dossiers written while
 * the client walks neither shift nor repeat a page. Its CSV streams every row.
 */
import type { Router } from 'express';
import { InvalidInputError, InvariantError } from '../../../engine/src/index';
import { inForce } from '../../../onestop/src/procedures/procedure';
import { dossiersCsv, reportCsv } from '../../../onestop/src/statistics/report';
import { decodeDrillDownCursor, type StatisticsService } from '../../../onestop/src/statistics/statistics-service';
import type { DrillDown, StatisticsGroupBy, StatisticsQuery } from '../../../onestop/src/statistics/statistics-store';
import { ForbiddenError } from '../auth/errors';
import { canReadStatistics } from '../auth/policy';
import type { Principal } from '../auth/principal';
import * as schemas from '../schemas/statistics';
import type { ApiServices } from '../server';
import { iso, mount } from '../validation';

const OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

type Filters = { agency?: string; province?: string; procedure?: string; official?: string; from?: string; to?: string };

/** The local date (Vietnam) of a moment, YYYY-MM-DD. */
const localDate = (at: number): string => new Date(at + OFFSET_MS).toISOString().slice(0, 10);

/** The period [from 00:00, to + 1 day 00:00) in Vietnam; default: this year to today. */
function periodOf(filters: Filters, now: number): { from: number; to: number } {
  const today = localDate(now);
  const fromDate = filters.from ?? `${today.slice(0, 4)}-01-01`;
  const toDate = filters.to ?? today;
  const from = Date.parse(`${fromDate}T00:00:00Z`) - OFFSET_MS;
  const to = Date.parse(`${toDate}T00:00:00Z`) - OFFSET_MS + DAY_MS;
  if (Number.isNaN(from)) throw new InvalidInputError(`'${fromDate}' is not a date`, { field: 'query.from' });
  if (Number.isNaN(to)) throw new InvalidInputError(`'${toDate}' is not a date`, { field: 'query.to' });
  if (to <= from) throw new InvalidInputError(`the period ends (${toDate}) before it starts (${fromDate})`, { field: 'query.to' });
  return { from, to };
}

const isAnalyst = (p: Principal): boolean => p.roles.includes('analyst');

/** The query a principal may run: staff are held to their agency. */
function queryOf(p: Principal, filters: Filters, now: number, groupBy?: StatisticsGroupBy): StatisticsQuery {
  const agency = filters.agency ?? (isAnalyst(p) ? undefined : p.agency);
  if (!canReadStatistics(p, { ...(agency !== undefined ? { agency } : {}) })) {
    throw new ForbiddenError(agency ? `the statistics of agency '${agency}' are for its own staff and analysts` : 'the statistics are for analysts and the staff of an agency');
  }
  return {
    ...periodOf(filters, now),
    asOf: now,
    ...(agency ? { agency } : {}),
    ...(filters.province ? { province: filters.province } : {}),
    ...(filters.procedure ? { procedureCode: filters.procedure } : {}),
    ...(filters.official ? { official: filters.official } : {}),
    ...(groupBy ? { groupBy } : {}),
  };
}

export function createStatisticsRoutes(router: Router, services: ApiServices): void {
  const { ctx } = services;
  const statistics = (): StatisticsService => {
    if (!ctx.statistics) throw new InvariantError('this server has no statistics');
    return ctx.statistics;
  };
  const staff = (p: Principal) => isAnalyst(p) || p.roles.includes('agency-admin') || p.roles.includes('official');

  mount<Record<string, string>, Filters & { groupBy?: StatisticsGroupBy; format?: 'json' | 'csv' }>(
    router,
    schemas.getStatistics,
    services.mount,
    async ({ query, principal, req }) => {
      const q = queryOf(principal!, query, ctx.now(), query.groupBy ?? 'none');
      const groups = await statistics().report(q);
      const format = query.format ?? (req.accepts(['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'json');
      if (format === 'csv') return { status: 200, body: reportCsv(groups), contentType: 'text/csv; charset=utf-8' };
      return { status: 200, body: { from: iso(q.from), to: iso(q.to), asOf: iso(q.asOf), groupBy: q.groupBy, groups } };
    },
    { allow: staff },
  );

  mount<Record<string, string>, Filters & { indicator: DrillDown; limit?: number; cursor?: string; format?: 'json' | 'csv' }>(
    router,
    schemas.getStatisticsDossiers,
    services.mount,
    async ({ query, principal, req }) => {
      const cursor = query.cursor === undefined ? undefined : decodeDrillDownCursor(query.cursor);
      const q = queryOf(principal!, query, cursor?.asOf ?? ctx.now());
      const after = cursor ? { countedAt: cursor.countedAt, dossierId: cursor.dossierId } : undefined;
      const format = query.format ?? (req.accepts(['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'json');
      if (format === 'csv') {
        return { status: 200, body: dossiersCsv(statistics().allDossiers(q, query.indicator, after)), contentType: 'text/csv; charset=utf-8' };
      }
      const page = await statistics().dossierPage(q, query.indicator, { limit: query.limit ?? schemas.DRILL_DOWN_LIMIT.default, ...(after ? { after } : {}) });
      return {
        status: 200,
        body: {
          asOf: iso(q.asOf),
          items: page.items.map((d) => ({ ...d, countedAt: iso(d.countedAt), receivedAt: iso(d.receivedAt), finishedAt: iso(d.finishedAt), due766At: iso(d.due766At), legalDueAt: iso(d.legalDueAt) })),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
      };
    },
    { allow: staff },
  );

  mount(router, schemas.getPublicAgencies, services.mount, async () => {
    const today = localDate(ctx.now());
    const catalogue = ctx.dossiers ? (await ctx.dossiers.procedures()).filter((p) => inForce(p, today)) : [];
    const agencies = new Map<string, { id: string; name: { vi: string; en?: string }; level?: string; procedures: number; online: number }>();
    for (const p of catalogue) {
      const id = p.document.competentAgency.agency;
      const named = p.document.agencies?.find((a) => a.id === id);
      const agency = agencies.get(id) ?? { id, name: named ? { vi: named.name, ...(named.nameEn ? { en: named.nameEn } : {}) } : { vi: id }, ...(p.document.competentAgency.level ? { level: p.document.competentAgency.level } : {}), procedures: 0, online: 0 };
      agency.procedures += 1;
      if (p.document.onlineLevel === 'full' || p.document.onlineLevel === 'partial') agency.online += 1;
      agencies.set(id, agency);
    }
    return { status: 200, body: { items: [...agencies.values()].sort((a, b) => a.id.localeCompare(b.id)) } };
  });

  mount<Record<string, string>, { agency: string; from?: string; to?: string }>(router, schemas.getPublicStatistics, services.mount, async ({ query }) => {
    const now = ctx.now();
    const period = periodOf(query, now);
    const [groups, received] = await Promise.all([statistics().report({ ...period, asOf: now, agency: query.agency }), statistics().receivedPerProcedure(query.agency, period.from, period.to)]);
    const counts = new Map(received.map((r) => [r.procedureCode, r.received]));
    const today = localDate(now);
    const catalogue = ctx.dossiers ? (await ctx.dossiers.procedures({ agency: query.agency })).filter((p) => inForce(p, today)) : [];
    const procedures = catalogue.map((p) => ({ code: p.code, name: p.document.name, onlineLevel: p.document.onlineLevel, received: counts.get(p.code) ?? 0 }));
    for (const [code, n] of counts) if (!procedures.some((p) => p.code === code)) procedures.push({ code, name: { vi: code, en: code }, onlineLevel: undefined as never, received: n });
    const group = groups[0];
    return { status: 200, body: { agency: query.agency, from: iso(period.from), to: iso(period.to), received: group?.counts.received ?? 0, indicators: group?.indicators ?? [], procedures } };
  });
}
