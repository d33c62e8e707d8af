/**
 * Regenerates the library's BPMN files and forms from processes/tools/models/:
 * `processes/<code>/as-is.bpmn`, `to-be.bpmn` and `forms/<formKey>.schema.json`.
 *
 *   npx tsc -p processes/tools && node dist/processes/tools/build.js [processes folder]
 *
 * Why generated: the diagram layout is computed (layout.ts), so a change to a model is a
 * change of a few lines, and test/unit/processes/library.test.ts checks that the committed
 * files are what the models give.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LIBRARY } from './library';
import type { ProcedureModels } from './models/model';
import { writeBpmn } from './write-bpmn';

/** The files of one procedure: path relative to its folder → content. */
export function procedureFiles(procedure: ProcedureModels): Map<string, string> {
  const files = new Map<string, string>();
  files.set('as-is.bpmn', writeBpmn(procedure.asIs));
  files.set('to-be.bpmn', writeBpmn(procedure.toBe));
  for (const [formKey, schema] of Object.entries(procedure.forms)) {
    files.set(`forms/${formKey}.schema.json`, `${JSON.stringify(schema, null, 2)}\n`);
  }
  return files;
}

/** Writes every procedure's files under `root` (forms/ is rewritten whole). */
export function buildLibrary(root: string): string[] {
  const written: string[] = [];
  for (const procedure of LIBRARY) {
    const folder = join(root, procedure.code);
    rmSync(join(folder, 'forms'), { recursive: true, force: true });
    mkdirSync(join(folder, 'forms'), { recursive: true });
    for (const [path, content] of procedureFiles(procedure)) {
      writeFileSync(join(folder, path), content);
      written.push(join(procedure.code, path));
    }
  }
  return written;
}

if (require.main === module) {
  const root = resolve(process.argv[2] ?? join(__dirname, '../../../processes'));
  const written = buildLibrary(root);
  console.log(`wrote ${written.length} files under ${root}`);
}
