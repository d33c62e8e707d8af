/**
 * The tamper-evident audit log, pure (DESIGN.md "Audit chain without a global lock").
 *
 * ## Two chains
 * - **Per dossier.** Entry n of a dossier carries the hash of entry n − 1 of the same
 *   dossier: hash = SHA-256(previous hash ‖ "\n" ‖ canonical JSON of the entry). Entries
 *   are written under the dossier's row lock, so commands of different dossiers never
 *   wait for each other.
 * - **Seals.** Periodically, off the command path, a seal records the new head (last
 *   sequence and its hash) of every dossier that changed since the previous seal, and
 *   chains to the previous seal's hash. A rewritten dossier chain (every hash recomputed)
 *   or a dossier deleted whole no longer matches a seal.
 *
 * ## What `verify` finds
 * The first entry changed (its hash no longer matches), deleted (a gap in the
 * sequence, or fewer entries than a seal saw), reordered (a sequence out of place),
 * inserted (a sequence twice, or an extra entry the next one does not chain to), a chain
 * rewritten after it was sealed, a dossier missing though sealed, and a seal changed or
 * removed from the seal chain. Entries after the last seal can be deleted from the tail
 * without a trace: seal often enough for the risk you accept.
 *
 * ## Scoped verification
 * `verify` takes an optional scope: the dossiers to check (an agency's). The seal chain is
 * checked whole (it is shared evidence: a seal's hash covers every head it lists); then only
 * the scope's entry chains, and only the sealed heads of the scope's dossiers. The first
 * problem is the one the whole log's verification names among those dossiers, and the
 * counts are the scope's: its entries, its dossiers, the seals that recorded one of them.
 */
import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** The hash before a dossier's first entry and before the first seal. */
export const GENESIS_HASH = '0'.repeat(64);

/** What an audit entry says, before it is chained. */
export interface AuditEntryContent {
  dossierId: string;
  /** 1, 2, 3 … within the dossier. */
  sequence: number;
  /** Epoch ms. */
  at: number;
  actor: string;
  /** The dossier event's type, e.g. `supplementRequested`. */
  type: string;
  /** The event's data, plain JSON. */
  data: unknown;
}

/** A stored audit entry: its content, the previous entry's hash and its own. */
export interface AuditEntry extends AuditEntryContent {
  previousHash: string;
  hash: string;
}

/** What the next entry of a dossier's chain follows: the last entry's dossier, sequence and hash. */
export type ChainHeadOf = Pick<AuditEntry, 'dossierId' | 'sequence' | 'hash'>;

/** A dossier's head as a seal records it. */
export interface SealedHead {
  dossierId: string;
  sequence: number;
  hash: string;
}

/** A seal: the new heads since the previous seal, chained to it. */
export interface AuditSeal {
  /** 1, 2, 3 … */
  sequence: number;
  at: number;
  previousHash: string;
  /** Sorted by dossier id. */
  heads: SealedHead[];
  hash: string;
}

/** What is wrong, for `verify`. */
export type AuditProblemKind = 'entry-changed' | 'entry-deleted' | 'entry-reordered' | 'entry-inserted' | 'chain-rewritten' | 'dossier-missing' | 'seal-changed' | 'seal-missing';

/** The first problem `verify` met. */
export interface AuditProblem {
  kind: AuditProblemKind;
  dossierId?: string;
  /** The entry's sequence in its dossier. */
  sequence?: number;
  /** The seal's sequence, for seal problems and for what a seal revealed. */
  seal?: number;
  reason: string;
}

/** The dossiers a verification covers (absent: the whole log). */
export type AuditScope = ReadonlySet<string>;

/** The outcome of `verify`. */
export type AuditVerification = { ok: true; entries: number; dossiers: number; seals: number } | { ok: false; problem: AuditProblem };

/** SHA-256 of the text's UTF-8 bytes, hex (the one-shot `hash`: no Hash object per entry). */
function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * The canonical JSON of an entry's content; `dataText`, when given, is the canonical JSON of
 * its data, already written. Content of the usual shape (text ids, finite numbers, data
 * present) is written directly, its keys in canonical order (actor, at, data, dossierId,
 * sequence, type): the same text as `canonicalJson` of the whole, without walking it again;
 * anything else goes through `canonicalJson`.
 */
function entryText(content: AuditEntryContent, dataText?: string): string {
  const { dossierId, sequence, at, actor, type, data } = content;
  if (typeof dossierId === 'string' && typeof actor === 'string' && typeof type === 'string' && Number.isFinite(at) && Number.isFinite(sequence) && data !== undefined) {
    const dataJson = dataText ?? canonicalJson(data, '$.data');
    return `{"actor":${JSON.stringify(actor)},"at":${JSON.stringify(at)},"data":${dataJson},"dossierId":${JSON.stringify(dossierId)},"sequence":${JSON.stringify(sequence)},"type":${JSON.stringify(type)}}`;
  }
  return canonicalJson({ dossierId, sequence, at, actor, type, data });
}

