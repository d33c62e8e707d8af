/**
 * The dossier layer's memory (issue 16) on both databases: a step of a dossier's instance is
 * computed from the dossier row and the audit chain head remembered after the last commit,
 * and written in one round trip with the step, guarded by what it was computed from. Two
 * "processes" (two engines, two dossier layers, one database) show that a memory another
 * process made stale is never written from: the guard fails, the command runs again from the
 * database, nothing is lost and the audit chain verifies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDossierLayer } from '../../../api/src/dossier-layer';
import { Engine } from '../../../engine/src/engine';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import { openTestDatabase, testDatabases } from '../../support/databases';
import { dossierProcessXml } from '../../api/dossier-process';

const AG = '000.07.00.H29';
const PROCESS = 'dossier-memory';

function procedureDocument(): Record<string, any> {
  const base = JSON.parse(readFileSync(join(__dirname, '../../../processes/permanent-residence/procedure.json'), 'utf8'));
  delete base.$schema;
  return { ...base, code: 'memory-procedure', processId: PROCESS, competentAgency: { ...base.competentAgency, agency: AG }, agencies: [{ id: AG, name: 'Công an xã M', nameEn: 'M', level: 'commune', role: 'lead', demo: true }] };
}

describe.each(testDatabases())('the dossier layer remembers, guarded, on $name', ({ name }) => {
  let db: Database;
  let store: EngineStore;
  let a: { engine: Engine; layer: ReturnType<typeof openDossierLayer> };
  let b: { engine: Engine; layer: ReturnType<typeof openDossierLayer> };
  let c: { engine: Engine; layer: ReturnType<typeof openDossierLayer> };
  let d: { engine: Engine; layer: ReturnType<typeof openDossierLayer> };

  /** A process: its engine and dossier layer (the audit trail off, to see the dossier row's own guard alone). */
  const open = (audit = true) => {
    const engine = new Engine({ store });
    return { engine, layer: openDossierLayer({ engine, store, db, now: Date.now, audit }) };
  };

  beforeAll(async () => {
    db = await openTestDatabase(name);
    store = createSequelizeEngineStore(db);
    a = open();
    b = open();
    c = open(false);
    d = open(false);
    await a.engine.deploy(dossierProcessXml({ processId: PROCESS, agency: AG, name: 'memory', examineGroup: 'specialist' }), { name: 'memory' });
    await a.layer.catalogue.save('memory-procedure', { document: procedureDocument() }, 'test');
  });

  afterAll(async () => {
    for (const p of [a, b, c, d]) p?.layer.closeLayer();
    await store?.close();
  });

  const receive = async (by = a) =>
    (await by.layer.receive({ procedureCode: 'memory-procedure', channel: 'desk', applicant: { name: 'Lê Thị Hoa', kind: 'citizen', idNumber: '001190011111' }, documents: [{ code: 'DKTT.TOKHAI', name: 'Tờ khai', form: 'original', copies: 1 }], fee: { paid: true, paidOnline: false }, actor: 'desk-1' })).record;

  async function completeIn(engine: Engine, instanceId: string, elementId: string, actor: string): Promise<void> {
    const task = (await store.tasks({ instanceId, state: 'open' })).find((t) => t.elementId === elementId);
    if (!task) throw new Error(`no open task ${elementId}`);
    await engine.completeTask(task.id, { actor });
  }

  it('should run a step again from the database when another process changed the dossier after this one remembered it', async () => {
    // given a dossier that process C received (C remembers its row)
    const received = await receive(c);
    // and process D then hands it on by hand (the row's revision moves on; the instance does not)
    const handed = await d.layer.operate(received.dossier.id, { type: 'handOff', to: `${AG} / lanh-dao`, note: 'cần ý kiến lãnh đạo' }, 'desk-1');

    // when process C completes the first task of the instance, which it still remembers
    await completeIn(c.engine, received.instanceId!, 'receive', 'desk-1');

    // then D's change is kept (the row was not written from C's memory) and C's step is written after it
    const after = await c.layer.get(received.dossier.id);
    expect(after.revision).toBe(handed.revision + 1);
    expect(after.details.currentStep?.elementId).toBe('examine');
    const history = (await c.layer.history(received.dossier.id)).map((h) => h.event.type);
    expect(history.filter((t) => t === 'processingStarted' || t === 'dossierHandedOff').length).toBeGreaterThan(0);
  });

  it('should keep the audit chain whole when another process changed the dossier after this one remembered it', async () => {
    // given a dossier that process A received (A remembers its row and audit head)
    const received = await receive();
    // and process B then hands it on by hand (the row and the audit chain move on)
    await b.layer.operate(received.dossier.id, { type: 'handOff', to: `${AG} / lanh-dao` }, 'desk-1');

    // when process A completes the first task
    await completeIn(a.engine, received.instanceId!, 'receive', 'desk-1');

    // then the log verifies, B's entry among A's
    expect(await a.layer.audit.verify()).toMatchObject({ ok: true });
    expect((await a.layer.get(received.dossier.id)).details.currentStep?.elementId).toBe('examine');
  });

  it('should run a step again from the database when another process appended to the audit chain after this one remembered its head', async () => {
    // given a dossier received by A (A remembers its audit head)
    const received = await receive();
    // and process B appends to its audit chain under the dossier's lock, without changing the row
    await store.transaction(async (tx) => {
      await tx.sql.select('SELECT 1 FROM dossiers WHERE id = $1 FOR UPDATE', [received.dossier.id]);
      await b.layer.audit.appendAll(tx.sql, received.dossier.id, [{ dossierId: received.dossier.id, at: Date.now(), actor: 'specialist-2', type: 'note', data: { text: 'đã xem' } }]);
    });

    // when process A completes the first task
    await completeIn(a.engine, received.instanceId!, 'receive', 'desk-1');

    // then its entries chain after B's, and the whole log verifies
    expect(await a.layer.audit.verify()).toMatchObject({ ok: true });
    const { entries } = await store.transaction((tx) => createAuditReader(tx.sql));
    const mine = entries.filter((e) => e.dossier_id === received.dossier.id).map((e) => Number(e.seq));
    expect(mine).toEqual(Array.from({ length: mine.length }, (_, i) => i + 1));
    expect(entries.some((e) => e.dossier_id === received.dossier.id && e.type === 'note')).toBe(true);
    expect(entries.filter((e) => e.dossier_id === received.dossier.id && e.type === 'taskCompleted').length).toBe(1);
  });
});

/** The audit rows of the log, as stored. */
async function createAuditReader(sql: { select(text: string, bind?: unknown[]): Promise<Array<Record<string, any>>> }): Promise<{ entries: Array<Record<string, any>> }> {
  return { entries: await sql.select('SELECT dossier_id, seq, type FROM audit_entries ORDER BY id') };
}
