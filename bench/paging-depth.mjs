// Prints how long an items page takes at the start of a large job versus deep inside it, reached
// by following cursors. Usage: npm run build && node bench/paging-depth.mjs [itemCount]
// Numbers only; it asserts nothing. In-process (app.inject), so no HTTP cost; `npm run bench` measures
// the same over HTTP on a seeded million-item job (see BENCHMARKS.md).
import { buildApp } from '../dist/src/index.js';

const count = Number(process.argv[2] ?? 1_000_000);
const now = Date.UTC(2026, 0, 5, 9, 0, 0);
const jobId = '11111111-1111-4111-8111-111111111111';
const companyId = '22222222-2222-4222-8222-222222222222';
const hex = (n) => n.toString(16).padStart(12, '0');
const items = Array.from({ length: count }, (_, i) => ({
  rowId: `33333333-3333-4333-8333-${hex(i)}`,
  createdAt: now - 60_000,
  exportJobId: jobId,
  accountingEntryId: `44444444-4444-4444-8444-${hex(i)}`,
  status: 'pending',
  exportedAt: null,
  externalId: null,
  externalUrl: null,
  failureReason: null,
  failureReasonType: null,
}));
const job = {
  id: jobId, companyId, createdAt: now - 60_000, createdBy: null, expiresIn: 3600, isInteractive: true,
  vendorBasedBookkeeping: false, status: 'pending', startedAt: null, completedAt: null, expiredAt: null,
  lastUpdatedAt: null, failureReason: null, failureReasonType: null, numberOfItems: count,
};
const company = { id: companyId, name: 'Bench ApS', currency: 'DKK', country: 'DK' };

let t = performance.now();
const { app } = await buildApp({ state: { companies: [company], jobs: [job], items }, startTime: now, frozenClock: true });
await app.ready();
console.log(`load ${count} items: ${Math.round(performance.now() - t)} ms, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);

const path = `/v3/export-jobs/${jobId}/items?limit=100`;
async function timePage(url, rounds = 200) {
  for (let i = 0; i < 20; i++) await app.inject({ url });
  const start = performance.now();
  for (let i = 0; i < rounds; i++) await app.inject({ url });
  return (performance.now() - start) / rounds;
}
// A cursor near the end: jump by offset once (linear, done once), then page by cursor from there.
t = performance.now();
const near = JSON.parse((await app.inject({ url: `${path}&offset=${count - 300}` })).body).pagination.endCursor;
console.log(`offset to ${count - 300}: ${Math.round(performance.now() - t)} ms (offset paging is linear in the offset)`);
const first = await timePage(path);
const deep = await timePage(`${path}&after=${near}`);
console.log(`first page: ${first.toFixed(3)} ms; page after row ${count - 200}: ${deep.toFixed(3)} ms; ratio ${(deep / first).toFixed(2)}`);
await app.close();