/** The hash of an entry's content after `previousHash`. */
export function entryHash(previousHash: string, content: AuditEntryContent): string {
  return sha256(`${previousHash}\n${entryText(content)}`);
}

/**
 * The next entry of a dossier's chain, after `head` (undefined for the first). Throws
 * when the content's dossier or sequence does not follow the head, or its data has no
 * JSON form: a chain is never built wrong.
 */
export function appendEntry(head: ChainHeadOf | undefined, content: Omit<AuditEntryContent, 'sequence'>): AuditEntry {
  if (head && head.dossierId !== content.dossierId) throw new Error(`audit entry of dossier ${content.dossierId} cannot follow the head of dossier ${head.dossierId}`);
  const sequence = head ? head.sequence + 1 : 1;
  const previousHash = head ? head.hash : GENESIS_HASH;
  const full = { ...content, sequence };
  // The data's canonical text, written once: the stored data is read back from it, and the hash covers it.
  const dataText = canonicalJson(content.data ?? null);
  return { ...full, data: JSON.parse(dataText), previousHash, hash: sha256(`${previousHash}\n${entryText(full, content.data === undefined ? undefined : dataText)}`) };
}

function sealHash(seal: Omit<AuditSeal, 'hash'>): string {
  const { sequence, at, previousHash, heads } = seal;
  return sha256(canonicalJson({ sequence, at, previousHash, heads: heads.map(({ dossierId, sequence: s, hash }) => ({ dossierId, sequence: s, hash })) }));
}

/** What the next seal chains to: the previous seal's sequence and hash (not its heads). */
export type SealLink = Pick<AuditSeal, 'sequence' | 'hash'>;

/**
 * The next seal after `previous` (undefined for the first), recording `heads`: the last
 * entry of each dossier that changed since the previous seal. Heads are sorted by dossier
 * id; a dossier listed twice is an error.
 */
export function sealHeads(previous: SealLink | undefined, heads: readonly SealedHead[], at: number): AuditSeal {
  const sorted = [...heads].map(({ dossierId, sequence, hash }) => ({ dossierId, sequence, hash })).sort((a, b) => (a.dossierId < b.dossierId ? -1 : a.dossierId > b.dossierId ? 1 : 0));
  sorted.forEach((head, i) => {
    if (i > 0 && sorted[i - 1].dossierId === head.dossierId) throw new Error(`a seal lists dossier ${head.dossierId} twice`);
  });
  const body = { sequence: previous ? previous.sequence + 1 : 1, at, previousHash: previous ? previous.hash : GENESIS_HASH, heads: sorted };
  return { ...body, hash: sealHash(body) };
}

/** The heads that changed since `previous`: what the next seal records. */
export function newHeads(entries: readonly AuditEntry[], sealed: readonly AuditSeal[]): SealedHead[] {
  const last = new Map<string, number>();
  for (const seal of sealed) for (const head of seal.heads) last.set(head.dossierId, head.sequence);
  const heads = new Map<string, SealedHead>();
  for (const entry of entries) {
    if (entry.sequence > (last.get(entry.dossierId) ?? 0) && entry.sequence > (heads.get(entry.dossierId)?.sequence ?? 0)) heads.set(entry.dossierId, { dossierId: entry.dossierId, sequence: entry.sequence, hash: entry.hash });
  }
  return [...heads.values()];
}

function problem(kind: AuditProblemKind, reason: string, where: Omit<AuditProblem, 'kind' | 'reason'> = {}): AuditVerification {
  return { ok: false, problem: { kind, ...where, reason } };
}

/** entryHash, or undefined when the content has no JSON form (a tampered value). */
function safeHash(previousHash: string, content: AuditEntryContent): string | undefined {
  try {
    return entryHash(previousHash, content);
  } catch {
    return undefined;
  }
}

