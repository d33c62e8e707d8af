/**
 * `POST /api/analysis/simulate` off the event loop (api/src/simulation-pool.ts): the server
 * answers other requests while a simulation at its bound runs in a worker thread, a full
 * queue is refused at once with a 429 naming the bound, a run past the timeout is stopped,
 * and a worker's report is the inline one for the same seed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareSimulation, runSimulation, type SimulationRequest } from '../../api/src/simulation';
import { SimulationPool } from '../../api/src/simulation-pool';
import type { AppContext } from '../../api/src/context';
import { testDatabases } from '../support/databases';
import { useApi } from './harness';

const library = join(__dirname, '../../processes');
const toBe = readFileSync(join(library, 'birth-registration/to-be.bpmn'), 'utf8');
const asIs = readFileSync(join(library, 'birth-registration/as-is.bpmn'), 'utf8');
const BOUND = 100_000;
/** A commune of `scale` times the usual size: 20 dossiers a working day each (a big run stays within the calendar years). */
const parameters = (dossiers: number, scale = 1) => ({
  dossiers,
  start: '2026-03-02',
  arrivals: { perWorkingDay: 20 * scale },
  pools: [
    { agency: '000.01.00.H29', role: 'desk', staff: 2 * scale },
    { agency: '000.01.00.H29', role: 'specialist', staff: 4 * scale },
    { agency: '000.01.00.H29', role: 'head', staff: 1 * scale },
  ],
});

/** Resolves once `check` holds, looking every 5 ms (a state to wait for, not a time to assert). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

// The pool does not touch the database: one database is enough.
describe.each(testDatabases().slice(0, 1))('simulation in worker threads on $name', (target) => {
  const api = useApi(target, { config: { simulationMaxDossiers: BOUND, simulationWorkers: 1, simulationQueue: 0 } });
  const ctx = (): AppContext => api.server.app.locals.services.ctx;

  afterAll(async () => {
    await ctx().simulations?.close();
  });

  it('should answer the same report from the worker as inline for the same seed', async () => {
    // given
    const body: SimulationRequest = { model: { xml: toBe, parameters: parameters(2000) }, compare: { xml: asIs }, seed: 11 };

    // when
    const fromWorker = await api.as('analyst').post('/api/analysis/simulate', body);
    const inline = await runSimulation(body, { calendars: ctx().calendars!.registry.provider, now: ctx().now(), maxDossiers: BOUND });

    // then
    expect(fromWorker.status).toBe(200);
    expect(fromWorker.body.toBe.dossiers).toBe(2000);
    expect(fromWorker.body).toEqual(JSON.parse(JSON.stringify(inline)));
  });

  it('should answer a health request, and refuse a second simulation with a 429, while a simulation at its bound runs', async () => {
    // given: a simulation of as many dossiers as allowed, running in the worker
    let finished = false;
    const big = api
      .as('analyst')
      .post('/api/analysis/simulate', { model: { xml: toBe, parameters: parameters(BOUND, 20) }, seed: 3 })
      .finally(() => {
        finished = true;
      });
    await until(() => ctx().simulations!.load.running === 1 || finished);

    // when
    const health = await api.as('anonymous').get('/api/health');
    const second = await api.as('analyst').post('/api/analysis/simulate', { model: { xml: toBe, parameters: parameters(10) } });
    const answeredWhileRunning = !finished;

    // then
    expect(health.status).toBe(200);
    expect(answeredWhileRunning).toBe(true);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('5');
    expect(second.body.detail).toMatch(/the simulation queue is full \(1 running, 0 waiting; MOTCUA_SIMULATION_WORKERS=1, MOTCUA_SIMULATION_QUEUE=0\)/);
    const done = await big;
    expect({ status: done.status, detail: done.body.detail }).toEqual({ status: 200, detail: undefined });
    expect(done.body.toBe.dossiers).toBe(BOUND);
  });

  it('should still answer 400 naming the field before any run is queued', async () => {
    const tooMany = await api.as('analyst').post('/api/analysis/simulate', { model: { xml: toBe, parameters: { dossiers: BOUND + 1 } } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toMatch(/dossiers \(100001\) is more than the 100000 allowed/);
  });

  it('should stop a run past the timeout, naming the limit', async () => {
    // given
    const pool = new SimulationPool({ workers: 1, queue: 1, timeoutMs: 100 });
    const services = { calendars: ctx().calendars!.registry.provider, now: ctx().now(), maxDossiers: BOUND };
    try {
      const job = await prepareSimulation({ model: { xml: toBe, parameters: parameters(BOUND, 20) } }, services);

      // when / then
      await expect(pool.run(job)).rejects.toMatchObject({ code: 'REQUEST_TIMEOUT', message: expect.stringMatching(/longer than 100 ms \(MOTCUA_SIMULATION_TIMEOUT_MS\)/) });
      expect(pool.load).toEqual({ running: 0, waiting: 0 });
    } finally {
      await pool.close();
    }
  });
});

describe.each(testDatabases().slice(0, 1))('the simulation pool when the server closes on $name', (target) => {
  const api = useApi(target, { config: { simulationMaxDossiers: BOUND, simulationWorkers: 1, simulationQueue: 0 } });

  it('should terminate the pool’s workers with the server, and refuse a run after', async () => {
    // given: a simulation has run, so its worker thread is started and idle
    const res = await api.as('analyst').post('/api/analysis/simulate', { model: { xml: toBe, parameters: parameters(10) }, seed: 1 });
    expect(res.status).toBe(200);
    const ctx: AppContext = api.server.app.locals.services.ctx;
    const pool = ctx.simulations!;
    expect(pool.workers).toBe(1);
    const job = await prepareSimulation({ model: { xml: toBe, parameters: parameters(10) } }, { calendars: ctx.calendars!.registry.provider, now: ctx.now(), maxDossiers: BOUND });

    // when
    await api.server.close();

    // then: no worker is left, and the pool takes no more runs
    expect(pool.workers).toBe(0);
    expect(ctx.simulations).toBeUndefined();
    await expect(pool.run(job)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});
