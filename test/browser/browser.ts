/**
 * Browser test support: Debian's Chromium driven by playwright-core (never a browser
 * download), console errors collected, screenshots saved to test-artifacts/, and an
 * axe-core check injected into the page.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium package installs it here (.ci/run installs it when missing). */
export const CHROMIUM = process.env.MOTCUA_TEST_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const ROOT = path.resolve(__dirname, '..', '..');

/** Where screenshots go (gitignored; CI keeps it as an artifact). */
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');

/** Builds the apps into dist/modeler (esbuild, about a second) so the test runs today's sources. */
export function buildWebApp(): void {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'modeler', 'build.mjs')], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`modeler/build.mjs failed:\n${result.stdout}\n${result.stderr}`);
}

/** Starts Chromium; fails (never skips) when it is not installed. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get update && apt-get install -y chromium\` (.ci/run does it in CI)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

/**
 * Console errors and uncaught exceptions of a page, as text. Chromium logs every
 * HTTP error answer as a console error; those a test expects (a refused deployment)
 * are allowed by `expectedFailures`, matched against the failed request's URL.
 */
export function collectErrors(page: Page, expectedFailures: { current: RegExp[] } = { current: [] }): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url ?? '';
    if (/^Failed to load resource/.test(message.text()) && expectedFailures.current.some((pattern) => pattern.test(url))) return;
    errors.push(`console.error: ${message.text()} (${url})`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return errors;
}

/** Saves a full-page screenshot as test-artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

interface AxeViolation {
  id: string;
  impact?: string;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

/** Runs axe-core in the page; returns the serious and critical violations, described. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const violations = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)')) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)).join(', ')})`);
}
