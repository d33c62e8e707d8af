/**
 * The modeler drafts port: BPMN documents an analyst is still drawing, kept per user
 * on the server (the web modeler saves and reopens them; the engine never reads them).
 *
 * ## Contract
 * - A draft belongs to its owner: every method takes the owner id, and another
 *   user's draft is as absent as a missing one.
 * - `save` creates or replaces a draft in one statement; it refuses a new draft
 *   (returns `{ saved: false }`) when the owner already keeps `maxDrafts`.
 * - Records are plain objects; times are epoch milliseconds.
 */

/** A draft without its XML, as a list shows it. */
export interface DraftSummary {
  id: string;
  name?: string;
  processId?: string;
  createdAt: number;
  updatedAt: number;
}

/** A draft with its BPMN XML. */
export interface DraftRecord extends DraftSummary {
  xml: string;
}

/** What `save` writes. */
export interface DraftInput {
  id: string;
  name?: string;
  processId?: string;
  xml: string;
}

/** The drafts port (see the module's contract). */
export interface DraftStore {
  /** The owner's drafts, most recently saved first. */
  list(ownerId: string): Promise<DraftSummary[]>;
  get(ownerId: string, id: string): Promise<DraftRecord | undefined>;
  /** Creates or replaces; `saved: false` when a new draft would exceed `maxDrafts`. */
  save(ownerId: string, draft: DraftInput, now: number, maxDrafts: number): Promise<{ saved: true; draft: DraftSummary } | { saved: false }>;
  /** True when a draft was deleted. */
  delete(ownerId: string, id: string): Promise<boolean>;
}
