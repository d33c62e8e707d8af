/**
 * Memory and time of verifying the audit trail (AuditTrail.verify, what GET /api/audit/verify
 * and `motcua audit verify` run) over a large log in PostgreSQL. Not a mode of run.ts: a script
 * of three steps, each its own process, so that the verifying process's peak RSS is its own.
 *
 *   node audit-verify.js load            a scratch schema `bench_audit_<random>`, migrated, with
 *                                        BENCH_AUDIT_DOSSIERS dossiers (default 100,000) of
 *                                        BENCH_AUDIT_ENTRIES entries each (default 10), written in
 *                                        rounds (entry 1 of every dossier, then entry 2 …, so a
 *                                        dossier's entries are spread over the table), their hashes
 *                                        chained by appendEntry; sealed (one seal of every head),
 *                                        then one more entry for 1 % of the dossiers, sealed again.
 *                                        With BENCH_AUDIT_SEAL_OFTEN=1, sealed after every 5,000
 *                                        entries written instead (seals of 5,000 heads, as a
 *                                        sealing job running often leaves them).
 *                                        Prints the schema's name on stdout.
 *   node audit-verify.js verify <schema> verifies the whole log once; prints the answer, the time,
 *                                        and the process's RSS before and its peak RSS (maxRSS).
 *   node audit-verify.js drop <schema>   drops the schema.
 *
 * DATABASE_URL / TEST_DATABASE_URL: the server (default postgres://postgres@127.0.0.1:5432/test).
 * Built by esbuild or tsc like the other bench files; the same source measures an older commit.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { MIGRATION_FOLDERS } from '../../api/src/migrations';
import { openDatabase } from '../../engine/src/store-sequelize/connect';
import { migrate } from '../../engine/src/store-sequelize/migrate';
import { createSequelizeEngineStore } from '../../engine/src/store-sequelize/sequelize-engine-store';
import { AuditTrail } from '../../onestop/src/audit/audit-trail';
import { appendEntry, type AuditEntry } from '../../onestop/src/audit/hash-chain';
import { createSequelizeAuditStore } from '../../onestop/src/store-sequelize/sequelize-audit-store';

const URL = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const T = Date.parse('2026-01-05T08:00:00+07:00');
const say = (message: string) => process.stderr.write(`[audit-verify] ${message}\n`);
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

function trailOn(schema: string) {
  return openDatabase({ url: URL, schema }).then((db) => {
    const store = createSequelizeEngineStore(db);
    return { store, trail: new AuditTrail({ store: createSequelizeAuditStore(), transaction: (work) => store.transaction(work), now: () => Date.now() }) };
  });
}

/** Inserts entries in one statement (arrays unnested). */
async function insert(client: pg.Client, entries: readonly AuditEntry[]): Promise<void> {
  await client.query(
    `INSERT INTO audit_entries (dossier_id, seq, at, actor, type, content, prev_hash, hash)
     SELECT * FROM unnest($1::text[], $2::integer[], $3::timestamptz[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[])`,
    [
      entries.map((e) => e.dossierId),
      entries.map((e) => e.sequence),
      entries.map((e) => new Date(e.at).toISOString()),
      entries.map((e) => e.actor),
      entries.map((e) => e.type),
      entries.map((e) => JSON.stringify(e.data)),
      entries.map((e) => e.previousHash),
      entries.map((e) => e.hash),
    ],
  );
}

const TYPES = ['dossierReceived', 'taskOpened', 'taskCompleted', 'dossierHandedOff', 'taskOpened', 'taskCompleted', 'resultReady', 'taskOpened', 'taskCompleted', 'resultReturned'];

/** Round `round` of entries: the next entry of each dossier in [from, to). */
function round(heads: Array<AuditEntry | undefined>, from: number, to: number, r: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (let i = from; i < to; i++) {
    const dossierId = `000.00.15.H29-${String(i).padStart(7, '0')}`;
    const type = TYPES[r % TYPES.length];
    const data = type.startsWith('task') ? { taskId: randomUUID(), elementId: `Activity_${r}`, name: 'Thẩm định hồ sơ', candidateGroups: ['land-office'] } : { note: `round ${r}`, toHolder: 'land-office' };
    const entry = appendEntry(heads[i], { dossierId, at: T + r * 3_600_000 + i, actor: `official-${i % 97}`, type, data });
    heads[i] = entry;
    entries.push(entry);
  }
  return entries;
}

async function load(): Promise<void> {
  const dossiers = positive('BENCH_AUDIT_DOSSIERS', 100_000);
  const rounds = positive('BENCH_AUDIT_ENTRIES', 10);
  const schema = `bench_audit_${randomBytes(4).toString('hex')}`;
  const db = await openDatabase({ url: URL, schema });
  await migrate(db, MIGRATION_FOLDERS);
  await db.close();
  const client = new pg.Client({ connectionString: URL });
  await client.connect();
  await client.query(`SET search_path TO "${schema}"`);
  const heads: Array<AuditEntry | undefined> = new Array(dossiers);
  const started = Date.now();
  const often = process.env.BENCH_AUDIT_SEAL_OFTEN === '1';
  const { trail, store } = await trailOn(schema);
  for (let r = 0; r < rounds; r++) {
    for (let from = 0; from < dossiers; from += 5_000) {
      await insert(client, round(heads, from, Math.min(dossiers, from + 5_000), r));
      if (often) await trail.seal();
    }
    say(`${schema}: round ${r + 1}/${rounds} written (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  say(`${schema}: sealed, the last seal of ${(await trail.seal())?.heads.length ?? 0} heads`);
  await insert(client, round(heads, 0, Math.ceil(dossiers / 100), rounds));
  say(`${schema}: sealed again, ${(await trail.seal())?.heads.length} heads`);
  await store.close();
  await client.query('VACUUM ANALYZE audit_entries');
  await client.query('VACUUM ANALYZE audit_seals');
  const [{ n, size }] = (await client.query('SELECT count(*)::int AS n, pg_size_pretty(pg_total_relation_size(\'audit_entries\')) AS size FROM audit_entries')).rows;
  say(`${schema}: ${n} entries, audit_entries ${size}`);
  await client.end();
  process.stdout.write(`${schema}\n`);
}

async function verify(schema: string): Promise<void> {
  const { trail, store } = await trailOn(schema);
  // One small verification first would read the whole log: measure the first and only one.
  const before = process.memoryUsage().rss;
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const answer = await trail.verify();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const { user, system } = process.cpuUsage(cpu);
  await store.close();
  const peak = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify(answer)}\ntime ${seconds.toFixed(1)} s (Node CPU ${((user + system) / 1e6).toFixed(1)} s), RSS before ${mb(before / 1024)}, peak RSS ${mb(peak)}\n`);
}

async function drop(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

async function main(): Promise<void> {
  const [step, schema] = process.argv.slice(2);
  if (step === 'load') return load();
  if ((step === 'verify' || step === 'drop') && /^bench_audit_[0-9a-f]+$/.test(schema ?? '')) return step === 'verify' ? verify(schema) : drop(schema);
  throw new Error('usage: audit-verify load | verify <schema> | drop <schema>');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
