/**
 * `/api/analysis`: analysis of procedure models. `POST /api/analysis/simulate` runs
 * the simulation use case (api/src/simulation.ts) in the request, bounded by
 * MOTCUA_SIMULATION_MAX_DOSSIERS dossiers per model, on the calendar in force.
 */
import type { Router } from 'express';
import { vietnameseCalendars } from '../../../onestop/src/clocks';
import { canSimulate } from '../auth/policy';
import * as schemas from '../schemas/simulation';
import type { ApiServices } from '../server';
import { runSimulation, type SimulationRequest } from '../simulation';
import { mount } from '../validation';

/** Mounts the analysis routes (analysts and agency admins). */
export function createSimulationRoutes(router: Router, services: ApiServices): void {
  const { ctx } = services;
  let fallback: ReturnType<typeof vietnameseCalendars> | undefined;
  const calendars = () => ctx.calendars?.registry.provider ?? (fallback ??= vietnameseCalendars());

  mount<Record<string, string>, Record<string, unknown>, SimulationRequest>(
    router,
    schemas.simulateModels,
    services.mount,
    async ({ body }) => {
      const report = await runSimulation(body, { calendars: calendars(), now: ctx.now(), maxDossiers: ctx.config.simulationMaxDossiers, maxXmlBytes: ctx.config.maxXmlBytes, limits: ctx.config.limits });
      return { status: 200, body: report };
    },
    { allow: canSimulate },
  );
}
