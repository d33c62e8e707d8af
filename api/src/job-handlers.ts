/**
 * The job handlers the engine runs in-process (the HTTP connector), in one place: the
 * composition root registers them with the job executor, the job routes never hand
 * their jobs to external workers, and a deploy warns about every other job type (a
 * worker must serve it).
 */
import { httpConnector, type JobHandler } from '../../engine/src/index';

/** A fresh set of the in-process handlers, by job type. */
export function inProcessJobHandlers(secrets: Readonly<Record<string, string>> = {}): Record<string, JobHandler> {
  const lookup = (name: string): string | undefined => (Object.hasOwn(secrets, name) ? secrets[name] : undefined);
  return { http: httpConnector({ secrets: lookup }), 'io.camunda:http-json:1': httpConnector({ secrets: lookup }) };
}

/** The job types served in-process (what {@link inProcessJobHandlers} registers). */
export const IN_PROCESS_JOB_TYPES: readonly string[] = Object.keys(inProcessJobHandlers());
