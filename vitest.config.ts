import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // HTTP tests start real servers on 127.0.0.1; keep hooks generous but never time-based assertions.
    testTimeout: 30_000,
    // Vitest's default is one worker fewer than the cores, so one worker on a 2-core machine
    // (this VM, small CI runners): the suite ran file after file. Much of it waits on sockets and
    // child processes, so two workers there finished it in 166 s instead of 247.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
