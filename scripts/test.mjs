// `npm test` after the build and the type check: runs jest in two phases.
//
// 1. Every suite but the browser ones, on two workers. These suites wait on PostgreSQL and
//    PGlite more than they use the CPU, so two workers on the 2-core machines take about two
//    thirds of the time one worker takes.
// 2. The browser suites (test/browser: headless Chromium), on one worker, alone. Run beside
//    other suites on two cores, Chromium starved and they timed out waiting for it.
//
// Both phases run even when the first fails, so one run reports every failure; the exit code
// is the first non-zero one. With arguments (`npm test -- test/unit/foo.test.ts -t name`), this
// is plain `jest <arguments>`: one run, jest's own defaults.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const args = process.argv.slice(2);

function run(jestArgs, title) {
  if (title) process.stdout.write(`\n== ${title}: jest ${jestArgs.join(' ')}\n\n`);
  const result = spawnSync(process.execPath, [jest, ...jestArgs], { stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (args.length > 0) {
  process.exit(run(args));
} else {
  const browser = '/test/browser/';
  const first = run(['--maxWorkers=2', `--testPathIgnorePatterns=${browser}`], 'Phase 1 of 2: every suite but the browser ones, two workers');
  const second = run(['--maxWorkers=1', `--testPathPatterns=${browser}`], 'Phase 2 of 2: the browser suites (headless Chromium), one worker');
  if (first !== 0 || second !== 0) process.stdout.write(`\nnpm test failed: phase 1 exited ${first}, phase 2 exited ${second}\n`);
  process.exit(first || second);
}
