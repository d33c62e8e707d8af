/**
 * Prometheus metrics (prom-client), served at `/metrics`: HTTP request
 * durations by route and status, engine commands by name and outcome, the
 * effects the engine committed, and Node's default process metrics.
 *
 * Each app has its own registry (several apps live in one test process); the
 * route label is the route's pattern (`/api/tasks/{id}`, set in `res.locals.route`), never the raw URL, so
 * the number of series stays bounded.
 */
import type { EventEmitter } from 'node:events';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { MotcuaError } from '../../engine/src/index';

export interface ApiMetrics {
  readonly registry: Registry;
  /** Express middleware that times every request. */
  httpMiddleware(): RequestHandler;
  /** Runs an engine command, counting and timing it by name and outcome. */
  command<T>(name: string, run: () => Promise<T>): Promise<T>;
  /** Counts committed engine effects and task events from the engine's emitter; returns the unsubscribe. */
  observeEngine(events: EventEmitter): () => void;
  /** Counts a malformed stored row that a background reader (`push-feed`, ...) skipped. */
  malformedRowSkipped(reader: string): void;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): ApiMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Duration of HTTP requests by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const commands = new Counter({
    name: 'motcua_engine_commands_total',
    help: 'Engine commands run through the API, by command and outcome (ok or the error code)',
    labelNames: ['command', 'outcome'] as const,
    registers: [registry],
  });
  const commandDuration = new Histogram({
    name: 'motcua_engine_command_duration_seconds',
    help: 'Duration of engine commands run through the API',
    labelNames: ['command'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const effects = new Counter({
    name: 'motcua_engine_effects_total',
    help: 'Effects committed by the engine (and task events), by type',
    labelNames: ['type'] as const,
    registers: [registry],
  });

  const malformedRows = new Counter({
    name: 'motcua_malformed_rows_skipped_total',
    help: 'Malformed stored rows skipped by a background reader (the push feed), which went on with the others',
    labelNames: ['reader'] as const,
    registers: [registry],
  });

  return {
    registry,

    malformedRowSkipped(reader) {
      malformedRows.inc({ reader });
    },

    httpMiddleware() {
      return (req, res, next) => {
        const start = process.hrtime.bigint();
        res.on('finish', () => {
          const seconds = Number(process.hrtime.bigint() - start) / 1e9;
          // Set by each route (its OpenAPI path) before it runs; unmatched requests share one label.
          const route = typeof res.locals.route === 'string' ? res.locals.route : 'unmatched';
          httpDuration.observe({ method: req.method, route, status_code: String(res.statusCode) }, seconds);
        });
        next();
      };
    },

    async command(name, run) {
      const end = commandDuration.startTimer({ command: name });
      try {
        const result = await run();
        commands.inc({ command: name, outcome: 'ok' });
        return result;
      } catch (error) {
        commands.inc({ command: name, outcome: error instanceof MotcuaError ? error.code : 'error' });
        throw error;
      } finally {
        end();
      }
    },

    observeEngine(events) {
      const onCommitted = (event: { effects: Array<{ type: string }> }) => {
        for (const effect of event.effects) effects.inc({ type: effect.type });
      };
      events.on('committed', onCommitted);
      events.on('task-event', onCommitted);
      return () => {
        events.off('committed', onCommitted);
        events.off('task-event', onCommitted);
      };
    },
  };
}
