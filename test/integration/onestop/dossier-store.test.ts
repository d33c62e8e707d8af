/**
 * The dossier store on both databases: the daily code counter gives every concurrent receipt
 * its own number with no gap (a rolled-back receipt gives its number back), and the rows
 * round-trip; citizen tracking reads a dossier's public facts in one statement.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import { createSequelizeDossierStore } from '../../../onestop/src/store-sequelize/sequelize-dossier-store';
import type { DossierEvent } from '../../../onestop/src/dossiers/dossier-events';
import type { DossierRecord } from '../../../onestop/src/dossiers/dossier-store';
import { openTestDatabase, testDatabases } from '../../support/databases';

describe.each(testDatabases())('onestop/store-sequelize dossier store on $name', ({ name }) => {
  let db: Database;
  let store: EngineStore;
  let dossiers = createSequelizeDossierStore();

  beforeAll(async () => {
    db = await openTestDatabase(name);
    store = createSequelizeEngineStore(db);
    dossiers = createSequelizeDossierStore(db);
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

  describe('tracking', () => {
    it('should read the public facts, the public history and the procedure name in one statement, and nothing for an unknown code', async () => {
      // given a received dossier of a catalogued procedure, with a task claimed in its history (not public)
      const document = JSON.parse(readFileSync(join(__dirname, '../../../processes/permanent-residence/procedure.json'), 'utf8'));
      delete document.$schema;
      document.code = 'tracking-procedure';
      const id = `track-${Date.now()}`;
      const code = `000.00.15.H29-261123-${String(Date.now() % 10000).padStart(4, '0')}`;
      const record = {
        dossier: { id, code, status: 'processing', channel: 'desk', procedure: { id: 'tracking-procedure' }, submittedAt: 1000, receivedAt: 2000, redates: 0, late: false, supplementRequests: 0, updatedAt: 3000 },
        agency: '000.00.15.H29',
        agencies: ['000.00.15.H29'],
        procedureCode: 'tracking-procedure',
        procedureVersion: 1,
        submittedBy: 'desk',
        trackingHash: 'ab'.repeat(32),
        details: { documents: [], fee: { amount: 0, currency: 'VND', paid: false, paidOnline: false }, currentStep: { name: 'Thẩm định', elementId: 'review' } },
        applicant: { name: 'Nguyễn Văn A', kind: 'citizen', idNumber: '001' },
        revision: 1,
      } as unknown as DossierRecord;
      const base = { dossierId: id, actor: 'desk' };
      const events = [
        { ...base, type: 'dossierSubmitted', at: 1000, from: 'submitted', to: 'submitted' },
        { ...base, type: 'dossierReceived', at: 2000, from: 'submitted', to: 'received' },
        { ...base, type: 'taskClaimed', at: 2500, from: 'received', to: 'received', taskId: 't1', elementId: 'review', assignee: 'official' },
        { ...base, type: 'processingStarted', at: 3000, from: 'received', to: 'processing' },
      ] as unknown as DossierEvent[];
      await store.transaction(async (tx) => {
        await dossiers.saveProcedure(tx.sql, { code: 'tracking-procedure', document, version: 1, updatedAt: 1000 });
        await dossiers.insert(tx.sql, record, 3000);
        await dossiers.appendHistory(tx.sql, events);
      });

      // when it is tracked, and an unknown code is
      const found = await dossiers.tracking(code);
      const unknown = await dossiers.tracking(`${code}-no`);

      // then the public facts only, the keys the dossier has (no appointment), the history without the claim
      expect(found).toStrictEqual({
        trackingHash: 'ab'.repeat(32),
        dossier: { code, status: 'processing', channel: 'desk', submittedAt: 1000, receivedAt: 2000, late: false },
        procedureCode: 'tracking-procedure',
        procedureName: document.name,
        currentStep: { name: 'Thẩm định', elementId: 'review' },
        history: [
          { type: 'dossierSubmitted', at: 1000, from: 'submitted', to: 'submitted' },
          { type: 'dossierReceived', at: 2000, from: 'submitted', to: 'received' },
          { type: 'processingStarted', at: 3000, from: 'received', to: 'processing' },
        ],
      });
      expect(JSON.stringify(found)).not.toContain('Nguyễn');
      expect(unknown).toBeUndefined();
    });
  });
});
