/**
 * `/api/analysis`: analysis of procedure models. `POST /api/analysis/simulate` runs
 * the simulation use case (api/src/simulation.ts) in a worker thread (simulation-pool.ts),
 * bounded by MOTCUA_SIMULATION_MAX_DOSSIERS dossiers per model, on the calendar in force.
 * With `plots: "png"` the report carries its plots as PNG too (base64, simulation-png.ts).
 * `POST /api/analysis/legal-clock` adds statutory times one after another on the working
 * calendar (the modeler's token walk shows the appointment moving with it).
 */
import type { Router } from 'express';
import { addWorkingTime, InvalidInputError, MotcuaError, type WorkingTimeUnit } from '../../../engine/src/index';
import { ClockDataError, vietnameseCalendars } from '../../../onestop/src/clocks';
import { canSimulate } from '../auth/policy';
import * as schemas from '../schemas/simulation';
import type { ApiServices } from '../server';
import { prepareSimulation, type SimulationRequest } from '../simulation';
import { SimulationPool } from '../simulation-pool';
import { plotPng } from '../simulation-png';
import { mount } from '../validation';

/** Mounts the analysis routes (analysts and agency admins). */
export function createSimulationRoutes(router: Router, services: ApiServices): void {
  const { ctx } = services;
  let fallback: ReturnType<typeof vietnameseCalendars> | undefined;
  const calendars = () => ctx.calendars?.registry.provider ?? (fallback ??= vietnameseCalendars());
  // Off the event loop (api/src/simulation-pool.ts): the request is checked here (400s at once), run in a worker.
  const pool = (ctx.simulations ??= new SimulationPool({ workers: ctx.config.simulationWorkers, queue: ctx.config.simulationQueue, timeoutMs: ctx.config.simulationTimeoutMs }));

  mount<Record<string, string>, Record<string, unknown>, SimulationRequest & { plots?: 'svg' | 'png' }>(
    router,
    schemas.simulateModels,
    services.mount,
    async ({ body }) => {
      const { plots, ...request } = body;
      const job = await prepareSimulation(request, { calendars: calendars(), now: ctx.now(), maxDossiers: ctx.config.simulationMaxDossiers, maxXmlBytes: ctx.config.maxXmlBytes, limits: ctx.config.limits }).catch((error: unknown) => {
        // The reception calendar is looked up at the start: a start the calendars or legal settings do not cover is the caller's input.
        if ((error instanceof MotcuaError && error.code === 'CALENDAR_RANGE') || error instanceof ClockDataError) {
          throw new InvalidInputError(`model.parameters.start: ${error.message}`, { field: 'body.model.parameters.start' });
        }
        throw error;
      });
      const report = await pool.run(job);
      if (plots !== 'png') return { status: 200, body: report };
      // The plots as PNG too (simulation-png.ts: resvg in WebAssembly, the bundled font), base64 in the JSON.
      const png = async (svg: string) => (await plotPng(svg)).toString('base64');
      const p = report.plots;
      const plotsPng = { cycleTimeHistogram: await png(p.cycleTimeHistogram), cycleTimeCdf: await png(p.cycleTimeCdf), utilisation: await png(p.utilisation) };
      return { status: 200, body: { ...report, plotsPng } };
    },
    { allow: canSimulate },
  );

  mount<Record<string, string>, Record<string, unknown>, LegalClockRequest>(
    router,
    schemas.legalClock,
    services.mount,
    async ({ body }) => {
      let at = Date.parse(body.from);
      const dueAt: string[] = [];
      for (const [index, step] of body.steps.entries()) {
        const unit = (step.unit === 'days' ? 'calendarDays' : step.unit) as WorkingTimeUnit;
        try {
          // The rules in force where this step starts (a year's calendar may differ from the last).
          const rules = calendars()(body.agency, at);
          at = addWorkingTime(rules.calendar, at, step.amount, unit, { cutoff: cutoffOf(step.cutoff, unit, rules.cutoff), dayCounting: rules.dayCounting });
        } catch (error) {
          // Here a moment the calendars do not cover is the caller's input, not a broken invariant.
          // So is a moment before the first legal settings or calendar data the clocks hold.
          if ((error instanceof MotcuaError && error.code === 'CALENDAR_RANGE') || error instanceof ClockDataError) {
            throw new InvalidInputError(`steps[${index}]: ${error.message}`, { field: `body.steps[${index}]` });
          }
          // A field the clock names (`cutoff`) is the field of this step.
          if (error instanceof MotcuaError && error.code === 'INVALID_INPUT' && typeof error.details.field === 'string' && !error.details.field.startsWith('body.')) {
            throw new InvalidInputError(`steps[${index}]: ${error.message}`, { field: `body.steps[${index}].${error.details.field}` });
          }
          throw error;
        }
        dueAt.push(new Date(at).toISOString());
      }
      return { status: 200, body: { dueAt } };
    },
    { allow: canSimulate },
  );
}

interface LegalClockRequest {
  from: string;
  agency?: string;
  steps: Array<{ amount: number; unit: string; cutoff?: string }>;
}

/** The cut-off of a due date, as the engine's due dates take it (runtime/working-time deadlineAfter). */
function cutoffOf(cutoff: string | undefined, unit: WorkingTimeUnit, legal: string | undefined): string | null {
  if (cutoff === undefined) return unit === 'sameDay' ? (legal ?? null) : null;
  if (cutoff === 'legal') return legal ?? null;
  if (cutoff === 'none') return null;
  return cutoff;
}
