/**
 * The procedure catalogue's use cases over the dossier store: read it, put a procedure in it
 * (validated, versioned), load the library of processes/. Authorization is the caller's: `check`
 * sees the entry before and after, inside the transaction, and may refuse.
 */
import { type EngineStore, InvalidInputError, NotFoundError } from '../../../engine/src/index';
import type { DossierStore } from '../dossiers/dossier-store';
import { validateEffectiveDates, validateProcedure, type ProcedureDocument, type ProcedureRecord } from './procedure';

export class ProcedureCatalogue {
  constructor(private readonly options: { store: EngineStore; dossiers: Pick<DossierStore, 'procedure' | 'procedures' | 'saveProcedure'>; now: () => number }) {}

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
    const document = validateProcedure(input.document, `procedure ${code}`);
    if (document.code !== code) throw new InvalidInputError(`the document's code '${document.code}' is not '${code}'`, { field: 'body.code' });
    const dates = validateEffectiveDates(input.effectiveFrom, input.effectiveTo);
    return this.options.store.transaction(async (tx) => {
      const before = await this.options.dossiers.procedure(tx.sql, code);
      check?.(before, document);
      if (before && JSON.stringify(before.document) === JSON.stringify(document) && before.effectiveFrom === dates.effectiveFrom && before.effectiveTo === dates.effectiveTo) return before;
      const record: ProcedureRecord = { code, document, ...dates, version: (before?.version ?? 0) + 1, updatedAt: this.options.now(), ...(actor ? { updatedBy: actor } : {}) };
      await this.options.dossiers.saveProcedure(tx.sql, record);
      return record;
    });
  }

  /** Loads the procedures of the library (processes/): new and changed ones become a new version; the dates an admin set are kept. */
  async loadLibrary(documents: readonly ProcedureDocument[], actor = 'system'): Promise<ProcedureRecord[]> {
    const saved: ProcedureRecord[] = [];
    for (const document of documents) {
      const existing = await this.options.store.transaction((tx) => this.options.dossiers.procedure(tx.sql, document.code));
      saved.push(await this.save(document.code, { document, effectiveFrom: existing?.effectiveFrom, effectiveTo: existing?.effectiveTo }, actor));
    }
    return saved;
  }
}
