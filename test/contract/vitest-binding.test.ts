/**
 * The vitest binding as a user's test file would use it: one test per scenario, here with the
 * reference integration run in-process. (Every scenario is covered elsewhere; two keep it quick.)
 */
import { contractTests } from '../../src/contract/vitest.js';
import { runExport } from '../../examples/reference-integration.mjs';

contractTests(
  async ({ baseUrl, credential }) => {
    await runExport({ baseUrl, token: credential, log: () => undefined });
  },
  { scenarios: ['happy-path', 'resume'], title: 'reference integration (vitest binding)' },
);
