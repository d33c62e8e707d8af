/**
 * `motcua lint <file|folder>`: the domain lint (onestop/src/procedures/lint) over BPMN
 * files, with no database and no server: what the web modeler shows live, and a superset
 * of what the deploy refuses. A `to-be.bpmn` with a `procedure.json` beside it (a
 * procedure folder of processes/) is linted against that procedure's facts.
 *
 * Output: per file `path: N error(s), M warning(s)`, then one line per finding
 * (`  error motcua/step-shares pool: …`). Exit code 1 when a file has an error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { lintBpmn, type LintBpmnOptions } from '../../onestop/src/procedures/lint-bpmn';

/** Lints `files`, logging what it finds; returns how many files have an error. */
export async function lintFiles(files: readonly string[], root: string, log: (line: string) => void): Promise<number> {
  let failed = 0;
  for (const file of files) {
    const options: LintBpmnOptions = {};
    const procedureFile = join(dirname(file), 'procedure.json');
    if (basename(file) === 'to-be.bpmn' && existsSync(procedureFile)) {
      try {
        options.procedure = JSON.parse(readFileSync(procedureFile, 'utf8'));
      } catch (error) {
        throw new Error(`${relative(root, procedureFile) || procedureFile} is not valid JSON: ${(error as Error).message}`);
      }
    }
    const { findings, errors, warnings } = await lintBpmn(readFileSync(file, 'utf8'), options);
    log(`${relative(root, file) || file}: ${errors} error(s), ${warnings} warning(s)`);
    for (const finding of findings) log(`  ${finding.severity} ${finding.rule} ${finding.elementId || '(document)'}: ${finding.message}`);
    if (errors > 0) failed += 1;
  }
  return failed;
}
