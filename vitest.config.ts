import { defineConfig } from 'vitest/config';

// Integration and e2e tests run real ffmpeg processes on a 2-core machine: one file at a time, so
// their timing assertions measure the product, not contention between tests.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
