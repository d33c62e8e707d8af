/**
 * Small, regex-level readings of the raw XML text, for what moddle does not
 * keep: where a dropped element was, its `id`, and which namespace a prefix
 * stands for. Never used to read the model itself.
 */

/** A 1-based position in the XML text. */
export interface XmlPosition {
  line: number;
  column: number;
}

/**
 * Offset of a 0-based (line, column) as saxen reports it; saxen counts `\r\n`,
 * `\r` and `\n` as one line break each.
 */
export function offsetOf(xml: string, line: number, column: number): number {
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let current = 0; current < line; current++) {
    const match = breaks.exec(xml);
    if (!match) return xml.length;
    start = match.index + match[0].length;
  }
  return Math.min(start + column, xml.length);
}

/** 1-based line and column of an offset in the text. */
export function positionOf(xml: string, offset: number): XmlPosition {
  const before = xml.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** The start tag beginning at `offset` (`<bpmn:task id="x" ...>`), or undefined if none starts there. */
export function startTagAt(xml: string, offset: number): string | undefined {
  if (xml[offset] !== '<') return undefined;
  const match = /^<[^\s/>!?]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*\/?>/.exec(xml.slice(offset, offset + 10_000));
  return match?.[0];
}

/** The value of attribute `name` on a start tag, entities left as written. */
export function attributeOf(tag: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`\\s${escaped}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * Namespace URI of every prefix declared anywhere in the document (`''` is the
 * default namespace). A prefix declared twice keeps its first URI: documents
 * that rebind a prefix to another namespace are vanishingly rare, and this is
 * only used to word a problem.
 */
export function declaredNamespaces(xml: string): Map<string, string> {
  const namespaces = new Map<string, string>();
  for (const match of xml.matchAll(/\sxmlns(?::([\w.-]+))?\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const prefix = match[1] ?? '';
    if (!namespaces.has(prefix)) namespaces.set(prefix, match[2] ?? match[3]);
  }
  return namespaces;
}
