/**
 * "The same inputs are accepted and refused as form-js does": every row of the table of
 * test/unit/forms/camunda-form-table.ts goes through the real form-js viewer (1.23) in
 * Chromium — `Form.importSchema(schema, data)`, then `submit()` — and through the server's
 * ajv check of the derived JSON Schema; both must give the row's verdict.
 *
 * form-js takes a value when it submits it unchanged and reports no error; a value it
 * sanitizes on import (a select value that is no option) is one it never sends. Two rows
 * say where the server differs on purpose (api/src/forms/camunda-form-schema.ts): it does
 * not evaluate the FEEL condition of a conditional field, and takes ISO dates only.
 */
import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { camundaFormErrors } from '../../api/src/forms/camunda-form-ajv';
import { camundaFormSchema } from '../../api/src/forms/camunda-form-schema';
import { formSchemaHash } from '../../api/src/validation';
import { FORMS, ROWS, formJsSchema } from '../unit/forms/camunda-form-table';
import { collectErrors, launchChromium } from './browser';

jest.setTimeout(120_000);

/** Bundles form-js's viewer into one script that sets `window.FormJs`. */
async function bundleViewer(): Promise<string> {
  const outfile = path.join(mkdtempSync(path.join(os.tmpdir(), 'formjs-')), 'viewer.js');
  await build({
    stdin: { contents: "import { Form } from '@bpmn-io/form-js-viewer'; window.FormJs = { Form };", resolveDir: path.resolve(__dirname, '..', '..'), loader: 'js' },
    bundle: true,
    format: 'iife',
    outfile,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return outfile;
}

interface Judged {
  errors: Record<string, unknown>;
  submitted: Record<string, unknown>;
}

describe('Camunda forms: server and form-js agree (Chromium)', () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    const script = await bundleViewer();
    browser = await launchChromium();
    page = await browser.newPage();
    errors = collectErrors(page);
    await page.setContent('<!doctype html><html lang="en"><body><div id="form"></div></body></html>');
    await page.addScriptTag({ path: script });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('should accept and refuse every row of the table as form-js does', async () => {
    // given the table's forms, converted for the server
    const server = new Map(
      FORMS.map((form) => {
        const { schema, problems } = camundaFormSchema(formJsSchema(form));
        expect(problems).toEqual([]);
        return [form.id, { schema, hash: formSchemaHash(schema) }];
      }),
    );

    // when every row goes through form-js and through the server
    const disagreements: string[] = [];
    for (const row of ROWS) {
      const schema = formJsSchema(FORMS.find((f) => f.id === row.form)!);
      const judged = (await page.evaluate(
        async ({ schema, data }) => {
          const page = globalThis as any;
          const container = page.document.getElementById('form');
          const form = new page.FormJs.Form({ container });
          try {
            await form.importSchema(schema, structuredClone(data));
            const { data: submitted, errors } = form.submit();
            return { errors, submitted: JSON.parse(JSON.stringify(submitted)) };
          } finally {
            form.destroy();
          }
        },
        { schema, data: row.data },
      )) as Judged;
      const unchanged = Object.entries(row.data).every(([key, value]) => isDeepStrictEqual(judged.submitted[key], value));
      const formJs = Object.keys(judged.errors).length === 0 && unchanged;
      const { schema: jsonSchema, hash } = server.get(row.form)!;
      const ajv = camundaFormErrors(jsonSchema, hash, row.data).length === 0;

      // then both give the row's verdict (the server differs only where the row says so)
      const verdict = (accepted: boolean) => (accepted ? 'accepts' : 'refuses');
      const serverVerdict = row.server ?? row.accept;
      if (formJs !== row.accept || ajv !== serverVerdict) {
        disagreements.push(
          `${row.form}: ${row.what} ${JSON.stringify(row.data)}: the table says form-js ${verdict(row.accept)} and the server ${verdict(serverVerdict)}; form-js ${verdict(formJs)} (errors ${JSON.stringify(judged.errors)}, submitted ${JSON.stringify(judged.submitted)}), the server ${verdict(ajv)}`,
        );
      }
    }
    expect(disagreements).toEqual([]);
    expect(ROWS.length).toBeGreaterThan(50);
    // every row but the documented exceptions is "the same as form-js"
    expect(ROWS.filter((r) => r.server !== undefined && r.server !== r.accept).map((r) => `${r.form}: ${r.what}`)).toEqual([
      'contact: an unassigned country code (form-js knows the codes; the server checks the E.164 shape)',
      'contact: text before the number (form-js looks at the end only; the server takes the number alone)',
      'dates: a date Date.parse reads but not ISO (the server takes ISO only)',
      'conditional: shown, required, missing (the server does not require it)',
    ]);
    expect(errors).toEqual([]);
  });
});
