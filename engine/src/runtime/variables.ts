/**
 * Variable scopes of one instance, Zeebe style: each element instance may own
 * local variables; a lookup sees the nearest definition up the parent chain; a
 * write without a local target updates the nearest scope that already has the
 * name, else the process scope.
 */
import { InvalidInputError } from '../errors';
import { assertVariableSizes } from './limits';
import type { ElementInstance, InstanceState, Json, Variables } from './state';
import { ROOT } from './state';
import { assertStorableText } from './storable-text';

/** The element instance with this key, or undefined. */
export function elementAt(state: InstanceState, key: number): ElementInstance | undefined {
  return state.elements[key];
}

/**
 * All variables visible from an element instance, nearest scope winning.
 * Returns the process variables object itself when no local scope intervenes
 * (read-only by convention), to keep evaluation cheap on the hot path.
 */
export function visibleVariables(state: InstanceState, key: number): Variables {
  const chain: Variables[] = [];
  let cursor: ElementInstance | undefined = state.elements[key];
  while (cursor) {
    if (cursor.vars) chain.push(cursor.vars);
    cursor = cursor.parent >= 0 ? state.elements[cursor.parent] : undefined;
  }
  if (chain.length === 1) return chain[0];
  const merged: Variables = {};
  for (let i = chain.length - 1; i >= 0; i--) Object.assign(merged, chain[i]);
  return merged;
}

/** Set a variable local to an element instance (creates its scope if needed). */
export function setLocal(state: InstanceState, key: number, name: string, value: Json): void {
  const element = state.elements[key];
  if (!element) return;
  (element.vars ??= {})[name] = value;
}

/**
 * Writes the value of a mapping into `into` at `target`, and returns the variable's name.
 *
 * A target with a path (`customer.name`) builds nested contexts, as Zeebe does: the variable
 * (`customer`) is the one already written by an earlier mapping of the same element, else the
 * one visible in `current` (the scope written to), copied; where it or a context on the path is
 * missing or is not a context, a new one is made. Nothing in `current` is modified.
 */
export function writeMapping(into: Variables, target: string, value: Json, current: Variables): string {
  const path = target.split('.');
  const name = path[0];
  if (path.length === 1) {
    into[name] = value;
    return name;
  }
  const existing = Object.hasOwn(into, name) ? into[name] : Object.hasOwn(current, name) ? current[name] : undefined;
  into[name] = putPath(existing, path, 1, value);
  return name;
}

function putPath(base: Json | undefined, path: string[], index: number, value: Json): Json {
  const copy: { [key: string]: Json } = isContext(base) ? { ...base } : {};
  const key = path[index];
  copy[key] = index === path.length - 1 ? value : putPath(Object.hasOwn(copy, key) ? copy[key] : undefined, path, index + 1, value);
  return copy;
}

function isContext(value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Set variables with propagation from `key` upwards: each goes to the nearest
 * scope that defines it, else to the process scope.
 */
export function propagate(state: InstanceState, key: number, variables: Variables): void {
  for (const name of Object.keys(variables)) {
    const value = variables[name];
    let cursor: ElementInstance | undefined = state.elements[key];
    let target: ElementInstance = state.elements[ROOT];
    while (cursor) {
      if (cursor.vars && Object.prototype.hasOwnProperty.call(cursor.vars, name)) {
        target = cursor;
        break;
      }
      cursor = cursor.parent >= 0 ? state.elements[cursor.parent] : undefined;
    }
    (target.vars ??= {})[name] = value;
  }
}

/**
 * Checks that variables from outside are a JSON object of JSON values
 * (commands come from HTTP bodies and job workers).
 */
export function assertVariables(value: unknown, field = 'variables'): Variables {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidInputError(`${field} must be a JSON object`, { field });
  }
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new InvalidInputError(`${field}: variable name '${name}' is not a valid identifier`, { field: `${field}.${name}` });
    }
    assertJson(v, `${field}.${name}`);
  }
  assertStorableText(value, field);
  assertVariableSizes(value as Variables, field);
  return value as Variables;
}

function assertJson(value: unknown, path: string, depth = 0): void {
  if (depth > 64) throw new InvalidInputError(`${path}: nested more than 64 levels`, { field: path });
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidInputError(`${path}: numbers must be finite`, { field: path });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertJson(item, `${path}[${i}]`, depth + 1));
    return;
  }
  if (typeof value === 'object') {
    // Only plain objects: a Date, Map or class instance would not survive the JSON state.
    // (Checked by shape, not `=== Object.prototype`, so objects of another realm pass.)
    const proto = Object.getPrototypeOf(value);
    if (proto !== null && Object.getPrototypeOf(proto) !== null) {
      const kind = (value as object).constructor?.name ?? 'object';
      throw new InvalidInputError(`${path}: ${kind} is not a JSON value`, { field: path });
    }
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) assertJson(v, `${path}.${k}`, depth + 1);
    return;
  }
  throw new InvalidInputError(`${path}: ${typeof value} is not a JSON value`, { field: path });
}
