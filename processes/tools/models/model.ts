/**
 * What a procedure of the library is made of, for the generator: its as-is and to-be
 * documents and the forms of its to-be's user tasks.
 */
import type { FormSchema } from '../forms';
import type { DocumentSpec } from '../spec';

/** One procedure's models; `code` is its folder under processes/. */
export interface ProcedureModels {
  code: string;
  asIs: DocumentSpec;
  toBe: DocumentSpec;
  forms: Record<string, FormSchema>;
}
