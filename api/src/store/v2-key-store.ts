/**
 * The port of the Camunda REST facade's numeric keys (`/v2`, migration 0023): one decimal
 * number per (kind, motcua id), given on first sight and never changed.
 */

/** What a key names: Camunda keys are typed by the thing they name. */
export type V2KeyKind = 'instance' | 'definition' | 'deployment' | 'task' | 'incident' | 'form' | 'message' | 'signal' | 'element';

export interface V2KeyStore {
  /** The key of each id (given now when it has none), in the order of `ids`; keys are decimal strings. */
  keysOf(kind: V2KeyKind, ids: readonly string[]): Promise<string[]>;
  /** The id a key names, if it names one of that kind. */
  idOf(kind: V2KeyKind, key: string): Promise<string | undefined>;
}
