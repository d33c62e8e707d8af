// Builds the browser apps into dist/modeler/ with esbuild: one bundle per app with
// content-hashed file names (served as immutable), and an index.html naming them.
// Prints each output's size (raw and gzipped). Offline: esbuild ships its binary.
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

const result = await build({
  plugins: [onePreact],
  entryPoints: { main: path.join(app, 'main.ts'), styles: path.join(app, 'styles.css') },
  outdir,
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  entryNames: '[name]-[hash]',
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

const outputs = Object.keys(result.metafile.outputs).map((file) => path.resolve(file));
const named = (name, ext) => path.basename(outputs.find((file) => path.basename(file).startsWith(`${name}-`) && file.endsWith(ext)));
const html = readFileSync(path.join(app, 'index.html'), 'utf8').replace('{{main}}', named('main', '.js')).replace('{{styles}}', named('styles', '.css'));
writeFileSync(path.join(outdir, 'index.html'), html);

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
console.log('modeler bundle (dist/modeler):');
for (const file of [...outputs, path.join(outdir, 'index.html')].filter((f) => !f.endsWith('.map') && !f.endsWith('.LEGAL.txt')).sort()) {
  const bytes = statSync(file).size;
  console.log(`  ${path.relative(outdir, file).padEnd(40)} ${kb(bytes).padStart(10)}  gzip ${kb(gzipSync(readFileSync(file)).length).padStart(9)}`);
}
