/**
 * The engine's browser-safe public surface: what runs anywhere, with no I/O, no clock read
 * and no Node module. The model compiler (parse, compile, the process graph, the deploy
 * problems), the working-time calendar arithmetic, the limits, the errors, the runtime's
 * value types, and the one-stop-shop moddle descriptor. The web modeler's live lint and the
 * domain's pure code import the engine through here; server code may use `index.ts`,
 * which re-exports all of this.
 */
import motcuaDescriptor from './model/motcua.json';

export * from './errors';
export * from './calendar/index';
export { DEFAULT_LIMITS, LIMIT_SETTINGS, type Limits } from './limits';
export { compileDefinitions, loadProcessModels, parseBpmn, problemsFromWarnings, selectProcesses, DEFAULT_MAX_BYTES } from './model/index';
export type { CompileOptions, CompileResult, LoadedModels, LoadOptions, ParseOptions, ParsedBpmn } from './model/index';
export type { FlowNode, OneStopShopFacts, ProcessGraph, Problem, StatutoryTime } from './model/graph';
export { extensionOf, type BpmnElement } from './model/moddle-element';
export type { Effect, TaskRecord } from './runtime/effects';
export { ROOT, type InstanceState, type Variables } from './runtime/state';
export { INCIDENT_CAUSES, type IncidentCause } from './runtime/incident-cause';
export { iso, ms } from './dates';
export { findUnstorableText, unstorableReason, type UnstorableText } from './runtime/storable-text';
export { instanceAppointment, statutoryDueAt, warningBefore, type StepOptions, type TaskWarning } from './runtime/working-time';
export * from './history/events';

/** The moddle descriptor of the `motcua:` extension elements (one-stop-shop facts), for bpmn-js and bpmn-moddle. */
export const MOTCUA_MODDLE_DESCRIPTOR = motcuaDescriptor;
