/**
 * What a receipt and a step write, on both databases: a receipt inserts its dossier row once,
 * already attached to its instance (no update of the row in the receipt's transaction); a step
 * that applies no dossier event keeps the row's state; a receipt decides on the catalogue entry
 * it remembered (no transaction of its own to read it) and, when another process changed the
 * entry since, on the stored one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDossierLayer } from '../../../api/src/dossier-layer';
import { Engine } from '../../../engine/src/engine';
import type { Database } from '../../../engine/src/store-sequelize/connect';
import { createSequelizeEngineStore } from '../../../engine/src/store-sequelize/sequelize-engine-store';
import type { EngineStore } from '../../../engine/src/store/ports';
import { createSequelizeDossierStore } from '../../../onestop/src/store-sequelize/sequelize-dossier-store';
import { openTestDatabase, testDatabases } from '../../support/databases';
import { dossierProcessXml } from '../../api/dossier-process';

const AG = '000.08.00.H29';
const PROCESS = 'dossier-writes';
const CODE = 'writes-procedure';

function procedureDocument(amount: number): Record<string, any> {
  const base = JSON.parse(readFileSync(join(__dirname, '../../../processes/permanent-residence/procedure.json'), 'utf8'));
  delete base.$schema;
  return {
    ...base,
    code: CODE,
    processId: PROCESS,
    fee: { ...base.fee, amount },
    competentAgency: { ...base.competentAgency, agency: AG },
    agencies: [{ id: AG, name: 'Công an xã W', nameEn: 'W', level: 'commune', role: 'lead', demo: true }],
  };
}

describe.each(testDatabases())('what a receipt and a step write, on $name', ({ name }) => {
  let db: Database;
  let store: EngineStore;
  /** The transactions the dossier layers run themselves (the engine's own go through `store`). */
  let layerTransactions = 0;
  let a: { engine: Engine; layer: ReturnType<typeof openDossierLayer> };
  let b: { engine: Engine; layer: ReturnType<typeof openDossierLayer> };

  const open = () => {
    const engine = new Engine({ store });
    const counted = new Proxy(store, {
      get(target, key, receiver) {
        if (key === 'transaction') return (work: Parameters<EngineStore['transaction']>[0]) => (layerTransactions++, target.transaction(work));
        const value = Reflect.get(target, key, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    return { engine, layer: openDossierLayer({ engine, store: counted, db, now: Date.now }) };
  };

  const sql = async (text: string, bind: unknown[] = []): Promise<Array<Record<string, any>>> => (await db.sequelize.query(text, bind.length > 0 ? { bind } : {}))[0] as Array<Record<string, any>>;

  beforeAll(async () => {
    db = await openTestDatabase(name);
    store = createSequelizeEngineStore(db);
    a = open();
    b = open();
    await a.engine.deploy(dossierProcessXml({ processId: PROCESS, agency: AG, name: 'writes', examineGroup: 'specialist' }), { name: 'writes' });
    await a.layer.catalogue.save(CODE, { document: procedureDocument(20_000) }, 'test');
    // Every update of a dossier row, and whether it changed the state.
    await sql(`CREATE TABLE test_dossier_updates (dossier_id text NOT NULL, state_changed boolean NOT NULL)`);
    await sql(`CREATE FUNCTION test_count_dossier_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO test_dossier_updates VALUES (NEW.id, NEW.state IS DISTINCT FROM OLD.state); RETURN NEW; END $$`);
    await sql(`CREATE TRIGGER test_count_dossier_update AFTER UPDATE ON dossiers FOR EACH ROW EXECUTE FUNCTION test_count_dossier_update()`);
  });

  afterAll(async () => {
    for (const p of [a, b]) p?.layer.closeLayer();
    await store?.close();
  });

  const receive = async (by = a) =>
    (await by.layer.receive({ procedureCode: CODE, channel: 'desk', applicant: { name: 'Lê Thị Hoa', kind: 'citizen', idNumber: '001190011111' }, documents: [{ code: 'DKTT.TOKHAI', name: 'Tờ khai', form: 'original', copies: 1 }], fee: { paid: true, paidOnline: false }, actor: 'desk-1' })).record;

  const updates = (dossierId: string) => sql('SELECT state_changed FROM test_dossier_updates WHERE dossier_id = $1', [dossierId]);

  it('should insert a received dossier once, attached to its instance, and keep its state through a step that changes none', async () => {
    // when the desk receives a dossier
    const received = await receive();

    // then its row was inserted as the start step left it, and never updated
    expect(await updates(received.dossier.id)).toEqual([]);
    const [row] = await sql('SELECT instance_id, revision, state, details FROM dossiers WHERE id = $1', [received.dossier.id]);
    expect(row.instance_id).toBe(received.instanceId);
    expect(Number(row.revision)).toBe(received.revision);
    expect(typeof row.state === 'string' ? JSON.parse(row.state) : row.state).toEqual(received.dossier);
    expect((typeof row.details === 'string' ? JSON.parse(row.details) : row.details).currentStep?.elementId).toBe('receive');
    expect((await a.layer.history(received.dossier.id)).map((h) => h.event.type)).toEqual(['dossierSubmitted', 'dossierReceived']);

    // when the desk's task is completed (a step that hands the dossier on: its state changes)
    const task = (await store.tasks({ instanceId: received.instanceId!, state: 'open' }))[0];
    await a.engine.completeTask(task.id, { actor: 'desk-1' });
    // then one update; the row is the dossier as the layer reads it
    const after = await a.layer.get(received.dossier.id);
    expect(after.details.currentStep?.elementId).toBe('examine');
    expect(await updates(received.dossier.id)).toHaveLength(1);
    expect((await a.layer.audit.verify()).ok).toBe(true);
  });

  it('should keep the stored state when a step applies no event to it (the update leaves the column alone)', async () => {
    const received = await receive();
    const dossiers = createSequelizeDossierStore(db);
    // when the store is told the state is unchanged, a different state in the record is not written
    const next = await store.transaction((tx) => dossiers.update(tx.sql, { ...received, dossier: { ...received.dossier, late: !received.dossier.late }, details: { ...received.details, receivedBy: 'desk-2' } }, Date.now(), { stateUnchanged: true }));
    const stored = await a.layer.get(received.dossier.id);
    expect(stored.dossier).toEqual(received.dossier);
    expect(stored.details.receivedBy).toBe('desk-2');
    expect(stored.revision).toBe(next.revision);
    expect(await updates(received.dossier.id)).toEqual([{ state_changed: false }]);
  });

  it('should receive on the catalogue entry it remembered, and on the stored one when another process changed it', async () => {
    // given a process that received a dossier of the procedure (it remembers the entry)
    const first = await receive(a);
    expect(first.details.fee.amount).toBe(20_000);

    // when it receives another: no transaction of its own (the entry is not read again)
    layerTransactions = 0;
    const second = await receive(a);
    expect(layerTransactions).toBe(0);
    expect(second.procedureVersion).toBe(first.procedureVersion);

    // when another process puts a new version of the entry (a new fee)
    const changed = await b.layer.catalogue.save(CODE, { document: procedureDocument(35_000) }, 'admin');
    expect(changed.version).toBe(first.procedureVersion + 1);

    // then the next receipt of the first process is decided on the stored version, and the code counter has no gap
    const third = await receive(a);
    expect(third.procedureVersion).toBe(changed.version);
    expect(third.details.fee.amount).toBe(35_000);
    const sequence = (code: string) => Number(code.slice(code.lastIndexOf('-') + 1));
    expect(sequence(third.dossier.code)).toBe(sequence(second.dossier.code) + 1);
    expect((await a.layer.audit.verify()).ok).toBe(true);
  });
});
