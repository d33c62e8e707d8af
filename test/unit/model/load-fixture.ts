/**
 * Reading and compiling the hand-written fixtures of test/fixtures/model.
 */
import { readFileSync } from 'fs';
import { resolve } from 'path';
import { type LoadOptions, type LoadedModels, type Problem, loadProcessModels } from '../../../engine/src/model';

/** The text of a fixture file. */
export function fixture(name: string): string {
  return readFileSync(resolve(__dirname, '../../fixtures/model', name), 'utf8');
}

/** Parses and compiles a fixture. */
export function loadFixture(name: string, options?: LoadOptions): Promise<LoadedModels> {
  return loadProcessModels(fixture(name), options);
}

/** Matcher for one problem: exact element id, reason containing `reason`. */
export function problem(elementId: string, reason: string): Problem {
  return { elementId, reason: expect.stringContaining(reason) as unknown as string };
}
