/**
 * What bpmn-moddle's lax reader reports as "warnings", sorted by consequence.
 *
 * moddle never fails on a misspelt or misplaced element: it drops the element
 * (and everything inside it) and adds a warning. For an engine that is not
 * harmless, so every warning is turned into a readable line here and the
 * lines about dropped executable elements (BPMN, Zeebe, motcua namespaces) or
 * duplicate ids are turned back into deploy problems by {@link problemsFromWarnings}.
 * XML-level faults that saxen only warns about (broken attributes, text
 * outside the root) are malformed XML: {@link readModdleWarnings} returns them
 * as `malformed` so that parsing fails.
 */
import type { ParseWarning } from 'bpmn-moddle';
import type { Problem } from './graph';
import { EXECUTABLE_NAMESPACES, BPMN_URI, MOTCUA_URI, ZEEBE_URI } from './moddle';
import { attributeOf, declaredNamespaces, offsetOf, startTagAt } from './xml-source';

/** The warnings of one parse: readable lines, plus the first XML-level fault if any. */
export interface ReadWarnings {
  warnings: string[];
  malformed?: { message: string; line?: number; column?: number };
}

/** Saxen's own warnings: each means the XML is not well-formed. */
const XML_FAULTS = [
  /^missing namespace for prefix/,
  /^illegal first char attribute name/,
  /^missing attribute value/,
  /^illegal attribute name char/,
  /^illegal declaration of xmlns/,
  /^attribute value quote missmatch/,
  /^missing closing quotes/,
  /^illegal character after attribute end/,
  /^attribute <.*> already defined/,
  /^non-whitespace outside of root node/,
];

const UNPARSABLE = /^unparsable content ([\s\S]*?) ?detected\n\tline: (\d+)\n\tcolumn: (\d+)\n\tnested error: ([\s\S]*)$/;

const NAMESPACE_LABELS: Record<string, string> = {
  [BPMN_URI]: 'BPMN',
  [ZEEBE_URI]: 'Zeebe',
  [MOTCUA_URI]: 'motcua',
};

const DROPPED = /^(BPMN|Zeebe|motcua) element <([^>\s]+)>(?: \(id '([^']*)'\))? at line (\d+), column (\d+) was dropped: ([\s\S]*)$/;
const DUPLICATE = /^duplicate id '([^']*)' on <([^>\s]+)> at line (\d+), column (\d+): ([\s\S]*)$/;
const UNRESOLVED = /^(\S+) '([^']*)' refers to unknown id '([^']*)' in (\S+)$/;

/**
 * Turns moddle's warnings into readable lines (1-based line and column), and
 * picks out the first XML-level fault.
 */
export function readModdleWarnings(xml: string, moddleWarnings: ParseWarning[]): ReadWarnings {
  const result: ReadWarnings = { warnings: [] };
  let namespaces: Map<string, string> | undefined;
  for (const warning of moddleWarnings) {
    if (warning.element && warning.property && warning.value !== undefined) {
      result.warnings.push(
        `${warning.element.$type} '${warning.element.id ?? '?'}' refers to unknown id '${warning.value}' in ${warning.property}`,
      );
      continue;
    }
    const match = UNPARSABLE.exec(warning.message);
    if (!match) {
      result.warnings.push(warning.message);
      continue;
    }
    const [, data, line0, column0, nested] = match;
    const line = Number(line0) + 1;
    const column = Number(column0) + 1;
    if (XML_FAULTS.some((fault) => fault.test(nested))) {
      result.malformed ??= { message: `malformed XML at line ${line}, column ${column}: ${nested}`, line, column };
      continue;
    }
    const tag = startTagAt(xml, offsetOf(xml, Number(line0), Number(column0)));
    if (!tag) {
      result.warnings.push(`line ${line}, column ${column}: ${nested} (content ${JSON.stringify(data.slice(0, 80))} ignored)`);
      continue;
    }
    const name = /^<([^\s/>]+)/.exec(tag)![1];
    const id = attributeOf(tag, 'id');
    const duplicate = /^duplicate ID <(.*)>$/.exec(nested);
    if (duplicate) {
      result.warnings.push(
        `duplicate id '${duplicate[1]}' on <${name}> at line ${line}, column ${column}: ` +
          'another element already has this id, so the parser dropped this one',
      );
      continue;
    }
    namespaces ??= declaredNamespaces(xml);
    const prefix = name.includes(':') ? name.slice(0, name.indexOf(':')) : '';
    const uri = namespaces.get(prefix) ?? '';
    const label = EXECUTABLE_NAMESPACES.has(uri) ? NAMESPACE_LABELS[uri] : 'non-executable';
    result.warnings.push(
      `${label} element <${name}>${id === undefined ? '' : ` (id '${id}')`} at line ${line}, column ${column} was dropped: ${explain(nested)}`,
    );
  }
  return result;
}

function explain(nested: string): string {
  const unknown = /^unknown type <(.*)>$/.exec(nested);
  if (unknown) return `${unknown[1]} is not an element of its namespace`;
  const unrecognized = /^unrecognized element <(.*)>$/.exec(nested);
  if (unrecognized) return `<${unrecognized[1]}> is not allowed inside its parent element`;
  const illegal = /^illegal ID <(.*)>$/.exec(nested);
  if (illegal) return `'${illegal[1]}' is not a valid id (an XML name: a letter or '_' first, then letters, digits, '_', '-', '.')`;
  return nested;
}

/**
 * The deploy problems among the warning lines of {@link readModdleWarnings}:
 * dropped BPMN/Zeebe/motcua elements and duplicate ids. The problem names the
 * element's id when the tag had one, else its line.
 */
export function problemsFromWarnings(warnings: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  for (const warning of warnings) {
    const dropped = DROPPED.exec(warning);
    if (dropped) {
      const [, , name, id, line, column, why] = dropped;
      problems.push({
        elementId: id ?? `line ${line}`,
        reason: `<${name}> at line ${line}, column ${column} was dropped by the parser, so it cannot run: ${why}`,
      });
      continue;
    }
    const duplicate = DUPLICATE.exec(warning);
    if (duplicate) {
      const [, id, name, line, column] = duplicate;
      problems.push({
        elementId: id,
        reason: `duplicate id '${id}': <${name}> at line ${line}, column ${column} has the id of an earlier element (ids must be unique in the document)`,
      });
    }
  }
  return problems;
}

/** An unresolved reference read back from a warning line: which element pointed where. */
export interface UnresolvedReference {
  elementType: string;
  elementId: string;
  /** The qualified property, e.g. `bpmn:sourceRef`. */
  property: string;
  reference: string;
}

/** The unresolved references among the warning lines, to word problems about missing elements. */
export function unresolvedReferences(warnings: readonly string[]): UnresolvedReference[] {
  const references: UnresolvedReference[] = [];
  for (const warning of warnings) {
    const match = UNRESOLVED.exec(warning);
    if (match) references.push({ elementType: match[1], elementId: match[2], reference: match[3], property: match[4] });
  }
  return references;
}
