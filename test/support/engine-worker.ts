/**
 * A separate engine process for the crash and multi-node tests (compiled to
 * dist/ and run with node). It reads its job from environment variables:
 *
 * - WORKER_DB: 'postgres' (WORKER_URL + WORKER_SCHEMA) or 'embedded' (WORKER_DATA_DIR)
 * - WORKER_SETUP: 'N' to deploy the crash fixture and start N instances first
 * - WORKER_COMPLETE_TASKS: '1' to complete user tasks as they open
 * - WORKER_UNTIL: 'completed' to exit once no instance is active, after printing a summary
 * - WORKER_REPORT: '1' to print {"progress":{completed,active}} after each round
 *
 * It prints one JSON line per milestone on stdout ({"ready":true}, {"summary":...}).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../engine/src/engine';
import { JobExecutor } from '../../engine/src/jobs/job-executor';
import { openDatabase } from '../../engine/src/store-sequelize/connect';
import { startEmbeddedPostgres } from '../../engine/src/store-sequelize/embedded';
import { migrate } from '../../engine/src/store-sequelize/migrate';
import { MIGRATION_FOLDERS } from '../../api/src/migrations';
import { createSequelizeEngineStore } from '../../engine/src/store-sequelize/sequelize-engine-store';
import { summarize } from './crash-summary';

async function main(): Promise<void> {
  const embedded = process.env.WORKER_DB === 'embedded';
  const server = embedded ? await startEmbeddedPostgres({ dataDir: process.env.WORKER_DATA_DIR }) : undefined;
  const db = await openDatabase({ url: server?.url ?? process.env.WORKER_URL!, embedded, schema: process.env.WORKER_SCHEMA ?? 'public', poolMax: 4 });
  await migrate(db, MIGRATION_FOLDERS);
  const store = createSequelizeEngineStore(db);
  const engine = new Engine({ store });
  const setup = Number(process.env.WORKER_SETUP ?? 0);
  if (setup > 0) {
    const xml = readFileSync(join(process.env.WORKER_FIXTURES ?? join(__dirname, '../../../test/fixtures/engine'), 'crash.bpmn'), 'utf8');
    await engine.deploy(xml);
    for (let i = 0; i < setup; i++) await engine.startInstance({ processId: 'crash', businessKey: `dossier-${i}` });
  }
  const executor = new JobExecutor({
    engine,
    owner: process.env.WORKER_NAME,
    pollMs: 100,
    lockMs: 2000,
    handlers: { stamp: async (job) => ({ stampedBy: process.env.WORKER_NAME ?? 'worker', stampedFor: job.instanceId }) },
    onError: (error) => process.stderr.write(`executor: ${String(error)}\n`),
  });
  executor.start();
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  for (;;) {
    if (process.env.WORKER_COMPLETE_TASKS === '1') {
      for (const task of await store.tasks({ state: 'open' })) {
        await engine.completeTask(task.id, { actor: process.env.WORKER_NAME, variables: { approved: true } }).catch(() => undefined);
      }
    }
    if (process.env.WORKER_REPORT === '1') {
      const { completed, active } = await summarize(db.sequelize);
      process.stdout.write(`${JSON.stringify({ progress: { completed, active } })}\n`);
    }
    if (process.env.WORKER_UNTIL === 'completed') {
      const summary = await summarize(db.sequelize);
      if (summary.active === 0 && summary.instances > 0) {
        await executor.stop();
        process.stdout.write(`${JSON.stringify({ summary })}\n`);
        await db.close();
        await server?.stop();
        return;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

main().catch((error) => {
  process.stderr.write(`worker failed: ${error?.stack ?? error}\n`);
  process.exit(1);
});
