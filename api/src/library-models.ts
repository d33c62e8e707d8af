/**
 * The models of the procedure library (`processes/<code>/as-is.bpmn`, `to-be.bpmn`) read
 * by procedure code, for the comparison (CLI and API). The code is checked before it
 * becomes a path, so no request can read outside the library folder.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidInputError, NotFoundError } from '../../engine/src/index';

/** The two models a library procedure has. */
export type LibraryModel = 'as-is' | 'to-be';

/** What a procedure code looks like (a folder name of the library). */
export const PROCEDURE_CODE = /^[a-z0-9][a-z0-9-]{0,99}$/;

/** True when `code` could name a library procedure. */
export function isProcedureCode(code: string): boolean {
  return PROCEDURE_CODE.test(code);
}

/**
 * Reads one model of a library procedure. Throws `InvalidInputError` for a code that
 * is not a folder name, `NotFoundError` when the library has no such model.
 */
export async function readLibraryModel(processesDir: string, code: string, model: LibraryModel, field = 'procedure'): Promise<string> {
  if (!isProcedureCode(code)) throw new InvalidInputError(`'${code}' is not a procedure code (lowercase letters, digits and -)`, { field });
  if (model !== 'as-is' && model !== 'to-be') throw new InvalidInputError(`'${String(model)}' is not a model of a procedure: as-is or to-be`, { field });
  try {
    return await readFile(join(processesDir, code, `${model}.bpmn`), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new NotFoundError(`the procedure library has no ${model} model of '${code}'`, { field });
    }
    throw error;
  }
}
