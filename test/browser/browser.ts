/**
 * Browser test support: Debian's Chromium driven by playwright-core (never a browser
 * download), a fresh page per test with its console errors collected, screenshots saved to
 * test-artifacts/, an axe-core check injected into the page; and what the suites do to get
 * there: users added with a password, models deployed by their agency's admin, signing in on
 * the login page and opening a procedure in the editor.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { addUser, principalOf } from '../../api/src/auth/auth-service';
import { useApi, type ApiHarness } from '../api/harness';
import { testDatabases } from '../support/databases';

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

// ------------------------------------------------------------------ a page per test

/** The API server of a browser suite (see useApi): on the embedded database, as `npm start` uses; one database is enough for the browser. */
export function useEmbeddedApi(options?: Parameters<typeof useApi>[1]): ApiHarness {
  return useApi(testDatabases().find((target) => target.embedded)!, options);
}

/**
 * Chromium for a suite: the apps built (unless `build` is false), one browser (beforeAll), a
 * fresh page per test (beforeEach, in Vietnamese, handed to `onPage` with the list its console
 * errors are collected in), closed after the test (afterEach), which must have logged no error
 * unless `errorsAfterEach` is false (the test then checks them itself). `expectedFailures`
 * (failed requests allowed) is emptied before each test.
 */
export function useChromium(
  options: {
    viewport: { width: number; height: number };
    deviceScaleFactor?: number;
    build?: boolean;
    expectedFailures?: { current: RegExp[] };
    errorsAfterEach?: boolean;
  },
  onPage: (page: Page, errors: string[]) => void,
): void {
  let browser: Browser | undefined;
  let page: Page | undefined;
  let errors: string[] = [];

  beforeAll(async () => {
    if (options.build !== false) buildWebApp();
    browser = await launchChromium();
  });

  beforeEach(async () => {
    page = await browser!.newPage({ viewport: options.viewport, locale: 'vi-VN', ...(options.deviceScaleFactor ? { deviceScaleFactor: options.deviceScaleFactor } : {}) });
    if (options.expectedFailures) options.expectedFailures.current = [];
    errors = collectErrors(page, options.expectedFailures);
    onPage(page, errors);
  });

  afterEach(async () => {
    await page?.close();
    if (options.errorsAfterEach !== false) expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
  });
}

// ------------------------------------------------------------------ users and models

/** The password of the users the browser suites sign in with. */
export const PASSWORD = 'analyst-password-1';

/** Adds the admin of `agency` (who owns the processes its models name), password {@link PASSWORD}: its id and bearer token. */
export async function agencyAdmin(api: ApiHarness, username: string, agency: string): Promise<{ id: string; token: string }> {
  const owner = await addUser(api.auth.users, { username, password: PASSWORD, roles: ['agency-admin'], agency, name: 'Lê Văn Bình' });
  return { id: owner.id, token: (await api.auth.issueToken(principalOf(owner))).token };
}

/** Deploys a model (its XML, or a multipart body with its forms) with `token`: it must be taken; the deployment. */
export async function deployAs(api: ApiHarness, token: string, body: string | FormData): Promise<{ definitions: Array<{ id: string }> }> {
  const deployed =
    typeof body === 'string'
      ? await fetch(`${api.url}/api/deployments?resourceName=to-be.bpmn`, { method: 'POST', body, headers: { 'content-type': 'application/xml', authorization: `Bearer ${token}` } })
      : await fetch(`${api.url}/api/deployments`, { method: 'POST', body, headers: { authorization: `Bearer ${token}` } });
  expect(deployed.status).toBe(201);
  return (await deployed.json()) as { definitions: Array<{ id: string }> };
}

/** Lets an analyst deploy new versions of a process, as its agency's admin (`token`). */
export async function grantAnalyst(api: ApiHarness, token: string, processId: string, analystId: string): Promise<void> {
  const granted = await fetch(`${api.url}/api/processes/${processId}/analysts/${analystId}`, { method: 'PUT', headers: { authorization: `Bearer ${token}` } });
  expect(granted.status).toBeLessThan(300);
}

// ------------------------------------------------------------------ in the app

/** Signs in on the login page at `url` and waits for the procedures page. */
export async function signIn(page: Page, url: string, username: string, password = PASSWORD): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Thủ tục' }).waitFor();
}

/**
 * Opens a procedure in the editor, from its row on the procedures page (the link `name`, else
 * the link of its first cell) or by a deployed definition's address, and waits until the
 * element `elementId` is drawn (`state`: visible by default): that element.
 */
export async function openEditor(page: Page, from: { processId: string; name?: string } | { url: string; definitionId: string }, elementId: string, state: 'visible' | 'attached' = 'visible'): Promise<Locator> {
  if ('definitionId' in from) {
    await page.goto(`${from.url}/#/edit/${encodeURIComponent(from.definitionId)}`);
  } else {
    const row = page.locator(`tr[data-process-id="${from.processId}"]`);
    await (from.name ? row.getByRole('link', { name: from.name }) : row.locator('td').first().getByRole('link')).click();
  }
  const element = page.locator(`.djs-element[data-element-id="${elementId}"]`);
  await element.waitFor({ state });
  return element;
}
