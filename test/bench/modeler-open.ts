/**
 * Modeler bench: how long the web modeler takes to open a 300-node procedure ready to
 * edit, in Chromium's own timing (the app's performance measure `motcua.editor.open`,
 * from the editor's start to the diagram imported and fitted), against a real server
 * on PostgreSQL. Target: under 1 s. Also prints the bundle sizes (every file: the entry,
 * its chunks, the style sheets).
 *
 * The editor is a chunk loaded on demand (modeler/src/apps/modeler/main.ts): its start is
 * the router's, before the chunk is fetched, so the fetch and the chunk's evaluation count.
 * In the warm case the procedures list has fetched it while idle (as for an analyst); on a
 * reload it is fetched after the entry, within the figure.
 *
 *   npm run bench:modeler        (builds first; needs /usr/bin/chromium and PostgreSQL)
 *
 * Environment: BENCH_MODELER_NODES (default 300), BENCH_MODELER_RUNS (default 7),
 * DATABASE_URL / TEST_DATABASE_URL (see util.ts).
 */
import { createStores } from '../../api/src/stores';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { addUser, createAuthService } from '../../api/src/auth/auth-service';
import { loadConfig } from '../../api/src/config';
import type { AppContext } from '../../api/src/context';
import { startApiServer } from '../../api/src/server';
import { Engine } from '../../engine/src/engine';
import { openDatabase } from '../../engine/src/store-sequelize/connect';
import { migrate } from '../../engine/src/store-sequelize/migrate';
import { MIGRATION_FOLDERS } from '../../api/src/migrations';
import { createSequelizeEngineStore } from '../../engine/src/store-sequelize/sequelize-engine-store';
import { dropSchema, fmt, intFromEnv, log, readConfig, repoRoot, table } from './util';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * A procedure of `nodes` flow nodes with its diagram: a start event, user tasks (each
 * with its Zeebe assignment and our facts) in rows of 15, an end event.
 */
