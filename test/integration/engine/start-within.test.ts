/**
 * `startInstance({ within })`: rows of another layer written in the start's own transaction
 * (the dossier layer's receipt: the dossier and its code with the instance, or neither).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../../engine/src/engine';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import { openTestDatabase, testDatabases } from '../../support/databases';

const xml = readFileSync(join(__dirname, '../../fixtures/engine/reference.bpmn'), 'utf8');

describe.each(testDatabases())('engine startInstance within on $name', ({ name }) => {
  let db: Database;
  let store: EngineStore;
  let engine: Engine;

  beforeAll(async () => {
    db = await openTestDatabase(name);
    await db.sequelize.query('CREATE TABLE receipts (key text PRIMARY KEY, definition_id text NOT NULL)');
    store = createSequelizeEngineStore(db);
    engine = new Engine({ store });
    await engine.deploy(xml);
  });

  afterAll(async () => {
    await store.close();
  });

  const receipts = async () => (await db.sequelize.query('SELECT key, definition_id FROM receipts ORDER BY key', { type: 'SELECT' })) as Array<{ key: string; definition_id: string }>;

  it('should commit the rows written within with the instance, and add the variables it returns', async () => {
    // when
    const { instanceId, definitionId } = await engine.startInstance({
      processId: 'reference',
      businessKey: 'r-1',
      variables: { approved: false },
      within: async (tx, definition) => {
        await tx.sql.run('INSERT INTO receipts (key, definition_id) VALUES ($1, $2)', ['r-1', definition.id]);
        return { dossierCode: 'CODE-1' };
      },
    });

    // then
    expect(await receipts()).toEqual([{ key: 'r-1', definition_id: definitionId }]);
    expect(await engine.variables(instanceId)).toEqual({ approved: false, dossierCode: 'CODE-1' });
  });

  it('should store neither the rows nor the instance when within throws', async () => {
    // when
    await expect(
      engine.startInstance({
        processId: 'reference',
        businessKey: 'r-2',
        within: async (tx) => {
          await tx.sql.run('INSERT INTO receipts (key, definition_id) VALUES ($1, $2)', ['r-2', 'x']);
          throw new Error('no code left today');
        },
      }),
    ).rejects.toThrow('no code left today');

    // then
    expect((await receipts()).map((r) => r.key)).toEqual(['r-1']);
    const rows = (await db.sequelize.query("SELECT count(*)::int AS n FROM instances WHERE business_key = 'r-2'", { type: 'SELECT' })) as Array<{ n: number }>;
    expect(rows[0].n).toBe(0);
  });
});
