/**
 * Idempotency keys for the commands that create things (deploy, start an
 * instance, correlate a message): a client that does not know whether its
 * request went through sends it again with the same `Idempotency-Key` header
 * and gets the stored answer; nothing is created twice.
 *
 * Keys are scoped by operation and by user (two users cannot collide, nor
 * read each other's answers), and stored in `idempotency_keys` with a
 * fingerprint of the request: the same key with another request is refused
 * (422); a key whose first request is still running answers 409. Only
 * successful answers are kept: a failed request frees its key so a retry runs
 * again. Keys older than {@link IDEMPOTENCY_TTL_MS} are purged.
 */
import { createHash } from 'node:crypto';
import { MotcuaError } from '../../engine/src/errors';
import type { ApiStore } from '../../engine/src/store/api-store';
import { RequestValidationError } from './problem';

/** How long an answer is kept for replay. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

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

export class Idempotency {
  constructor(
    private readonly store: ApiStore,
    private readonly now: () => number,
  ) {}

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
    const reservation = await this.store.reserveIdempotencyKey(storedKey, request.scope, requestHash, this.now());
    if (!reservation.reserved) {
      const { record } = reservation;
      if (record.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
      if (!record.response) throw new IdempotencyKeyInUseError();
      return { ...record.response, replayed: true };
    }
    let answer: StoredAnswer;
    try {
      answer = await work();
    } catch (error) {
      await this.store.releaseIdempotencyKey(storedKey).catch(() => undefined);
      throw error;
    }
    if (answer.status >= 200 && answer.status < 300) await this.store.saveIdempotentResponse(storedKey, { requestHash, response: answer });
    else await this.store.releaseIdempotencyKey(storedKey);
    return { ...answer, replayed: false };
  }

  /** Deletes keys past their time to live; returns how many. */
  async purge(): Promise<number> {
    return this.store.purgeIdempotencyKeys(this.now() - IDEMPOTENCY_TTL_MS);
  }
}
