/**
 * The one `BpmnModdle` instance of the engine: BPMN 2.0 plus the Zeebe
 * extensions (Camunda 8 dialect) plus our own `motcua:` one-stop-shop facts.
 *
 * One instance is enough: moddle keeps no per-document state between
 * `fromXML` calls, and building the type registry costs a few milliseconds.
 */
import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json';
import motcua from './motcua.json';

/** Namespace URI of BPMN 2.0 semantic elements. */
export const BPMN_URI = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
/** Namespace URI of the Camunda 8 (Zeebe) extension elements. */
export const ZEEBE_URI = 'http://camunda.org/schema/zeebe/1.0';
/** Namespace URI of our own one-stop-shop extension elements (`motcua.json`). */
export const MOTCUA_URI = motcua.uri;

/**
 * Namespaces whose elements carry execution semantics: an element of these
 * that the parser drops (unknown or misplaced) is a deploy problem, while a
 * dropped diagram-interchange or foreign element is only a warning.
 */
export const EXECUTABLE_NAMESPACES: ReadonlySet<string> = new Set([BPMN_URI, ZEEBE_URI, MOTCUA_URI]);

let instance: BpmnModdle | undefined;

/** The shared moddle instance, created on first use. */
export function bpmnModdle(): BpmnModdle {
  instance ??= new BpmnModdle({ zeebe, motcua });
  return instance;
}
