/** The errors of the dossier layer's pure core: data refused at load, a dossier code that cannot be made or read. */

/**
 * The dossier rules (data/dossier-rules.json or an administrator's copy) were refused at
 * load; the message names the file and the field (`dossier-rules.json: /versions/0/supplementRequests/max
 * must be >= 1`), and `details` carries both.
 */
export class DossierRulesError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'DOSSIER_RULES_INVALID';
  readonly details: { file?: string; field?: string };

  constructor(message: string, details: { file?: string; field?: string } = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/**
 * A dossier code could not be formatted or parsed: a bad pattern, an agency identifier
 * not in the Decision 20/2020 format, a sequence wider than the pattern allows, a code
 * that does not match. `details.field` names the culprit.
 */
export class DossierCodeError extends Error {
  /** Stable machine-readable code. */
  readonly code = 'DOSSIER_CODE_INVALID';
  readonly details: { field?: string; value?: unknown };

  constructor(message: string, details: { field?: string; value?: unknown } = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}
