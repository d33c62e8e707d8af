/**
 * `motcua compare`: the figures of two models side by side, in the terminal.
 *
 *   motcua compare <before.bpmn> <after.bpmn> [--format table|json|csv] [--lang vi|en]
 *   motcua compare <procedure code>          the library's as-is against its to-be
 *
 * A procedure code names a folder of the library (MOTCUA_PROCESSES_DIR, `processes/`).
 * Exit codes: 0 done, 1 a model cannot be read (message on stderr), 2 usage error.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { MotcuaError } from '../../engine/src/index';
import { compareBpmn, formatCsv, formatTable, type ComparedDocument } from '../../onestop/src/procedures/compare';
import { isProcedureCode, readLibraryModel } from './library-models';

export const COMPARE_USAGE = `usage: motcua compare <before.bpmn> <after.bpmn> [--format table|json|csv] [--lang vi|en]
       motcua compare <procedure code> [--format …] [--lang …]   (the library's as-is against its to-be)`;

/** What `runCompareCommand` works with. */
export interface CompareCommandContext {
  /** The procedure library folder (config `processesDir`). */
  processesDir: string;
  /** Largest model read, in bytes (config `maxXmlBytes`). */
  maxXmlBytes?: number;
  /** Writes the report; default `process.stdout`. */
  write?: (text: string) => void;
  /** Writes a line of error output; default `console.error`. */
  err?: (line: string) => void;
}

const FORMATS = ['table', 'json', 'csv'] as const;

/** Runs `motcua compare …`; returns the exit code. */
export async function runCompareCommand(args: string[], ctx: CompareCommandContext): Promise<number> {
  const write = ctx.write ?? ((text: string) => void process.stdout.write(text));
  const err = ctx.err ?? ((line: string) => console.error(line));
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { format: { type: 'string', default: 'table' }, lang: { type: 'string', default: 'en' } } });
  } catch (error) {
    err(`motcua compare: ${(error as Error).message}\n${COMPARE_USAGE}`);
    return 2;
  }
  const format = parsed.values.format as (typeof FORMATS)[number];
  const lang = parsed.values.lang as 'vi' | 'en';
  if (!FORMATS.includes(format)) return usage(err, `--format must be one of ${FORMATS.join(', ')}, not '${format}'`);
  if (lang !== 'vi' && lang !== 'en') return usage(err, `--lang must be vi or en, not '${lang}'`);
  const positionals = parsed.positionals;
  if (positionals.length !== 1 && positionals.length !== 2) return usage(err, 'give two .bpmn files, or one procedure code');

  let before: ComparedDocument;
  let after: ComparedDocument;
  try {
    if (positionals.length === 1) {
      const code = positionals[0];
      if (!isProcedureCode(code)) return usage(err, `'${code}' is not a procedure code; to compare files give two of them`);
      before = { label: `${code} as-is`, xml: await readLibraryModel(ctx.processesDir, code, 'as-is') };
      after = { label: `${code} to-be`, xml: await readLibraryModel(ctx.processesDir, code, 'to-be') };
    } else {
      before = readModelFile(positionals[0]);
      after = readModelFile(positionals[1]);
    }
    const comparison = await compareBpmn(before, after, { maxBytes: ctx.maxXmlBytes });
    if (format === 'json') write(`${JSON.stringify(comparison, null, 2)}\n`);
    else if (format === 'csv') write(formatCsv(comparison));
    else write(`${formatTable(comparison, lang)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof MotcuaError || error instanceof CompareFileError) {
      err(`motcua compare: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

class CompareFileError extends Error {}

function readModelFile(path: string): ComparedDocument {
  if (!existsSync(path)) throw new CompareFileError(`'${path}' does not exist`);
  if (!statSync(path).isFile()) throw new CompareFileError(`'${path}' is not a file (a procedure code is given alone)`);
  return { label: basename(path), xml: readFileSync(path, 'utf8') };
}

function usage(err: (line: string) => void, message: string): number {
  err(`motcua compare: ${message}\n${COMPARE_USAGE}`);
  return 2;
}
