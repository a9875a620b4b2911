/**
 * `npm test`: builds the extension for Chromium and Firefox (the browser tests load the real builds), then
 * runs every vitest project (unit, integration, e2e) and closes with the plain
 * "N passed, N failed" line that CI reads.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';

const forwarded = process.argv.slice(2);

function run(command: string, args: string[]): number {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status ?? 1;
}

if (run('npx', ['wxt', 'build']) !== 0) process.exit(1);
// test/e2e/user-flows.test.ts runs the same flows in Firefox ESR with this build.
if (run('npx', ['wxt', 'build', '-b', 'firefox', '--mv3']) !== 0) process.exit(1);

mkdirSync('test-results', { recursive: true });
const report = 'test-results/vitest.json';
const status = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...forwarded,
]);

try {
  const summary = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(`\n${summary.numPassedTests} passed, ${summary.numFailedTests} failed, ${skipped} skipped`);
  if (status === 0 && summary.numPassedTests === 0) {
    console.error('No test ran.');
    process.exit(1);
  }
} catch (error) {
  console.error(`Could not read ${report}:`, error);
  process.exit(status || 1);
}
process.exit(status);
