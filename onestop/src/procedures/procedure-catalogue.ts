/**
 * The procedure catalogue's use cases over the dossier store: read it, put a procedure in it
 * (validated, versioned), load the library of processes/. Authorization is the caller's: `check`
 * sees the entry before and after, inside the transaction, and may refuse.
 */
import { createHash } from 'node:crypto';
import { type EngineStore, InvalidInputError, NotFoundError } from '../../../engine/src/index';
import type { DossierStore } from '../dossiers/dossier-store';
import { validateEffectiveDates, validateProcedure, type ProcedureDocument, type ProcedureRecord } from './procedure';

export class ProcedureCatalogue {
  /**
   * The entries receipts read, as last read, by code (bounded, oldest out): a receipt decides on
   * the remembered entry without reading it and checks, in its own transaction, that the stored
   * entry still has that version (DossierService.receive); only receipts see these objects.
   */
  private readonly forReceipts = new Map<string, ProcedureRecord>();

  constructor(private readonly options: { store: EngineStore; dossiers: Pick<DossierStore, 'procedure' | 'procedures' | 'saveProcedure'>; now: () => number }) {}

  /** The entry a receipt last read of `code`, if remembered (its version is to be checked where it is used). */
  rememberedForReceipt(code: string): ProcedureRecord | undefined {
    return this.forReceipts.get(code);
  }

  /** One entry read for a receipt, remembered for the next ones; NotFoundError when unknown. */
  async procedureForReceipt(code: string): Promise<ProcedureRecord> {
    this.forReceipts.delete(code);
    const found = await this.procedure(code);
    this.forReceipts.set(code, found);
    if (this.forReceipts.size > 1_000) this.forReceipts.delete(this.forReceipts.keys().next().value as string);
    return found;
  }

  /** Forgets the remembered entry of `code` (it changed, or may have). */
  forgetForReceipt(code: string): void {
    this.forReceipts.delete(code);
  }

  /** The catalogue, or one agency's part of it. */
  procedures(filter: { agency?: string } = {}): Promise<ProcedureRecord[]> {
    return this.options.store.transaction((tx) => this.options.dossiers.procedures(tx.sql, filter));
  }

  /** One catalogue entry; NotFoundError when unknown. */
  async procedure(code: string): Promise<ProcedureRecord> {
    const found = await this.options.store.transaction((tx) => this.options.dossiers.procedure(tx.sql, code));
    if (!found) throw new NotFoundError(`no procedure '${code}' in the catalogue`, { field: 'params.code' });
    return found;
  }

  /**
   * Puts a procedure document in the catalogue (validated against processes/procedure.schema.json);
   * a change of an existing one is a new version (the same content again changes nothing).
   */
  async save(
    code: string,
    input: { document: unknown; effectiveFrom?: unknown; effectiveTo?: unknown },
    actor: string | undefined,
    check?: (before: ProcedureRecord | undefined, after: ProcedureDocument) => void,
  ): Promise<ProcedureRecord> {
    const document = withoutEditorHints(validateProcedure(input.document, `procedure ${code}`));
    if (document.code !== code) throw new InvalidInputError(`the document's code '${document.code}' is not '${code}'`, { field: 'body.code' });
    const dates = validateEffectiveDates(input.effectiveFrom, input.effectiveTo);
    this.forgetForReceipt(code);
    return this.options.store.transaction(async (tx) => {
      const before = await this.options.dossiers.procedure(tx.sql, code);
      check?.(before, document);
      if (before && canonicalJson(before.document) === canonicalJson(document) && before.effectiveFrom === dates.effectiveFrom && before.effectiveTo === dates.effectiveTo) return before;
      // The digest of the library file last loaded travels with every version (an admin's too).
      const record: ProcedureRecord = {
        code,
        document,
        ...dates,
        version: (before?.version ?? 0) + 1,
        updatedAt: this.options.now(),
        ...(actor ? { updatedBy: actor } : {}),
        ...(before?.librarySource ? { librarySource: before.librarySource } : {}),
      };
      await this.options.dossiers.saveProcedure(tx.sql, record);
      return record;
    });
  }

  /**
   * Loads the procedures of the library (processes/<code>/procedure.json). A file's content is
   * remembered by its digest (`librarySource`), so loading the same files again changes nothing.
   *  - new procedure: version 1;
   *  - file unchanged since it was last loaded: nothing, whatever an admin saved since (the admin's
   *    edit wins until the file itself changes);
   *  - file changed and the catalogue entry is still the library's (no admin saved after the last
   *    load): a new version with the file's content, the dates an admin set kept;
   *  - file changed and an admin saved the entry after the last load: the admin's version is kept
   *    and `warn` says so at every load, until an admin puts the file's content (or its own new
   *    version that then adopts the file) — a restart never overwrites a person's decision.
   */
  async loadLibrary(documents: readonly ProcedureDocument[], actor = 'system', warn: (message: string) => void = () => {}): Promise<ProcedureRecord[]> {
    const loaded: ProcedureRecord[] = [];
    for (const file of documents) {
      const document = withoutEditorHints(file);
      const source = libraryDigest(document);
      this.forgetForReceipt(document.code);
      loaded.push(
        await this.options.store.transaction(async (tx) => {
          const before = await this.options.dossiers.procedure(tx.sql, document.code);
          if (before?.librarySource === source) return before;
          const dates = { ...(before?.effectiveFrom ? { effectiveFrom: before.effectiveFrom } : {}), ...(before?.effectiveTo ? { effectiveTo: before.effectiveTo } : {}) };
          if (before && canonicalJson(before.document) === canonicalJson(document)) {
            // Same content (an admin put the file's text, or a catalogue from before digests): remember the file, no new version.
            const record: ProcedureRecord = { ...before, librarySource: source };
            await this.options.dossiers.saveProcedure(tx.sql, record);
            return record;
          }
          const adminEdited = before !== undefined && before.updatedBy !== actor;
          if (adminEdited) {
            warn(
              `procedure ${document.code}: the library file changed, but v${before.version} saved by ${before.updatedBy ?? 'an unknown actor'} after the last load is kept; ` +
                `compare it with processes/${document.code}/procedure.json and put the version wanted (PUT /api/procedures/${document.code})`,
            );
            return before;
          }
          const record: ProcedureRecord = { code: document.code, document, ...dates, version: (before?.version ?? 0) + 1, updatedAt: this.options.now(), updatedBy: actor, librarySource: source };
          await this.options.dossiers.saveProcedure(tx.sql, record);
          return record;
        }),
      );
    }
    return loaded;
  }
}

/** The document without "$schema" (the library files' hint to editors, not catalogue content). */
function withoutEditorHints(document: ProcedureDocument): ProcedureDocument {
  const { $schema: _hint, ...rest } = document;
  return rest as ProcedureDocument;
}

/** JSON with every object's keys in order: the same document gives the same text whatever stored it (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The digest of a library file's document ("sha256:<hex>"). */
export function libraryDigest(document: ProcedureDocument): string {
  return `sha256:${createHash('sha256').update(canonicalJson(document)).digest('hex')}`;
}
