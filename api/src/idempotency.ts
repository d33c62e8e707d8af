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
 *
 * ## Secrets in an answer (the tracking secret of a received dossier)
 *
 * Some answers carry a secret that is shown once and kept nowhere else in clear (the
 * dossier keeps only its hash). A replay must still give it: the client that retries
 * is the one that did not get the first answer, and without it the applicant could
 * never follow the dossier. So the handler names such fields (`sealed`), and the stored
 * answer keeps them only encrypted (AES-256-GCM) under a key derived from the caller's
 * own `Idempotency-Key`, which the database does not hold (it keeps a hash of it): a
 * replay by the same principal with the same key decrypts them; a reader of the table
 * (a backup, an operator) cannot, and another principal never reaches the record at all
 * (records are per principal: user and agency). Dropping the secret from the stored
 * answer instead ("given in the first answer") would lose it for good exactly when a
 * retry is needed. The seal is as strong as the key: clients send a random one (a UUID).
 *
 * The stored key is `<operation>:<hash of the principal>:<hash of the Idempotency-Key>`;
 * keys stored before this format (the client's key in clear) are not found again and
 * leave with the purge, within {@link IDEMPOTENCY_TTL_MS}.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
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
  /**
   * Top-level fields of `body` that are secrets: stored only encrypted under the caller's
   * key, given back in clear to a replay by the same principal (see the module comment).
   */
  sealed?: readonly string[];
}

/** What the store keeps of an answer: the body without its sealed fields, and those fields encrypted. */
interface KeptAnswer {
  status: number;
  body: unknown;
  sealed?: string;
}

const SEAL_VERSION = 'v1';

/** The encryption key of one stored answer: from the client's key, bound to the operation and the principal. */
function sealKey(clientKey: string, scope: string, principal: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(clientKey, 'utf8'), Buffer.from(`${scope}\u0000${principal}`, 'utf8'), 'motcua idempotent answer seal v1', 32));
}

/** Splits the sealed fields off a body and encrypts them (`aad` ties the ciphertext to its stored key). */
function seal(answer: StoredAnswer, key: Buffer, aad: string): KeptAnswer {
  const fields = answer.sealed ?? [];
  const body = answer.body;
  if (fields.length === 0 || body === null || typeof body !== 'object' || Array.isArray(body)) return { status: answer.status, body };
  const open: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const secret: Record<string, unknown> = {};
  for (const field of fields) {
    if (field in open) {
      secret[field] = open[field];
      delete open[field];
    }
  }
  if (Object.keys(secret).length === 0) return { status: answer.status, body };
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const text = Buffer.concat([cipher.update(JSON.stringify(secret), 'utf8'), cipher.final()]);
  return { status: answer.status, body: open, sealed: `${SEAL_VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), text]).toString('base64url')}` };
}

/** The stored answer with its sealed fields back in clear; without them when they cannot be opened. */
function unseal(kept: KeptAnswer, key: Buffer, aad: string): StoredAnswer {
  if (kept.sealed === undefined || kept.body === null || typeof kept.body !== 'object') return { status: kept.status, body: kept.body };
  try {
    const [version, data] = kept.sealed.split('.');
    if (version !== SEAL_VERSION || data === undefined) throw new Error(`unknown seal '${version}'`);
    const bytes = Buffer.from(data, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const secret = JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')) as Record<string, unknown>;
    return { status: kept.status, body: { ...(kept.body as Record<string, unknown>), ...secret } };
  } catch {
    // Only a changed row gets here (the key that found the record is the key that sealed it): the answer without its secret.
    return { status: kept.status, body: kept.body };
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

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
   * Runs `work` once per (scope, principal, key): the first call runs it and stores a 2xx
   * answer; later calls with the same request get that answer with `replayed: true`.
   * Without a key, just runs `work`. `principal` names who asks (the user and the agency
   * it acts for): another principal's key is another key.
   */
  async run(
    request: { key: string | undefined; principal: string; scope: string; content: unknown },
    work: () => Promise<StoredAnswer>,
  ): Promise<StoredAnswer & { replayed: boolean }> {
    if (request.key === undefined) return { ...(await work()), replayed: false };
    if (!KEY_PATTERN.test(request.key)) {
      throw new RequestValidationError([{ field: 'headers.idempotency-key', message: 'must be 1 to 200 visible ASCII characters' }]);
    }
    // The client's key is kept only hashed: it is the key of the sealed fields (module comment).
    const storedKey = `${request.scope}:${sha256(request.principal).slice(0, 32)}:${sha256(request.key)}`;
    const secretKey = sealKey(request.key, request.scope, request.principal);
    const requestHash = fingerprint(request.content);
    const lease = { owner: randomUUID(), ms: this.leaseMs };
    const reservation = await this.store.reserveIdempotencyKey(storedKey, request.scope, requestHash, this.now(), lease);
    if (!reservation.reserved) {
      const { record } = reservation;
      if (record.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
      if (!record.response) throw new IdempotencyKeyInUseError({ retryAfterSeconds: Math.max(1, Math.ceil(reservation.leaseLeftMs / 1000)) });
      return { ...unseal(record.response as KeptAnswer, secretKey, storedKey), replayed: true };
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
    if (answer.status >= 200 && answer.status < 300) await this.store.saveIdempotentResponse(storedKey, lease.owner, { requestHash, response: seal(answer, secretKey, storedKey) });
    else await this.store.releaseIdempotencyKey(storedKey, lease.owner);
    return { ...answer, replayed: false };
  }

  /** Deletes keys past their time to live; returns how many. */
  async purge(): Promise<number> {
    return this.store.purgeIdempotencyKeys(this.now() - IDEMPOTENCY_TTL_MS);
  }
}
