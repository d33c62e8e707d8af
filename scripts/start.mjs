// `npm start`: builds only when something the build reads has changed since the last build,
// then runs `motcua serve`. A fresh clone builds once (one command, as before); later starts
// on an unchanged tree go straight to the server.
//
// What counts as changed: a fingerprint of every source file the build reads (path, size,
// modification time), package-lock.json and the tsconfig files, kept in dist/.build-fingerprint
// by a build that finished. A file added, changed or deleted changes the fingerprint, and then
// the whole build runs again from a clean dist/ (never an incremental build over stale output:
// a deleted migration's compiled file would otherwise still be found and run).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
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

// A stop signal before the server runs (during the build) ends the build and this process; once
// the server runs, it is passed on to the server (below). Registered first, so that no signal
// finds this process without a handler (which would end it and leave a child running).
let serve;
let build;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (serve) serve.kill(signal);
    else {
      build?.kill(signal);
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    }
  });
}

// `npm start` runs this through `sh -c`: npm passes a stop signal to that shell, which dies of
// it without passing it on. So this process also watches its parent: once it is gone (the
// parent process id changes), the server is stopped as if the signal had come here.
const parent = process.ppid;
const watch = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(watch);
  process.emit('SIGTERM', 'SIGTERM');
}, 500);
watch.unref();

const current = fingerprint();
const built = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : undefined;
if (built !== current || !existsSync(path.join(root, 'dist', 'api', 'src', 'cli.js'))) {
  console.log(built === undefined ? 'building (first start)…' : 'sources changed since the last build: building…');
  // Asynchronous, so that a stop signal is handled (and passed on) while it builds.
  build = spawn('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const status = await new Promise((resolve) => build.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  build = undefined;
  if (status !== 0) process.exit(status);
  writeFileSync(stampFile, `${current}\n`);
} else {
  console.log('build is up to date: starting');
}

// The server runs as a child; a stop signal sent to this process is passed on (above), and this
// process ends with the server's exit code once the server has shut down.
//
// Output: the server logs JSON lines (pino). On a terminal they are printed as lines for a
// person ("08:15:02 INFO  motcua running at …", the fields that matter after it); when stdout is
// a pipe or a file (a service manager, a log collector) the JSON goes through untouched.
const human = process.stdout.isTTY === true;
serve = spawn(process.execPath, [path.join(root, 'dist', 'api', 'src', 'cli.js'), 'serve', ...process.argv.slice(2)], { cwd: root, stdio: ['inherit', human ? 'pipe' : 'inherit', 'inherit'] });
serve.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
if (human) {
  const lines = createInterface({ input: serve.stdout, crlfDelay: Infinity });
  lines.on('line', (line) => process.stdout.write(`${humanLine(line)}\n`));
}

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const COLORS = { 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[31m' };
/** Fields every line has (shown as the time and level, or of no use to a person). */
const QUIET = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'v']);

/** A pino JSON line as a line for a person; anything else as it is. */
function humanLine(line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (!entry || typeof entry !== 'object' || typeof entry.level !== 'number') return line;
  const time = new Date(entry.time ?? Date.now()).toLocaleTimeString('en-GB', { hour12: false });
  const level = LEVELS[entry.level] ?? String(entry.level);
  const color = COLORS[entry.level] ?? '';
  const extra = Object.entries(entry)
    .filter(([key, value]) => !QUIET.has(key) && value !== undefined && key !== 'err')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const error = entry.err && typeof entry.err === 'object' && entry.err.stack ? `\n${entry.err.stack}` : '';
  const rest = extra.length > 0 ? `  \x1b[2m${extra.join(' ')}\x1b[0m` : '';
  return `${time} ${color}${level}${color ? '\x1b[0m' : ''} ${entry.msg ?? ''}${rest}${error}`;
}
