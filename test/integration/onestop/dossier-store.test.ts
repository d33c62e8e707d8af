/**
 * The dossier store on both databases: the daily code counter gives every concurrent receipt
 * its own number with no gap (a rolled-back receipt gives its number back), and the rows
 * round-trip.
 */
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import { createSequelizeDossierStore } from '../../../onestop/src/store-sequelize/sequelize-dossier-store';
import { openTestDatabase, testDatabases } from '../../support/databases';

describe.each(testDatabases())('onestop/store-sequelize dossier store on $name', ({ name }) => {
  let db: Database;
  let store: EngineStore;
  const dossiers = createSequelizeDossierStore();

  beforeAll(async () => {
    db = await openTestDatabase(name);
    store = createSequelizeEngineStore(db);
  });

  afterAll(async () => {
    await store.close();
  });

  describe('nextSequence', () => {
    it('should give 50 concurrent receipts the numbers 1 to 50, each once, and give a rolled-back number back', async () => {
      // given a receipt that takes a number and then fails
      await expect(
        store.transaction(async (tx) => {
          await dossiers.nextSequence(tx.sql, '000.00.15.H29', '2026-11-23');
          throw new Error('the start failed');
        }),
      ).rejects.toThrow('the start failed');

      // when 50 receipts of the same agency and day run at once, each in its own transaction
      const numbers = await Promise.all(
        Array.from({ length: 50 }, () =>
          store.transaction(async (tx) => {
            const n = await dossiers.nextSequence(tx.sql, '000.00.15.H29', '2026-11-23');
            // hold the transaction a little, so that the others queue on the counter row
            await tx.sql.select('SELECT pg_sleep(0.002)');
            return n;
          }),
        ),
      );

      // then no gap, no duplicate, and the other day and agency start at 1
      expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await store.transaction((tx) => dossiers.nextSequence(tx.sql, '000.00.15.H29', '2026-11-24'))).toBe(1);
      expect(await store.transaction((tx) => dossiers.nextSequence(tx.sql, '000.00.16.H29', '2026-11-23'))).toBe(1);
    });
  });
});
