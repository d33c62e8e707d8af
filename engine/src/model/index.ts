/**
 * The model: BPMN XML in, runnable `ProcessGraph`s (or the list of what is
 * wrong) out. Parse errors (the XML cannot be read) are thrown; model
 * problems (it can be read but not run) are returned, all at once.
 */
import { compileDefinitions, type CompileOptions } from './compile';
import type { ProcessGraph, Problem } from './graph';
import { parseBpmn, type ParseOptions } from './parse';

export { compileDefinitions, selectProcesses } from './compile';
export type { CompileOptions, CompileResult } from './compile';
export { parseBpmn, DEFAULT_MAX_BYTES } from './parse';
export type { ParseOptions, ParsedBpmn } from './parse';
export { problemsFromWarnings } from './parse-warnings';
export * from './graph';

/** Options of {@link loadProcessModels}: those of parsing and of compiling. */
export interface LoadOptions extends ParseOptions, Omit<CompileOptions, 'warnings'> {}

/** The compiled processes of one document, its problems and the parser's warnings. */
export interface LoadedModels {
  graphs: ProcessGraph[];
  problems: Problem[];
  warnings: string[];
}

/**
 * Parses and compiles a BPMN document. Throws `ModelParseError` when the XML
 * cannot be read; otherwise returns the graphs with every problem found (the
 * document is deployable only when `problems` is empty).
 *
 * @example
 * const { graphs, problems } = await loadProcessModels(xml, { knownProcessIds: (id) => deployed.has(id) });
 * if (problems.length > 0) throw new DeploymentRejectedError('the model cannot run', problems);
 */
export async function loadProcessModels(xml: string, options: LoadOptions = {}): Promise<LoadedModels> {
  const maxNestingDepth = options.maxNestingDepth ?? options.limits?.maxNestingDepth;
  const { definitions, warnings } = await parseBpmn(xml, { maxBytes: options.maxBytes, maxNestingDepth });
  const { graphs, problems } = compileDefinitions(definitions, { warnings, knownProcessIds: options.knownProcessIds, limits: options.limits, includeNotExecutable: options.includeNotExecutable });
  return { graphs, problems, warnings };
}