export function largeProcedureXml(nodes: number): string {
  const ids = ['start', ...Array.from({ length: nodes - 2 }, (_, i) => `task${i + 1}`), 'end'];
  const at = (i: number) => ({ x: 150 + (i % 15) * 160, y: 100 + Math.floor(i / 15) * 140 });
  const elements: string[] = [];
  const shapes: string[] = [];
  const edges: string[] = [];
  ids.forEach((id, i) => {
    const { x, y } = at(i);
    if (id === 'start' || id === 'end') {
      elements.push(`<bpmn:${id === 'start' ? 'startEvent' : 'endEvent'} id="${id}" name="${id}" />`);
      shapes.push(`<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${x + 32}" y="${y + 22}" width="36" height="36" /></bpmndi:BPMNShape>`);
    } else {
      elements.push(
        `<bpmn:userTask id="${id}" name="Bước ${i}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="desk" /><motcua:facts agency="000.00.15.H29" statutoryTime="0.5" /></bpmn:extensionElements></bpmn:userTask>`,
      );
      shapes.push(`<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${x}" y="${y}" width="100" height="80" /></bpmndi:BPMNShape>`);
    }
    if (i === 0) return;
    const from = at(i - 1);
    elements.push(`<bpmn:sequenceFlow id="f${i}" sourceRef="${ids[i - 1]}" targetRef="${id}" />`);
    edges.push(`<bpmndi:BPMNEdge id="f${i}_di" bpmnElement="f${i}"><di:waypoint x="${from.x + 100}" y="${from.y + 40}" /><di:waypoint x="${x}" y="${y + 40}" /></bpmndi:BPMNEdge>`);
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
  xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:motcua="http://motcua.vn/schema/bpmn/1.0" id="large-definitions" targetNamespace="http://motcua.vn/bench">
  <bpmn:process id="large" name="Thủ tục ${nodes} bước" isExecutable="true">
    ${elements.join('\n    ')}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="large_diagram"><bpmndi:BPMNPlane id="large_plane" bpmnElement="large">
    ${shapes.join('\n    ')}
    ${edges.join('\n    ')}
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;
}

function bundleSizes(): string[][] {
  const dir = path.join(repoRoot(), 'dist', 'modeler');
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(js|css|html|svg)$/.test(entry.name))
    .map((entry) => {
      const content = fs.readFileSync(path.join(entry.parentPath, entry.name));
      return [path.relative(dir, path.join(entry.parentPath, entry.name)), fmt(content.length / 1024, 1), fmt(gzipSync(content).length / 1024, 1)];
    });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const nodes = intFromEnv('BENCH_MODELER_NODES', 300);
  const runs = intFromEnv('BENCH_MODELER_RUNS', 7);
  const { databaseUrl } = readConfig();
  const schema = `bench_modeler_${randomBytes(4).toString('hex')}`;
  const db = await openDatabase({ url: databaseUrl, schema, poolMax: 4 });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
  try {
    await migrate(db, MIGRATION_FOLDERS);
    const store = createSequelizeEngineStore(db);
    const config = loadConfig({});
    const engine = new Engine({ store, maxXmlBytes: config.maxXmlBytes });
    const stores = createStores(db, { now: Date.now });
    const auth = await createAuthService({ stores, env: {}, now: Date.now });
    const ctx: AppContext = { config, stores, engine, store, auth, now: Date.now };
    const server = await startApiServer(ctx, { port: 0, authService: auth, push: false, logger: pino({ level: 'silent' }) });
    const deployed = await engine.deploy(largeProcedureXml(nodes), { name: 'modeler bench' });
    const definitionId = deployed.definitions[0].id;
    await addUser(auth.users, { username: 'bench.analyst', password: 'bench-password-1', roles: ['analyst'] });
    log(`modeler bench: ${nodes} nodes, ${runs} runs, server ${server.url}`);

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    await page.getByLabel('Tên đăng nhập').fill('bench.analyst');
    await page.getByLabel('Mật khẩu').fill('bench-password-1');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Thủ tục' }).waitFor();

    // Times (ms) from the editor's start: XML at hand, imported, ready (drawn and fitted); and the start since navigation.
    const timings = async (): Promise<{ loaded: number; imported: number; ready: number; start: number } | undefined> =>
      (await page.evaluate(`(() => {
        const at = (name) => { const e = performance.getEntriesByName(name); return e.length ? e[e.length - 1].startTime : undefined; };
        const open = performance.getEntriesByName('motcua.editor.open')[0];
        if (!open) return undefined;
        return { start: open.startTime, loaded: at('motcua.editor.open.loaded') - open.startTime, imported: at('motcua.editor.open.imported') - open.startTime, ready: open.duration };
      })()`)) as { loaded: number; imported: number; ready: number; start: number } | undefined;
    const measured = async () => {
      for (let tries = 0; tries < 500; tries++) {
        const t = await timings();
        if (t) return t;
        await page.waitForTimeout(20);
      }
      throw new Error('the editor never reported motcua.editor.open');
    };

    // Warm: in-app navigation (bundle loaded), as an analyst opens one procedure after another.
    const warm: Array<{ loaded: number; imported: number; ready: number; start: number }> = [];
    for (let i = 0; i < runs; i++) {
      await page.evaluate(`performance.clearMeasures('motcua.editor.open'); location.hash = '#/procedures'`);
      await page.getByRole('heading', { name: 'Thủ tục' }).waitFor();
      await page.evaluate(`location.hash = '#/edit/${encodeURIComponent(definitionId)}'`);
      warm.push(await measured());
    }
    // Cold: a reload on the editor's URL (bundle from the cache, parsed and run again), from navigation start.
    const cold: number[] = [];
    for (let i = 0; i < runs; i++) {
      await page.reload();
      const t = await measured();
      cold.push(t.start + t.ready);
    }
    await server.close();

    const [load1] = os.loadavg();
    console.log(`## Modeler: open a ${nodes}-node procedure ready to edit (Chromium, ${runs} runs; load average ${load1.toFixed(1)} on ${os.cpus().length} CPUs)\n`);
    console.log(
      table(
        ['case', 'median ms', 'max ms', 'target'],
        [
          ['in-app navigation: editor start → ready (drawn and fitted)', fmt(median(warm.map((t) => t.ready))), fmt(Math.max(...warm.map((t) => t.ready))), '< 1000'],
          ['  of which: XML fetched', fmt(median(warm.map((t) => t.loaded))), fmt(Math.max(...warm.map((t) => t.loaded))), ''],
          ['  of which: imported (bpmn-js parse, render, import listeners)', fmt(median(warm.map((t) => t.imported - t.loaded))), fmt(Math.max(...warm.map((t) => t.imported - t.loaded))), ''],
          ['page reload: navigation start → ready', fmt(median(cold)), fmt(Math.max(...cold)), ''],
        ],
      ),
    );
    console.log('\n### Bundle (dist/modeler)\n');
    console.log(table(['file', 'kB', 'gzip kB'], bundleSizes()));
  } finally {
    await browser.close();
    await db.close();
    await dropSchema(databaseUrl, schema, 'modeler');
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
