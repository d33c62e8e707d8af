/**
 * Reads an XML document back into a small tree, with saxen (the SAX parser bpmn-moddle
 * uses), for tests that check what an export wrote. Throws on any parse error or warning.
 */

/** An element: its name, attributes (entities decoded) and child elements. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
}

interface SaxParser {
  on(event: 'openTag', handler: (name: string, attrs: () => Record<string, string>, decode: (text: string) => string) => void): void;
  on(event: 'closeTag', handler: (name: string) => void): void;
  on(event: 'error' | 'warn', handler: (error: Error) => void): void;
  parse(xml: string): void;
}

// saxen ships no type declarations; jest transforms it (an ESM-only package).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Parser } = require('saxen') as { Parser: new () => SaxParser };

/** The root element of `xml`. */
export function parseXml(xml: string): XmlElement {
  const parser = new Parser();
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  // saxen reports a self-closing element as an open and a close tag; attribute values come encoded.
  parser.on('openTag', (name, attrs, decode) => {
    const element: XmlElement = { name, attrs: Object.fromEntries(Object.entries(attrs()).map(([k, v]) => [k, decode(v)])), children: [] };
    stack[stack.length - 1].children.push(element);
    stack.push(element);
  });
  parser.on('closeTag', (name) => {
    const open = stack.pop();
    if (!open || open.name !== name) throw new Error(`XML: </${name}> closes <${open?.name}>`);
  });
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('warn', (warning) => {
    throw warning;
  });
  parser.parse(xml);
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('XML: not one well-formed root element');
  return root.children[0];
}

/** The children of `element` named `name`. */
export const childrenNamed = (element: XmlElement, name: string): XmlElement[] => element.children.filter((c) => c.name === name);

/** The `value` of the attribute element (`<string key=…>`, `<date key=…>`) with this key, among `element`'s children. */
export const xesValue = (element: XmlElement, key: string): string | undefined => element.children.find((c) => c.attrs.key === key)?.attrs.value;
