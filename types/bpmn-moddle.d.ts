/**
 * Ambient declarations for `bpmn-moddle` 10, which ships no types for its entry point.
 *
 * Only what `engine/src/model/` uses: the named `BpmnModdle` export, `fromXML`
 * and the shape of its result. Elements are left loose (`$type` plus whatever
 * properties the descriptors define); `engine/src/model/moddle-element.ts`
 * narrows them to the properties the compiler reads.
 */
declare module 'bpmn-moddle' {
  /** An element of the moddle tree: a BPMN, Zeebe, motcua or foreign extension element. */
  export interface ModdleElement {
    /** Qualified type name, e.g. `bpmn:UserTask`, `zeebe:TaskDefinition`. */
    $type: string;
    $parent?: ModdleElement;
    /** Attributes the descriptors do not know (kept verbatim, including `xmlns:*`). */
    $attrs?: Record<string, string>;
    id?: string;
    /** True when the element is (a subtype of) `type`; mind that zeebe types extend several BPMN types. */
    $instanceOf(type: string): boolean;
    get(name: string): unknown;
    [property: string]: unknown;
  }

  /** One lax-mode warning: an unparsable element, a duplicate id, an unresolved reference... */
  export interface ParseWarning {
    message: string;
    error?: Error;
    /** For unresolved references: the referring element, its property and the missing id. */
    element?: ModdleElement;
    property?: string;
    value?: string;
  }

  export interface ParseResult {
    rootElement: ModdleElement;
    elementsById: Record<string, ModdleElement>;
    references: unknown[];
    warnings: ParseWarning[];
  }

  /** Thrown (rejected) by `fromXML` when the XML is not well-formed or has the wrong root. */
  export interface ParseError extends Error {
    warnings: ParseWarning[];
  }

  /** A moddle descriptor package (the JSON of `zeebe-bpmn-moddle/resources/zeebe.json` and ours). */
  export type ModdlePackage = Record<string, unknown>;

  export class BpmnModdle {
    constructor(packages?: Record<string, ModdlePackage>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string, options?: Record<string, unknown>): Promise<ParseResult>;
    toXML(element: ModdleElement, options?: Record<string, unknown>): Promise<{ xml: string }>;
    create(type: string, attrs?: Record<string, unknown>): ModdleElement;
  }
}
