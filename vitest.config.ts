import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // HTTP tests start real servers on 127.0.0.1; keep hooks generous but never time-based assertions.
    testTimeout: 30_000,
  },
});
