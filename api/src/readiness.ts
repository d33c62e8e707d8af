/**
 * Readiness: whether every part of this process is serving, for `/api/health`. A
 * part is a name and a check that says why it is not serving yet (undefined when it
 * is): the database reached and migrated, the push gateway (socket.io) attached with
 * its feed following history, the job executor running. Start-up registers each part
 * before it starts it, so that a probe during start-up hears "not ready, and why"
 * instead of "ok" from a process whose socket.io is not attached yet.
 */

/** Why a part is not serving; undefined when it is. */
export type ReadinessCheck = () => string | undefined;

/** The state of one part, as `/api/health` reports it. */
export interface PartState {
  ready: boolean;
  /** Why not, when not. */
  detail?: string;
}

/** A start-up step: not ready until `ready()`; `notReady(why)` again when it stops. */
export interface ReadinessStep {
  ready(): void;
  notReady(detail: string): void;
}

/** The parts of one process and their checks. */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Registers (or replaces) the check of a part. */
  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** Registers a part that is not ready (`detail` says why) until its step calls `ready()`. */
  step(name: string, detail: string): ReadinessStep {
    let why: string | undefined = detail;
    this.add(name, () => why);
    return {
      ready: () => {
        why = undefined;
      },
      notReady: (reason) => {
        why = reason;
      },
    };
  }

  /** Every part's state, and whether all are ready. */
  report(): { ready: boolean; parts: Record<string, PartState> } {
    const parts: Record<string, PartState> = {};
    let ready = true;
    for (const [name, check] of this.checks) {
      let detail: string | undefined;
      try {
        detail = check();
      } catch (error) {
        detail = `its check failed: ${error instanceof Error ? error.message : String(error)}`;
      }
      parts[name] = detail === undefined ? { ready: true } : { ready: false, detail };
      if (detail !== undefined) ready = false;
    }
    return { ready, parts };
  }
}
