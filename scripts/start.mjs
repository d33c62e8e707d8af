// `npm start`: builds only when something the build reads has changed since the last build,
// then runs `motcua serve`. A fresh clone builds once (one command, as before); later starts
// on an unchanged tree go straight to the server.
//
// What counts as changed: a fingerprint of every source file the build reads (path, size,
// modification time), package-lock.json and the tsconfig files, kept in dist/.build-fingerprint
// by a build that finished. A file added, changed or deleted changes the fingerprint, and then
// the whole build runs again from a clean dist/ (never an incremental build over stale output:
// a deleted migration's compiled file would otherwise still be found and run).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = path.join(root, 'dist', '.build-fingerprint');
const INPUTS = ['engine/src', 'api/src', 'onestop/src', 'modeler', 'test/bench', 'test/support', 'types', 'package-lock.json', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

function files(relative) {
  const full = path.join(root, relative);
  if (!existsSync(full)) return [];
  const stat = statSync(full);
  if (!stat.isDirectory()) return [[relative, stat.size, stat.mtimeMs]];
  return readdirSync(full)
    .filter((name) => name !== 'node_modules' && name !== 'dist')
    .sort()
    .flatMap((name) => files(path.join(relative, name)));
}

function fingerprint() {
  const hash = createHash('sha256');
  for (const input of INPUTS) for (const [file, size, mtime] of files(input)) hash.update(`${file}\0${size}\0${mtime}\n`);
  return hash.digest('hex');
}

const current = fingerprint();
const built = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : undefined;
if (built !== current || !existsSync(path.join(root, 'dist', 'api', 'src', 'cli.js'))) {
  console.log(built === undefined ? 'building (first start)…' : 'sources changed since the last build: building…');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(stampFile, `${current}\n`);
} else {
  console.log('build is up to date: starting');
}

// The server runs as a child; a stop signal sent to this process is passed on, and this process
// ends with the server's exit code once the server has shut down.
const serve = spawn(process.execPath, [path.join(root, 'dist', 'api', 'src', 'cli.js'), 'serve', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => serve.kill(signal));
serve.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