/** Checks one dossier's entries (in stored order); the first problem, or undefined. */
function verifyDossier(dossierId: string, entries: readonly AuditEntry[]): AuditVerification | undefined {
  let previous: AuditEntry | undefined;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const expected = (previous?.sequence ?? 0) + 1;
    const where = { dossierId, sequence: entry.sequence };
    if (entry.sequence !== expected) {
      const laterHasExpected = entries.slice(i + 1).some((e) => e.sequence === expected);
      if (entry.sequence > expected && laterHasExpected) return problem('entry-reordered', `dossier ${dossierId}: entry ${entry.sequence} is stored before entry ${expected}`, where);
      if (entry.sequence > expected) return problem('entry-deleted', `dossier ${dossierId}: entry ${expected} is missing (entry ${previous?.sequence ?? 0} is followed by ${entry.sequence})`, { dossierId, sequence: expected });
      if (entry.sequence === previous?.sequence) {
        // Two entries with one sequence: the extra one is the one the next entry does not chain to.
        const next = entries[i + 1];
        const extra = next && next.previousHash === entry.hash ? previous : entry;
        return problem('entry-inserted', `dossier ${dossierId}: entry ${entry.sequence} appears twice; the one with hash ${extra.hash.slice(0, 12)}… is not part of the chain`, where);
      }
      return problem('entry-reordered', `dossier ${dossierId}: entry ${entry.sequence} is stored after entry ${previous?.sequence}`, where);
    }
    const previousHash = previous ? previous.hash : GENESIS_HASH;
    if (entry.previousHash !== previousHash) {
      // It chains to an entry further back: the entries in between were inserted.
      const chainedTo = entries.slice(0, Math.max(0, i - 1)).find((e) => e.hash === entry.previousHash);
      if (chainedTo) return problem('entry-inserted', `dossier ${dossierId}: entry ${chainedTo.sequence + 1} was inserted (entry ${entry.sequence} chains to entry ${chainedTo.sequence})`, { dossierId, sequence: chainedTo.sequence + 1 });
      // Intact content over a hash the log no longer holds, possibly renumbered down: entries before it were deleted.
      for (let gap = 0; gap <= 8; gap++) {
        if (safeHash(entry.previousHash, { ...entry, sequence: entry.sequence + gap }) === entry.hash) {
          return problem('entry-deleted', `dossier ${dossierId}: the entr${gap > 1 ? 'ies' : 'y'} before entry ${entry.sequence + gap} (stored as ${entry.sequence}) ${gap > 1 ? 'were' : 'was'} deleted: it chains to a hash the log no longer holds`, { dossierId, sequence: entry.sequence });
        }
      }
      return problem('entry-changed', `dossier ${dossierId}: entry ${entry.sequence} was changed (its previous hash does not match entry ${previous?.sequence ?? 0})`, where);
    }
    if (safeHash(previousHash, entry) !== entry.hash) return problem('entry-changed', `dossier ${dossierId}: entry ${entry.sequence} was changed (its content no longer gives its hash)`, where);
    previous = entry;
  }
  return undefined;
}

/**
 * Verifies the log: the seal chain, each dossier's entry chain (entries in their stored
 * order), and every seal's heads against the entries. Returns ok with counts, or the first
 * problem with a clear reason: seals first, then dossiers in order of first appearance,
 * then what the seals reveal (a rewritten chain, entries deleted from a sealed tail, a
 * dossier deleted whole). With a `scope`, only the entries and sealed heads of its dossiers
 * are checked and counted (the seal chain is always checked whole); entries of other
 * dossiers handed in are ignored.
 */
export function verify(entries: readonly AuditEntry[], seals: readonly AuditSeal[], scope?: AuditScope): AuditVerification {
  const inScope = (dossierId: string): boolean => scope === undefined || scope.has(dossierId);
  let previousSeal: AuditSeal | undefined;
  for (const seal of seals) {
    const expected = (previousSeal?.sequence ?? 0) + 1;
    if (seal.sequence !== expected) return problem('seal-missing', `seal ${expected} is missing (seal ${previousSeal?.sequence ?? 0} is followed by ${seal.sequence})`, { seal: expected });
    if (seal.previousHash !== (previousSeal ? previousSeal.hash : GENESIS_HASH)) return problem('seal-changed', `seal ${seal.sequence} does not chain to seal ${previousSeal?.sequence ?? 0}`, { seal: seal.sequence });
    if (sealHash(seal) !== seal.hash) return problem('seal-changed', `seal ${seal.sequence} was changed (its content no longer gives its hash)`, { seal: seal.sequence });
    previousSeal = seal;
  }
  const byDossier = new Map<string, AuditEntry[]>();
  let checked = 0;
  for (const entry of entries) {
    if (!inScope(entry.dossierId)) continue;
    checked++;
    const list = byDossier.get(entry.dossierId);
    if (list) list.push(entry);
    else byDossier.set(entry.dossierId, [entry]);
  }
  for (const [dossierId, list] of byDossier) {
    const found = verifyDossier(dossierId, list);
    if (found) return found;
  }
  for (const seal of seals) {
    for (const head of seal.heads) {
      if (!inScope(head.dossierId)) continue;
      const list = byDossier.get(head.dossierId);
      if (!list) return problem('dossier-missing', `dossier ${head.dossierId} was sealed with ${head.sequence} entries by seal ${seal.sequence} but has none now: it was deleted`, { dossierId: head.dossierId, seal: seal.sequence });
      const entry = list.find((e) => e.sequence === head.sequence);
      if (!entry) return problem('entry-deleted', `dossier ${head.dossierId}: entry ${head.sequence} was sealed by seal ${seal.sequence} but is missing (the log stops at ${list.at(-1)!.sequence})`, { dossierId: head.dossierId, sequence: head.sequence, seal: seal.sequence });
      if (entry.hash !== head.hash) return problem('chain-rewritten', `dossier ${head.dossierId}: entry ${head.sequence} differs from what seal ${seal.sequence} recorded: the chain was rewritten at or before it`, { dossierId: head.dossierId, sequence: head.sequence, seal: seal.sequence });
    }
  }
  const sealsOfScope = scope === undefined ? seals.length : seals.filter((seal) => seal.heads.some((head) => scope.has(head.dossierId))).length;
  return { ok: true, entries: checked, dossiers: byDossier.size, seals: sealsOfScope };
}
