/**
 * Reading BPMN XML into a moddle tree, refusing what must never be read:
 * empty or oversized bodies, DTDs (entity expansion is the classic XML
 * attack, and moddle would leave entities literal anyway), malformed XML and
 * documents whose root is not `bpmn:definitions`.
 */
import type { ParseError } from 'bpmn-moddle';
import { DeploymentRejectedError, ModelParseError } from '../errors';
import { DEFAULT_LIMITS } from '../limits';
import { unstorableReason } from '../runtime/storable-text';
import { bpmnModdle } from './moddle';
import { readModdleWarnings } from './parse-warnings';
import { positionOf } from './xml-source';
import { nestingProblem } from './xml-depth';

/** Options of {@link parseBpmn}. */
export interface ParseOptions {
  /** Largest accepted document, in UTF-8 bytes. Default 5 MB. */
  maxBytes?: number;
  /**
   * Deepest nesting of sub-processes (XML elements of any kind may nest 64 levels
   * more); a deeper document is refused before it is read. Default 32.
   */
  maxNestingDepth?: number;
}

/** The moddle tree of one document and the parser's warnings, as readable lines. */
export interface ParsedBpmn {
  /** The `bpmn:Definitions` root element (a moddle element; read it with the compiler). */
  definitions: unknown;
  /**
   * Everything the lax parser let pass: dropped elements, duplicate ids,
   * unresolved references. Some of them are deploy problems: pass them to
   * `compileDefinitions` (see `problemsFromWarnings`).
   */
  warnings: string[];
}

/** Default for {@link ParseOptions.maxBytes}: 5 MB. */
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/**
 * Parses BPMN 2.0 XML (with Zeebe and motcua extensions) into a moddle tree.
 *
 * Throws `ModelParseError` when the document cannot be read at all; its
 * `details` hold `line` and `column` (1-based) when the parser knows them.
 * Throws `DeploymentRejectedError` naming the element when the document nests
 * deeper than `maxNestingDepth` allows (checked before parsing, without recursion).
 * Everything else (unsupported elements, missing attributes...) is left to
 * the compiler, which reports all problems at once.
 *
 * @example
 * const { definitions, warnings } = await parseBpmn(xml);
 * const { graphs, problems } = compileDefinitions(definitions, { warnings });
 */
export async function parseBpmn(xml: string, options: ParseOptions = {}): Promise<ParsedBpmn> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof xml !== 'string' || xml.trim() === '') {
    throw new ModelParseError('the BPMN document is empty');
  }
  const bytes = Buffer.byteLength(xml, 'utf8');
  if (bytes > maxBytes) {
    throw new ModelParseError(
      `the BPMN document is ${bytes} bytes, more than the limit of ${maxBytes} bytes`,
      { bytes, maxBytes },
    );
  }
  const doctype = /<!DOCTYPE/i.exec(xml);
  if (doctype) {
    const position = positionOf(xml, doctype.index);
    throw new ModelParseError(
      `document type declarations (<!DOCTYPE ...>) are not accepted, at line ${position.line}, column ${position.column}: ` +
        'BPMN needs none, and entities are never expanded',
      { ...position },
    );
  }
  const unstorable = unstorableXml(xml);
  if (unstorable) {
    const position = positionOf(xml, unstorable.index);
    throw new ModelParseError(`the BPMN document ${unstorable.reason}, at line ${position.line}, column ${position.column}`, { ...position });
  }
  // A byte order mark is not an XML fault, but saxen would see "text outside the root".
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  const tooDeep = nestingProblem(text, options.maxNestingDepth ?? DEFAULT_LIMITS.maxNestingDepth);
  if (tooDeep) throw new DeploymentRejectedError('the BPMN document nests too deep', [tooDeep]);

  let result;
  try {
    result = await bpmnModdle().fromXML(text, 'bpmn:Definitions');
  } catch (error) {
    throw fromModdleError(text, error as ParseError);
  }
  const { warnings, malformed } = readModdleWarnings(text, result.warnings);
  if (malformed) {
    throw new ModelParseError(malformed.message, { line: malformed.line, column: malformed.column });
  }
  return { definitions: result.rootElement, warnings };
}

/** A character reference to U+0000 or to a surrogate: XML 1.0 forbids both, and PostgreSQL cannot store them. */
const BAD_CHAR_REF = /&#(?:x0*([0-9a-fA-F]{1,6})|0*(\d{1,7}));/g;

/** Text of the document that could not be stored once decoded (raw, or as a character reference). */
function unstorableXml(xml: string): { index: number; reason: string } | undefined {
  const reason = unstorableReason(xml);
  if (reason) return { index: Number(/position (\d+)/.exec(reason)?.[1] ?? 0), reason };
  for (const match of xml.matchAll(BAD_CHAR_REF)) {
    const code = match[1] !== undefined ? Number.parseInt(match[1], 16) : Number(match[2] ?? '0');
    if (code === 0 || (code >= 0xd800 && code <= 0xdfff)) {
      return { index: match.index ?? 0, reason: `refers to the character U+${code.toString(16).toUpperCase().padStart(4, '0')} (${match[0]}), which XML does not allow` };
    }
  }
  return undefined;
}

const POSITION = /\n\tline: (\d+)\n\tcolumn: (\d+)\n\tnested error: ([\s\S]*)$/;

function fromModdleError(xml: string, error: ParseError): ModelParseError {
  const message = error?.message ?? String(error);
  if (/^failed to parse document as/.test(message)) {
    const root = (error.warnings ?? []).map((w) => /unexpected element <([^>]+)>/.exec(w.message)?.[1]).find(Boolean);
    const rootTag = root ?? /<([A-Za-z_][\w.-]*(?::[\w.-]+)?)/.exec(xml.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, ''))?.[1];
    return new ModelParseError(
      `not a BPMN 2.0 document: the root element is <${rootTag ?? '?'}>, expected <definitions> ` +
        `in the namespace http://www.omg.org/spec/BPMN/20100524/MODEL`,
      { rootElement: rootTag },
    );
  }
  const position = POSITION.exec(message);
  if (position) {
    const line = Number(position[1]) + 1;
    const column = Number(position[2]) + 1;
    return new ModelParseError(`malformed XML at line ${line}, column ${column}: ${position[3]}`, { line, column });
  }
  return new ModelParseError(`malformed XML: ${message}`);
}
