/**
 * Idempotency keys for the commands that create things (deploy, start an
 * instance, correlate a message): a client that does not know whether its
 * request went through sends it again with the same `Idempotency-Key` header
 * and gets the stored answer; nothing is created twice.
 *
 * Keys are scoped by operation and by user (two users cannot collide, nor
 * read each other's answers), and stored in `idempotency_keys` with a
 * fingerprint of the request: the same key with another request is refused
 * (422); a key whose first request is still running answers 409 with
 * `Retry-After`. Only successful answers are kept: a failed request frees its
 * key so a retry runs again. Keys older than {@link IDEMPOTENCY_TTL_MS} are purged.
 *
 * ## A request that never finishes
 *
 * The reservation is held by the request that made it (a random owner token) for a
 * short lease (`MOTCUA_IDEMPOTENCY_LEASE_MS`, default 30 s, on the database's clock),
 * renewed every third of it while the request runs. When its server is killed the
 * renewals stop, and a retry of the same request after the lease has run out takes
 * the key over and runs (one retry only: the takeover is one atomic statement). So a
 * retry after a crash waits at most one lease, never the 24 hours of the purge, and
 * two concurrent retries still run the command once: one holds the key, the other is
 * told 409 until the first answer is stored, then replays it.
 *
 * Why a lease and not the reservation in the command's own transaction (which a
 * crash would roll back with the work): the commands run in the engine's
 * transactions, some in one optimistic statement, and a deploy is two of them
 * (definitions, then forms); putting the key into each would tie the engine to the
 * HTTP layer. The price is one window, named here so that nobody relies on more: a
 * server killed after the command committed and before its answer was stored (one
 * statement later) lets a retry after the lease run the command again.
 */
import { createHash, randomUUID } from 'node:crypto';
import { MotcuaError } from '../../engine/src/index';
import type { ApiStore } from './store/api-store';
import { RequestValidationError } from './problem';

/** How long an answer is kept for replay. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** How long a reservation holds without renewal (the default of `MOTCUA_IDEMPOTENCY_LEASE_MS`). */
export const DEFAULT_IDEMPOTENCY_LEASE_MS = 30_000;

/** Options of {@link Idempotency}. */
export interface IdempotencyOptions {
  /** Lease of a reservation, ms; renewed every third of it while its request runs. */
  leaseMs?: number;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** The same key was sent with a different request. */
export class IdempotencyKeyReusedError extends MotcuaError {
  constructor(details: Record<string, unknown> = {}) {
    super('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request', { field: 'headers.idempotency-key', ...details });
  }
}

/** The first request with this key has not finished yet. */
export class IdempotencyKeyInUseError extends MotcuaError {
  constructor(details: Record<string, unknown> = {}) {
    super('IDEMPOTENCY_KEY_IN_USE', 'a request with this Idempotency-Key is still being processed; retry later', { field: 'headers.idempotency-key', ...details });
  }
}

/** An answer that can be stored and replayed. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** A fingerprint of a request's content (any JSON-able value; buffers hashed as bytes). */
export function fingerprint(value: unknown): string {
  const hash = createHash('sha256');
  const walk = (v: unknown): void => {
    if (Buffer.isBuffer(v)) {
      hash.update(`b${v.length}:`).update(v);
    } else if (Array.isArray(v)) {
      hash.update('[');
      v.forEach(walk);
      hash.update(']');
    } else if (v && typeof v === 'object') {
      hash.update('{');
      for (const k of Object.keys(v).sort()) {
        hash.update(JSON.stringify(k));
        walk((v as Record<string, unknown>)[k]);
      }
      hash.update('}');
    } else {
      hash.update(JSON.stringify(v) ?? 'u');
    }
  };
  walk(value);
  return hash.digest('hex');
}

/** Runs commands once per key (see the module comment). */
export class Idempotency {
  private readonly leaseMs: number;

  constructor(
    private readonly store: ApiStore,
    private readonly now: () => number,
    options: IdempotencyOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_IDEMPOTENCY_LEASE_MS;
  }

  /**
   * Runs `work` once per (scope, user, key): the first call runs it and stores a 2xx
   * answer; later calls with the same request get that answer with `replayed: true`.
   * Without a key, just runs `work`.
   */
  async run(
    request: { key: string | undefined; userId: string; scope: string; content: unknown },
    work: () => Promise<StoredAnswer>,
  ): Promise<StoredAnswer & { replayed: boolean }> {
    if (request.key === undefined) return { ...(await work()), replayed: false };
    if (!KEY_PATTERN.test(request.key)) {
      throw new RequestValidationError([{ field: 'headers.idempotency-key', message: 'must be 1 to 200 visible ASCII characters' }]);
    }
    const storedKey = `${request.scope}:${createHash('sha256').update(request.userId).digest('hex').slice(0, 16)}:${request.key}`;
    const requestHash = fingerprint(request.content);
    const lease = { owner: randomUUID(), ms: this.leaseMs };
    const reservation = await this.store.reserveIdempotencyKey(storedKey, request.scope, requestHash, this.now(), lease);
    if (!reservation.reserved) {
      const { record } = reservation;
      if (record.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
      if (!record.response) throw new IdempotencyKeyInUseError({ retryAfterSeconds: Math.max(1, Math.ceil(reservation.leaseLeftMs / 1000)) });
      return { ...record.response, replayed: true };
    }
    // Renewals keep the key while the work runs; they stop with the process.
    const renewal = setInterval(() => {
      this.store.renewIdempotencyKey(storedKey, lease).catch(() => undefined);
    }, Math.max(1, Math.floor(this.leaseMs / 3)));
    renewal.unref();
    let answer: StoredAnswer;
    try {
      answer = await work();
    } catch (error) {
      clearInterval(renewal);
      await this.store.releaseIdempotencyKey(storedKey, lease.owner).catch(() => undefined);
      throw error;
    }
    clearInterval(renewal);
    if (answer.status >= 200 && answer.status < 300) await this.store.saveIdempotentResponse(storedKey, lease.owner, { requestHash, response: answer });
    else await this.store.releaseIdempotencyKey(storedKey, lease.owner);
    return { ...answer, replayed: false };
  }

  /** Deletes keys past their time to live; returns how many. */
  async purge(): Promise<number> {
    return this.store.purgeIdempotencyKeys(this.now() - IDEMPOTENCY_TTL_MS);
  }
}
