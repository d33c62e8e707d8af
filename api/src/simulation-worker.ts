/**
 * The worker thread of the simulation pool (simulation-pool.ts): receives prepared jobs
 * (plain data), runs them with the same code as the inline path (`runSimulationJob`), and
 * answers the report or the error's code, message and details. No I/O, no clock.
 */
import { parentPort } from 'node:worker_threads';
import { runSimulationJob, type SimulationJob } from './simulation';

/** What the pool sends: one job with its number. */
export interface WorkerJobMessage {
  id: number;
  job: SimulationJob;
}

/** What the worker answers. */
export type WorkerReplyMessage = { id: number; report: unknown } | { id: number; error: { code?: string; name: string; message: string; details?: Record<string, unknown> } };

if (parentPort) {
  const port = parentPort;
  port.on('message', (message: WorkerJobMessage) => {
    runSimulationJob(message.job).then(
      (report) => port.postMessage({ id: message.id, report } satisfies WorkerReplyMessage),
      (error: Error & { code?: unknown; details?: unknown }) =>
        port.postMessage({
          id: message.id,
          error: {
            name: error?.name ?? 'Error',
            message: error?.message ?? String(error),
            ...(typeof error?.code === 'string' ? { code: error.code } : {}),
            ...(error?.details && typeof error.details === 'object' ? { details: error.details as Record<string, unknown> } : {}),
          },
        } satisfies WorkerReplyMessage),
    );
  });
}
