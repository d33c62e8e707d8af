/**
 * Password hashing for the built-in user store: scrypt from `node:crypto` (memory-hard,
 * no native add-on), a random 16-byte salt per hash, and a self-describing encoding
 *
 *     scrypt$<N>$<r>$<p>$<salt, base64url>$<hash, base64url>
 *
 * so that stronger parameters can be adopted later while old hashes still verify.
 *
 * Passwords are Unicode-normalised (NFC) before hashing: Vietnamese input methods
 * type "ệ" either as one precomposed character or as "e" plus two combining marks,
 * and the same password must verify whichever keyboard typed it.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { InvalidInputError } from '../../../engine/src/index';

/** scrypt cost parameters. Memory used is about 128 · N · r bytes (32 MiB for the defaults). */
export interface ScryptParameters {
  /** CPU/memory cost, a power of two. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

/**
 * The parameters of new hashes: N = 2^15, r = 8, p = 1 (32 MiB, about 0.1 s on the
 * development machines), the interactive-login setting recommended by OWASP for scrypt.
 */
export const DEFAULT_SCRYPT_PARAMETERS: Readonly<ScryptParameters> = Object.freeze({ N: 2 ** 15, r: 8, p: 1 });

/** Shortest password the policy accepts, in characters. */
export const MIN_PASSWORD_LENGTH = 8;

/** Longest password accepted at all, in characters (bounds the hashing work per request). */
export const MAX_PASSWORD_LENGTH = 1024;

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Upper bounds on parameters read from a stored hash, so a forged row cannot exhaust memory. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

function characters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Throws `InvalidInputError` (field `password`) for an empty or over-long password. */
function assertAcceptable(password: string): void {
  if (typeof password !== 'string' || password.length === 0) {
    throw new InvalidInputError('The password is empty', { field: 'password' });
  }
  if (characters(password) > MAX_PASSWORD_LENGTH) {
    throw new InvalidInputError(`The password is longer than ${MAX_PASSWORD_LENGTH} characters`, { field: 'password' });
  }
}

/**
 * Checks a new password against the policy (at least {@link MIN_PASSWORD_LENGTH} and at
 * most {@link MAX_PASSWORD_LENGTH} characters); throws `InvalidInputError` (field
 * `password`) saying what is wrong. Called before hashing a password someone chose.
 */
export function checkPasswordPolicy(password: string): void {
  assertAcceptable(password);
  if (characters(password.normalize('NFC')) < MIN_PASSWORD_LENGTH) {
    throw new InvalidInputError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  }
}

function maxmemFor({ N, r, p }: ScryptParameters): number {
  // 128·N·r for the big array plus 128·r·p for the blocks, with room to spare.
  return 2 * 128 * (N * r + r * p) + 1024 * 1024;
}

function derive(password: string, salt: Buffer, keyLength: number, parameters: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = { ...parameters, maxmem: maxmemFor(parameters) };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Hashes a password with scrypt and a fresh random salt; resolves to the encoded hash.
 * Does not apply the policy (see {@link checkPasswordPolicy}); rejects only empty and
 * over-long passwords.
 *
 * @example
 *   const passwordHash = await hashPassword('correct horse battery');
 *   // 'scrypt$32768$8$1$<salt>$<hash>'
 */
export async function hashPassword(password: string, parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS): Promise<string> {
  assertAcceptable(password);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, parameters);
  return ['scrypt', parameters.N, parameters.r, parameters.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** The parts of an encoded hash, or undefined when it is not one this module can verify. */
export function parsePasswordHash(encoded: string): { parameters: ScryptParameters; salt: Buffer; key: Buffer } | undefined {
  const parts = typeof encoded === 'string' ? encoded.split('$') : [];
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^[1-9][0-9]{0,9}$/.test(part) ? Number(part) : NaN));
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || !(r >= 1 && r <= MAX_R) || !(p >= 1 && p <= MAX_P)) return undefined;
  const base64url = /^[A-Za-z0-9_-]+$/;
  if (!base64url.test(parts[4]) || !base64url.test(parts[5])) return undefined;
  const salt = Buffer.from(parts[4], 'base64url');
  const key = Buffer.from(parts[5], 'base64url');
  if (salt.length < 8 || key.length < 16) return undefined;
  return { parameters: { N, r, p }, salt, key };
}

/**
 * True when `password` matches the encoded hash (compared in constant time); false
 * when it does not, or when the hash is not a well-formed scrypt hash. Rejects empty
 * and over-long passwords with `InvalidInputError`, without hashing anything.
 */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  assertAcceptable(password);
  const parsed = parsePasswordHash(encoded);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.key.length, parsed.parameters);
  return timingSafeEqual(key, parsed.key);
}
