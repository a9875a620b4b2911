import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Four projects (style.md): unit tests sit beside the code and may use fakes;
// integration tests under test/integration and sandbox/ use real servers on
// loopback; e2e tests under test/e2e and test/security drive real Chromium with the built
// extension (user-flows.test.ts also Firefox ESR, test/helpers/any-browser.ts).
export default defineConfig({
  test: {
    // One test file at a time: the machine has two cores, and integration and
    // browser tests start real servers and browsers.
    fileParallelism: false,
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['lib/**/*.test.{ts,tsx}', 'entrypoints/**/*.test.{ts,tsx}', 'cli/**/*.test.ts'],
          mockReset: true,
          restoreMocks: true,
        },
      },
      {
        plugins: [WxtVitest()],
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'sandbox/**/*.test.ts'],
          exclude: ['sandbox/page/**', 'node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [WxtVitest()],
        test: {
          // Faults a real home server and laptop produce (issue 13): flaky proxies, servers
          // that go away, full disks, races. Real servers on loopback; no wall-clock bounds.
          name: 'chaos',
          include: ['test/chaos/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          // test/security: the standing attack suite (SECURITY.md), in the same real Chromium.
          include: ['test/e2e/**/*.test.ts', 'test/security/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
