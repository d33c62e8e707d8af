// Builds the browser apps into dist/modeler/ with esbuild: ES modules with code splitting, so the
// first page loads only the router, the sign-in and the procedures list; the editor (bpmn-js, the
// properties panel, lint), the compare page, the form editor (form-js), the token simulation and
// the simulation panel are chunks loaded by dynamic import() when first used. Content-hashed file
// names (served as immutable), and an index.html naming the entry, its static imports (as
// modulepreload) and the style sheets loaded on demand. Prints each output's size (raw and
// gzipped) and the first load. Offline: esbuild ships its binary.
//   node modeler/build.mjs           build once
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.resolve(here, '..', 'dist', 'modeler');
const app = path.join(here, 'src', 'apps', 'modeler');

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

// One preact for the whole bundle: form-js's editor pins an older preact of its own, but it
// renders the viewer's fields and the properties panel, which use the project's one, and
// hooks only work within one copy of preact.
const ROOT = path.resolve(here, '..');
const onePreact = {
  name: 'one-preact',
  setup(b) {
    b.onResolve({ filter: /^preact(\/.*)?$/ }, (args) => (args.pluginData !== 'one-preact' ? b.resolve(args.path, { resolveDir: ROOT, kind: args.kind, pluginData: 'one-preact' }) : undefined));
  },
};

// Style sheets loaded on demand (src/shared/styles.ts reads their hashed names from index.html).
const LAZY_STYLES = ['forms', 'token-simulation'];

const result = await build({
  plugins: [onePreact],
  entryPoints: {
    main: path.join(app, 'main.ts'),
    styles: path.join(app, 'styles.css'),
    ...Object.fromEntries(LAZY_STYLES.map((name) => [name, path.join(app, `${name}.css`)])),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  sourcemap: 'linked',
  target: ['chrome110', 'firefox110', 'safari16'],
  entryNames: '[name]-[hash]',
  chunkNames: 'chunks/[name]-[hash]',
  assetNames: 'assets/[name]-[hash]',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
  // .eot fonts are for old Internet Explorer; as data URLs Chromium logs OTS parse errors.
  loader: { '.eot': 'empty', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.svg': 'file' },
  define: { 'process.env.NODE_ENV': '"production"' },
});

// The browser code talks to the server over HTTP only: it may bundle no server code: nothing of
// api/, no adapter, nothing of the engine's executor, jobs or stores. Pure shared modules are
// fine (the engine's browser-safe surface engine/src/pure.ts and what it imports, the lint plugin).
const SERVER_CODE = /^(api\/|[a-z]+\/src\/(.*\/)?store-sequelize\/|engine\/src\/(engine|index)\.ts$|engine\/src\/(executor|jobs|store)\/)/;
const forbidden = Object.keys(result.metafile.inputs).filter((input) => SERVER_CODE.test(input));
if (forbidden.length > 0) {
  console.error(`modeler/src bundles server code (${SERVER_CODE}):\n  ${forbidden.join('\n  ')}`);
  process.exit(1);
}

// MODELER_METAFILE=<file>: esbuild's metafile, to see what a chunk holds (esbuild's analyser reads it).
if (process.env.MODELER_METAFILE) writeFileSync(process.env.MODELER_METAFILE, JSON.stringify(result.metafile));
const metaOutputs = result.metafile.outputs;
const outputs = Object.keys(metaOutputs).map((file) => path.resolve(file));
const entryOf = (name, ext) => Object.keys(metaOutputs).find((file) => path.basename(file).startsWith(`${name}-`) && file.endsWith(ext) && !path.dirname(file).endsWith('chunks'));
const url = (file) => `/${path.relative(outdir, path.resolve(file)).split(path.sep).join('/')}`;

// What the first page loads: the entry and the chunks it imports statically (transitively).
const mainFile = entryOf('main', '.js');
const firstLoad = new Set();
const visit = (file) => {
  if (firstLoad.has(file)) return;
  firstLoad.add(file);
  for (const imported of metaOutputs[file].imports) if (imported.kind === 'import-statement') visit(imported.path);
};
visit(mainFile);
// A page's chunk imports chunks of its own: index.html lists them per page, so the router can
// preload them all at once (modulepreload) instead of discovering them one import after another.
const closureOf = (file, seen = new Set()) => {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const imported of metaOutputs[file].imports) if (imported.kind === 'import-statement') closureOf(imported.path, seen);
  return seen;
};
const pageChunks = Object.keys(metaOutputs)
  .filter((file) => /\/chunks\/[a-z]+-page-[A-Z0-9]{8}\.js$/.test(file))
  .map((file) => `  <meta name="motcua:chunks:${path.basename(file).replace(/-[A-Z0-9]{8}\.js$/, '')}" content="${[...closureOf(file)].filter((f) => !firstLoad.has(f)).map(url).join(' ')}">`);
const preloads = [...firstLoad].filter((file) => file !== mainFile).map((file) => `  <link rel="modulepreload" href="${url(file)}">`);
const lazyStyles = LAZY_STYLES.map((name) => `  <meta name="motcua:style:${name}" content="${url(entryOf(name, '.css'))}">`);
const html = readFileSync(path.join(app, 'index.html'), 'utf8')
  .replace('{{main}}', url(mainFile))
  .replace('{{styles}}', url(entryOf('styles', '.css')))
  .replace('{{head}}', [...preloads, ...lazyStyles, ...pageChunks].join('\n'));
writeFileSync(path.join(outdir, 'index.html'), html);

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const sizes = (file) => {
  const content = readFileSync(file);
  return { raw: statSync(file).size, gzip: gzipSync(content).length };
};
console.log('modeler bundle (dist/modeler):');
for (const file of [...outputs, path.join(outdir, 'index.html')].filter((f) => !f.endsWith('.map') && !f.endsWith('.LEGAL.txt')).sort()) {
  const { raw, gzip } = sizes(file);
  console.log(`  ${path.relative(outdir, file).padEnd(44)} ${kb(raw).padStart(10)}  gzip ${kb(gzip).padStart(9)}`);
}
const total = (files) => files.map((file) => sizes(path.resolve(file))).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
const first = total([...firstLoad, entryOf('styles', '.css')]);
console.log(`  ${'first load (main, its imports, styles)'.padEnd(44)} ${kb(first.raw).padStart(10)}  gzip ${kb(first.gzip).padStart(9)}`);
// What each page or feature loads when first used: its chunk and the chunks it imports statically.
const closure = closureOf;
const editorFile = Object.keys(metaOutputs).find((f) => path.basename(f).startsWith('editor-page-') && f.endsWith('.js'));
for (const file of Object.keys(metaOutputs).filter((f) => f.endsWith('.js') && metaOutputs[f].entryPoint && !f.includes('/chunks/chunk-')).sort()) {
  if (file === mainFile) continue;
  const name = path.basename(file).replace(/-[A-Z0-9]{8}\.js$/, '');
  // A page's chunks come after the first page; a feature's within the editor come after the editor's.
  const before = name.endsWith('-page') ? firstLoad : new Set([...firstLoad, ...closure(editorFile)]);
  const loads = total([...closure(file)].filter((f) => !before.has(f)));
  console.log(`  ${`then ${name}${name.endsWith('-page') ? '' : ' (in the editor)'}`.padEnd(44)} ${kb(loads.raw).padStart(10)}  gzip ${kb(loads.gzip).padStart(9)}`);
}
const js = total(Object.keys(metaOutputs).filter((file) => file.endsWith('.js')));
console.log(`  ${'all scripts'.padEnd(44)} ${kb(js.raw).padStart(10)}  gzip ${kb(js.gzip).padStart(9)}`);
