/**
 * The composition root (`openApplication`, what `serve` runs) builds the dossier layer: its
 * listener on the engine, the catalogue loaded from processes/, a receipt through the real
 * permanent-residence model. On PostgreSQL, in a schema of its own (global setup drops stale ones).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApplication, type Application } from '../../api/src/app';
import { loadConfig } from '../../api/src/config';
import { readProcedureLibrary } from '../../onestop/src/procedures/procedure';
import { DEFAULT_TEST_DATABASE_URL, requirePostgres } from '../support/databases';

const PROCESSES = join(__dirname, '../../processes');

describe('api/app: the dossier layer of the composition root', () => {
  let application: Application;

  beforeAll(async () => {
    requirePostgres();
    const schema = `t_${Date.now().toString(36)}_${randomBytes(5).toString('hex')}`;
    application = await openApplication(loadConfig({ DATABASE_URL: process.env.TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL, MOTCUA_DB_SCHEMA: schema, MOTCUA_OVERDUE_SCAN_MS: '0' }));
  });

  afterAll(async () => {
    await application?.db.sequelize.query(`DROP SCHEMA IF EXISTS "${application.ctx.config.schema}" CASCADE`).catch(() => undefined);
    await application?.close();
  });

  it('should load the catalogue and move a received dossier with its process', async () => {
    // given the library's catalogue and the permanent-residence model, as serve loads them
    const { ctx } = application;
    await ctx.engine.deploy(readFileSync(join(PROCESSES, 'permanent-residence/to-be.bpmn'), 'utf8'));
    const loaded = await ctx.dossiers!.loadLibrary(readProcedureLibrary(PROCESSES));
    expect(loaded.length).toBeGreaterThanOrEqual(8);

    // when a dossier is received at the desk and its first task completed
    const { record } = await ctx.dossiers!.receive({ procedureCode: 'permanent-residence', channel: 'desk', applicant: { name: 'Lê Thị Mai', kind: 'citizen' }, documents: [{ code: 'DKTT.TOKHAI', name: 'Tờ khai CT01', form: 'original', copies: 1 }], actor: 'desk' });
    const [task] = await ctx.store.tasks({ instanceId: record.instanceId!, state: 'open' });
    await ctx.engine.completeTask(task.id, { actor: 'desk', variables: { decision: 'accept' } });

    // then the dossier moved with it
    expect(record.dossier.status).toBe('received');
    expect((await ctx.dossiers!.get(record.dossier.id)).dossier.status).toBe('processing');
  });
});
