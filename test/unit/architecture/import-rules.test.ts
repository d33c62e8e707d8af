/**
 * The layers' arrows, enforced: every import line of the source tree is read and checked
 * against the rules of docs/architecture.md. A failure names the file, the line and the rule.
 */
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');
const SOURCE_ROOTS = ['engine/src', 'onestop/src', 'api/src', 'modeler/src'];

interface ImportLine {
  file: string; // relative to the repository, with forward slashes
  line: number;
  specifier: string;
  /** The imported file relative to the repository (for relative specifiers), else undefined. */
  target?: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir))) {
    const rel = `${dir}/${entry}`;
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|mts|js|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

function resolveRelative(from: string, specifier: string): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`, `${base}.js`]) {
    const full = path.join(ROOT, candidate);
    try {
      if (statSync(full).isFile()) return candidate;
    } catch {
      // next candidate
    }
  }
  return base;
}

function importsOf(file: string, text: string): ImportLine[] {
  const info = ts.preProcessFile(text, true, true);
  const lineOf = (pos: number) => text.slice(0, pos).split('\n').length;
  return info.importedFiles.map((ref) => ({
    file,
    line: lineOf(ref.pos),
    specifier: ref.fileName,
    target: ref.fileName.startsWith('.') ? resolveRelative(file, ref.fileName) : undefined,
  }));
}

const FILES = SOURCE_ROOTS.flatMap(sourceFiles);
const TEXTS = new Map(FILES.map((file) => [file, readFileSync(path.join(ROOT, file), 'utf8')]));
const IMPORTS = FILES.flatMap((file) => importsOf(file, TEXTS.get(file)!));

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const isAdapter = (file: string) => /\/store-sequelize\//.test(file);
const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
const DATABASE_PACKAGES = new Set(['sequelize', 'pg', 'pg-pool', 'pg-cursor', 'pg-protocol', '@electric-sql/pglite', '@electric-sql/pglite-socket', 'umzug', '@socket.io/postgres-adapter']);
/** The composition roots: they wire adapters, so they may import them. */
const COMPOSITION_ROOTS = /^api\/src\/(app|server|stores|migrations|dossier-layer|cli(-[a-z-]+)?)\.ts$/;
/** The engine's public surfaces: everything (index.ts), and the browser-safe part (pure.ts). */
const ENGINE_SURFACES = new Set(['engine/src/index.ts', 'engine/src/pure.ts']);

/** One broken rule: `file:line what — rule`. */
type Violation = string;

function violations(check: (imp: ImportLine) => string | undefined): Violation[] {
  const found: Violation[] = [];
  for (const imp of IMPORTS) {
    const rule = check(imp);
    if (rule) found.push(`${imp.file}:${imp.line} imports '${imp.specifier}' — ${rule}`);
  }
  return found;
}

/** The code of a line, without a line comment or a JSDoc/block-comment line. */
const codeOf = (text: string) => (/^\s*(\*|\/\*|\/\/)/.test(text) ? '' : text.replace(/\s\/\/\s.*$/, ''));

describe('architecture › import rules', () => {
  it('should find the source files and their imports', () => {
    expect(FILES.length).toBeGreaterThan(200);
    expect(IMPORTS.length).toBeGreaterThan(1000);
  });

  it('should keep the runtime and the model pure: no I/O module', () => {
    expect(
      violations((imp) =>
        /^engine\/src\/(runtime|model)\//.test(imp.file) && (NODE_BUILTINS.has(imp.specifier) || DATABASE_PACKAGES.has(packageOf(imp.specifier)))
          ? 'engine/src/runtime and engine/src/model import no I/O module (the step is pure: time and ids come in as arguments)'
          : undefined,
      ),
    ).toEqual([]);
  });

  it('should keep the browser-safe surface (engine/src/pure.ts and all it reaches) free of Node and database modules', () => {
    const reached = new Set<string>();
    const queue = ['engine/src/pure.ts'];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (reached.has(file)) continue;
      reached.add(file);
      for (const imp of IMPORTS) if (imp.file === file && imp.target && TEXTS.has(imp.target)) queue.push(imp.target);
    }
    expect(reached.size).toBeGreaterThan(20);
    expect(
      violations((imp) =>
        reached.has(imp.file) && (NODE_BUILTINS.has(imp.specifier) || DATABASE_PACKAGES.has(packageOf(imp.specifier)))
          ? 'engine/src/pure.ts is bundled into the web modeler: nothing it reaches imports a Node or database module'
          : undefined,
      ),
    ).toEqual([]);
  });

  it('should keep the runtime and the model off the wall clock and Math.random', () => {
    const found: Violation[] = [];
    for (const file of FILES.filter((f) => /^engine\/src\/(runtime|model)\//.test(f))) {
      TEXTS.get(file)!.split('\n').forEach((text, i) => {
        if (/\bDate\.now\b|\bnew Date\s*\(\s*\)|\bMath\.random\b|\bperformance\.now\b/.test(codeOf(text))) {
          found.push(`${file}:${i + 1}: ${text.trim()} — the runtime and the model never read the wall clock or Math.random: \`now\` is an argument of the step`);
        }
      });
    }
    expect(found).toEqual([]);
  });

  it('should let only the sequelize adapters import the database packages', () => {
    expect(
      violations((imp) =>
        DATABASE_PACKAGES.has(packageOf(imp.specifier)) && !isAdapter(imp.file)
          ? 'only store-sequelize/ folders (the adapters) import sequelize, pg, PGlite or umzug'
          : undefined,
      ),
    ).toEqual([]);
  });

  it('should keep SQL in the adapters', () => {
    const found: Violation[] = [];
    const SQL = /\b(SELECT\s.*\bFROM\s+[a-z_]+|INSERT INTO\s+[a-z_]+|UPDATE\s+[a-z_]+\s+SET\s|DELETE FROM\s+[a-z_]+|CREATE (TABLE|INDEX)\s|ALTER TABLE\s)/;
    for (const file of FILES.filter((f) => !isAdapter(f))) {
      TEXTS.get(file)!.split('\n').forEach((text, i) => {
        if (SQL.test(codeOf(text))) found.push(`${file}:${i + 1}: ${text.trim().slice(0, 100)} — SQL is written only in store-sequelize/ folders (the adapters); other code speaks the ports' domain words`);
      });
    }
    expect(found).toEqual([]);
  });

  it('should let only engine/src/expressions import feelin', () => {
    expect(
      violations((imp) =>
        /^(feelin|lezer-feel|@bpmn-io\/lezer-feel)$/.test(packageOf(imp.specifier)) && !imp.file.startsWith('engine/src/expressions/')
          ? 'only engine/src/expressions imports feelin (one wrapper with the budget, the clock and the conversions)'
          : undefined,
      ),
    ).toEqual([]);
  });

  it('should never let the engine import api/ or onestop/', () => {
    expect(
      violations((imp) =>
        imp.file.startsWith('engine/') && imp.target && /^(api|onestop|modeler)\//.test(imp.target) ? 'the engine is a library: it never imports api/, onestop/ or modeler/' : undefined,
      ),
    ).toEqual([]);
  });

  it('should never let onestop/ import api/', () => {
    expect(
      violations((imp) => (imp.file.startsWith('onestop/') && imp.target?.startsWith('api/') ? 'the domain never imports the HTTP layer (api → onestop → engine)' : undefined)),
    ).toEqual([]);
  });

  it('should let api/ and onestop/ reach the engine only through its public surface (adapters and composition roots excepted)', () => {
    expect(
      violations((imp) => {
        if (!/^(api|onestop)\//.test(imp.file) || !imp.target?.startsWith('engine/')) return undefined;
        if (ENGINE_SURFACES.has(imp.target)) return undefined;
        if ((isAdapter(imp.file) || COMPOSITION_ROOTS.test(imp.file)) && imp.target.startsWith('engine/src/store-sequelize/')) return undefined;
        return 'api/ and onestop/ import the engine through engine/src/index.ts (or the browser-safe engine/src/pure.ts); only adapters and the composition roots (api/src/app.ts, server.ts, cli*.ts, migrations.ts) import engine/src/store-sequelize';
      }),
    ).toEqual([]);
  });

  it('should let only the composition roots and other adapters import an adapter', () => {
    expect(
      violations((imp) =>
        imp.target && isAdapter(imp.target) && !isAdapter(imp.file) && !COMPOSITION_ROOTS.test(imp.file)
          ? 'adapters (store-sequelize/ folders) are wired by the composition roots (api/src/app.ts, server.ts, cli*.ts, migrations.ts); other code receives ports'
          : undefined,
      ),
    ).toEqual([]);
  });

  it('should keep the browser code off the server code (it talks HTTP and socket.io)', () => {
    expect(
      violations((imp) => {
        if (!imp.file.startsWith('modeler/')) return undefined;
        if (NODE_BUILTINS.has(imp.specifier)) return 'the browser code imports no Node module';
        if (DATABASE_PACKAGES.has(packageOf(imp.specifier))) return 'the browser code imports no database package';
        if (imp.target?.startsWith('api/')) return 'the browser code never imports api/';
        if (imp.target && isAdapter(imp.target)) return 'the browser code never imports an adapter';
        if (imp.target?.startsWith('engine/') && imp.target !== 'engine/src/pure.ts') return 'the browser code reaches the engine only through engine/src/pure.ts';
        return undefined;
      }),
    ).toEqual([]);
  });
});
