/**
 * A linear, iterative scan of the XML text for how deep its elements nest,
 * run before the parser: a document nested deeper than the limits is refused
 * with a problem naming the element, so that nothing after it (the parser,
 * the compiler, any walk over the tree) can be made to exhaust the stack or
 * spend seconds on a pathological document.
 *
 * Two depths are watched: sub-processes inside sub-processes (the model's
 * nesting, `maxNestingDepth`) and XML elements of any kind (extension
 * elements, documentation markup, diagram elements), allowed
 * {@link XML_DEPTH_ALLOWANCE} levels more than the model's nesting.
 *
 * Not a well-formedness check: the parser still reads the document and
 * reports malformed XML; this only counts.
 */
import { LIMIT_SETTINGS } from '../limits';
import type { Problem } from './graph';
import { attributeOf, positionOf, startTagAt } from './xml-source';

/** XML levels allowed beyond the sub-process nesting limit (definitions, process, extension elements, diagram...). */
export const XML_DEPTH_ALLOWANCE = 64;

/** Local names of the elements that nest a scope (BPMN's sub-process kinds). */
const SCOPE_ELEMENTS = new Set(['subProcess', 'adHocSubProcess', 'transaction']);

const LT = 0x3c; // <
const GT = 0x3e; // >
const SLASH = 0x2f; // /
const QUOTE = 0x22; // "
const APOSTROPHE = 0x27; // '
const BANG = 0x21; // !
const QUESTION = 0x3f; // ?

/**
 * The first place where the document nests deeper than allowed, as a deploy
 * problem naming the element (its id, else its line), or undefined.
 */
export function nestingProblem(xml: string, maxNestingDepth: number): Problem | undefined {
  if (!Number.isFinite(maxNestingDepth)) return undefined;
  const maxXmlDepth = maxNestingDepth + XML_DEPTH_ALLOWANCE;
  // One flag per open element: does it open a scope? Never longer than maxXmlDepth + 1.
  const scopeFlags: boolean[] = [];
  let scopes = 0;
  let i = 0;
  const n = xml.length;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === BANG) {
      // comment, CDATA section (or a declaration, refused elsewhere)
      if (xml.startsWith('<!--', lt)) i = endOf(xml, '-->', lt + 4);
      else if (xml.startsWith('<![CDATA[', lt)) i = endOf(xml, ']]>', lt + 9);
      else i = endOf(xml, '>', lt + 2);
      continue;
    }
    if (next === QUESTION) {
      i = endOf(xml, '?>', lt + 2);
      continue;
    }
    const end = tagEnd(xml, lt + 1);
    if (next === SLASH) {
      if (scopeFlags.pop()) scopes--;
      i = end;
      continue;
    }
    const selfClosing = xml.charCodeAt(end - 2) === SLASH;
    if (!selfClosing) {
      const scope = SCOPE_ELEMENTS.has(localName(xml, lt + 1));
      scopeFlags.push(scope);
      if (scope) scopes++;
      if (scope && scopes > maxNestingDepth) {
        return problemAt(xml, lt, `is nested ${scopes} sub-processes deep, more than the limit of ${maxNestingDepth} (${LIMIT_SETTINGS.maxNestingDepth})`);
      }
      if (scopeFlags.length > maxXmlDepth) {
        return problemAt(
          xml,
          lt,
          `is nested ${scopeFlags.length} XML elements deep, more than the limit of ${maxXmlDepth} ` +
            `(${LIMIT_SETTINGS.maxNestingDepth} + ${XML_DEPTH_ALLOWANCE})`,
        );
      }
    }
    i = end;
  }
  return undefined;
}

/** Index just after `terminator` (searched from `from`), or the end of the text. */
function endOf(xml: string, terminator: string, from: number): number {
  const at = xml.indexOf(terminator, from);
  return at < 0 ? xml.length : at + terminator.length;
}

/** Index just after the `>` that ends the tag starting before `from`, skipping quoted attribute values. */
function tagEnd(xml: string, from: number): number {
  let quote = 0;
  for (let i = from; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === QUOTE || c === APOSTROPHE) {
      quote = c;
    } else if (c === GT) {
      return i + 1;
    } else if (c === LT) {
      return i; // a broken tag: let the parser say so
    }
  }
  return xml.length;
}

/** The element's name without its prefix. */
function localName(xml: string, from: number): string {
  let end = from;
  while (end < xml.length && !/[\s/>]/.test(xml[end])) end++;
  const name = xml.slice(from, end);
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

function problemAt(xml: string, offset: number, what: string): Problem {
  const { line, column } = positionOf(xml, offset);
  const tag = startTagAt(xml, offset);
  const name = tag ? /^<([^\s/>]+)/.exec(tag)?.[1] : undefined;
  const id = tag ? attributeOf(tag, 'id') : undefined;
  return {
    elementId: id ?? `line ${line}`,
    reason: `<${name ?? '?'}>${id === undefined ? '' : ` '${id}'`} at line ${line}, column ${column} ${what}; the document is refused before it is read`,
  };
}
