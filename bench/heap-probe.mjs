// Loaded into the mock with `node --expose-gc --import bench/heap-probe.mjs` by the memory
// section: on SIGUSR2 it collects garbage and writes one line of heap figures on stderr, so a
// heap that keeps growing (a leak) can be told from V8 simply keeping memory it has freed.
// The mock's own code is untouched; it handles SIGINT and SIGTERM only.
import { getHeapSpaceStatistics } from 'node:v8';

process.on('SIGUSR2', () => {
  const before = process.memoryUsage();
  if (typeof globalThis.gc === 'function') globalThis.gc();
  const after = process.memoryUsage();
  const mib = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
  const figures = { rssBeforeGcMiB: mib(before.rss), rssMiB: mib(after.rss), heapUsedMiB: mib(after.heapUsed), heapTotalMiB: mib(after.heapTotal), externalMiB: mib(after.external), arrayBuffersMiB: mib(after.arrayBuffers) };
  // Committed size of each V8 heap space after the GC: which space keeps memory the live heap does not need.
  figures.spacesMiB = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, [mib(space.space_size), mib(space.space_used_size)]]));
  process.stderr.write(`HEAP-PROBE ${JSON.stringify(figures)}\n`);
});
