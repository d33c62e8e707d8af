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
 * ## In bounded memory
 * The checks run over a stream ({@link LogVerifier}): the seals one at a time, then the log
 * dossier by dossier in dossier-id order, each dossier's entries then the heads the seals
 * recorded for it. It holds one dossier at a time, so a log of a hundred million entries is
 * verified as it is read (the audit store reads it so, in batches); `verify` hands it a log
 * held in memory, in the same order. The first problem is the seal chain's, else the first
 * dossier's (by id) with one: its chain, then what the seals recorded of it.
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
  return chainEntry(head, content).entry;
}

/** An entry as appended, with the canonical text of its data that its hash covers (what the store writes). */
export interface ChainedEntry {
  entry: AuditEntry;
  dataText: string;
}

/** {@link appendEntry}, also giving the canonical text of the data, written once: the hash covers it and the store writes it. */
export function chainEntry(head: ChainHeadOf | undefined, content: Omit<AuditEntryContent, 'sequence'>): ChainedEntry {
  if (head && head.dossierId !== content.dossierId) throw new Error(`audit entry of dossier ${content.dossierId} cannot follow the head of dossier ${head.dossierId}`);
  const sequence = head ? head.sequence + 1 : 1;
  const previousHash = head ? head.hash : GENESIS_HASH;
  // Written field by field, not spread: a spread of contents of several shapes cost as much as the hash in a profile.
  const { dossierId, at, actor, type, data } = content;
  const full: AuditEntryContent = { dossierId, sequence, at, actor, type, data };
  const dataText = canonicalJson(data ?? null);
  const hash = sha256(`${previousHash}\n${entryText(full, data === undefined ? undefined : dataText)}`);
  return { entry: { dossierId, sequence, at, actor, type, data: data ?? null, previousHash, hash }, dataText };
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

/** A head as a seal recorded it, with that seal's sequence. */
export interface RecordedHead {
  seal: number;
  head: SealedHead;
}

/** Checks the heads the seals recorded for a dossier (in seal order) against its entries; the first problem, or undefined. */
function verifySealedHeads(dossierId: string, entries: readonly AuditEntry[], heads: readonly RecordedHead[]): AuditVerification | undefined {
  for (const { seal, head } of heads) {
    if (entries.length === 0) return problem('dossier-missing', `dossier ${dossierId} was sealed with ${head.sequence} entries by seal ${seal} but has none now: it was deleted`, { dossierId, seal });
    const entry = entries.find((e) => e.sequence === head.sequence);
    if (!entry) return problem('entry-deleted', `dossier ${dossierId}: entry ${head.sequence} was sealed by seal ${seal} but is missing (the log stops at ${entries.at(-1)!.sequence})`, { dossierId, sequence: head.sequence, seal });
    if (entry.hash !== head.hash) return problem('chain-rewritten', `dossier ${dossierId}: entry ${head.sequence} differs from what seal ${seal} recorded: the chain was rewritten at or before it`, { dossierId, sequence: head.sequence, seal });
  }
  return undefined;
}

/**
 * Verification as a stream, in bounded memory: the one implementation of the checks, behind
 * {@link verify} and behind the audit store's reading (AuditTrail.verify). It is handed
 * 1. every seal, one at a time by sequence, each with whether it counts (records a dossier of
 *    the scope): the seal chain is checked as they come;
 * 2. then the log dossier by dossier, each dossier's rows together, in dossier-id order: its
 *    entries in stored order, then the heads the seals recorded for it, in seal order. A
 *    dossier is checked when the next one starts (or at `end`): its chain, then its sealed
 *    heads; a sealed dossier without entries is missing.
 * It holds one dossier's rows at a time. Each call answers the first problem met (the same one
 * again on every later call), or undefined; `end` the outcome.
 */
export class LogVerifier {
  private previousSeal: SealLink | undefined;
  private counts = { entries: 0, dossiers: 0, seals: 0 };
  private dossier: { id: string; entries: AuditEntry[]; heads: RecordedHead[] } | undefined;
  private found: AuditVerification | undefined;
  private readingDossiers = false;

  /** The next seal of the chain (by sequence), before any dossier. */
  seal(seal: AuditSeal, counts = true): AuditVerification | undefined {
    if (this.found) return this.found;
    if (this.readingDossiers) throw new Error('audit verification: a seal handed in after the dossiers');
    const previous = this.previousSeal;
    const expected = (previous?.sequence ?? 0) + 1;
    if (seal.sequence !== expected) return (this.found = problem('seal-missing', `seal ${expected} is missing (seal ${previous?.sequence ?? 0} is followed by ${seal.sequence})`, { seal: expected }));
    if (seal.previousHash !== (previous ? previous.hash : GENESIS_HASH)) return (this.found = problem('seal-changed', `seal ${seal.sequence} does not chain to seal ${previous?.sequence ?? 0}`, { seal: seal.sequence }));
    if (sealHash(seal) !== seal.hash) return (this.found = problem('seal-changed', `seal ${seal.sequence} was changed (its content no longer gives its hash)`, { seal: seal.sequence }));
    // Only its link is kept: the next seal chains to its sequence and hash.
    this.previousSeal = { sequence: seal.sequence, hash: seal.hash };
    if (counts) this.counts.seals++;
    return undefined;
  }

  /** The next entry: of the dossier being read (after its entries so far), or the first of the next dossier. */
  entry(entry: AuditEntry): AuditVerification | undefined {
    const dossier = this.dossierOf(entry.dossierId);
    if (!dossier) return this.found;
    if (dossier.heads.length > 0) throw new Error(`audit verification: an entry of dossier ${entry.dossierId} handed in after its sealed heads`);
    dossier.entries.push(entry);
    this.counts.entries++;
    return undefined;
  }

  /** The next head a seal recorded: of the dossier being read (after its entries), or of the next dossier. */
  head(seal: number, head: SealedHead): AuditVerification | undefined {
    const dossier = this.dossierOf(head.dossierId);
    if (!dossier) return this.found;
    dossier.heads.push({ seal, head });
    return undefined;
  }

  /** After the last row: checks the last dossier; ok with the counts, or the first problem. */
  end(): AuditVerification {
    if (!this.found) this.found = this.checkDossier();
    return this.found ?? { ok: true, ...this.counts };
  }

  /** The dossier a row belongs to, after checking the one before when it starts; undefined once a problem is found. */
  private dossierOf(dossierId: string): { id: string; entries: AuditEntry[]; heads: RecordedHead[] } | undefined {
    if (this.found) return undefined;
    this.readingDossiers = true;
    if (this.dossier?.id === dossierId) return this.dossier;
    this.found = this.checkDossier();
    if (this.found) return undefined;
    this.dossier = { id: dossierId, entries: [], heads: [] };
    return this.dossier;
  }

  private checkDossier(): AuditVerification | undefined {
    const dossier = this.dossier;
    this.dossier = undefined;
    if (!dossier) return undefined;
    if (dossier.entries.length > 0) this.counts.dossiers++;
    return verifyDossier(dossier.id, dossier.entries) ?? verifySealedHeads(dossier.id, dossier.entries, dossier.heads);
  }
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Verifies the log held in memory: the seal chain, each dossier's entry chain (entries in
 * their stored order), and every seal's heads against the entries. Returns ok with counts, or
 * the first problem with a clear reason, in {@link LogVerifier}'s order: seals first, then
 * dossier by dossier in id order, each its chain then what the seals recorded of it (a
 * rewritten chain, entries deleted from a sealed tail, a dossier deleted whole). With a
 * `scope`, only the entries and sealed heads of its dossiers are checked and counted (the
 * seal chain is always checked whole); entries of other dossiers handed in are ignored.
 */
export function verify(entries: readonly AuditEntry[], seals: readonly AuditSeal[], scope?: AuditScope): AuditVerification {
  const inScope = (dossierId: string): boolean => scope === undefined || scope.has(dossierId);
  const verifier = new LogVerifier();
  for (const seal of seals) {
    const found = verifier.seal(seal, scope === undefined || seal.heads.some((head) => scope.has(head.dossierId)));
    if (found) return found;
  }
  // The rows of each dossier of the scope, handed in dossier by dossier as the store reads them.
  const byDossier = new Map<string, { entries: AuditEntry[]; heads: RecordedHead[] }>();
  const rowsOf = (dossierId: string) => {
    let rows = byDossier.get(dossierId);
    if (!rows) byDossier.set(dossierId, (rows = { entries: [], heads: [] }));
    return rows;
  };
  for (const entry of entries) if (inScope(entry.dossierId)) rowsOf(entry.dossierId).entries.push(entry);
  for (const seal of seals) for (const head of seal.heads) if (inScope(head.dossierId)) rowsOf(head.dossierId).heads.push({ seal: seal.sequence, head });
  for (const dossierId of [...byDossier.keys()].sort(byText)) {
    const rows = byDossier.get(dossierId)!;
    for (const entry of rows.entries) verifier.entry(entry);
    for (const { seal, head } of rows.heads) verifier.head(seal, head);
  }
  return verifier.end();
}
