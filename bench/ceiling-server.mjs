// The ceiling of the benchmark: the least a Fastify server on this machine can do to answer the
// items path, a fixed body of the same bytes as the mock's page. Usage:
//   node bench/ceiling-server.mjs BODIES.json   where BODIES.json is {"<limit>": "<body text>", ...}
// Prints its URL on stdout like the mock; stops on SIGINT/SIGTERM.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: node bench/ceiling-server.mjs BODIES.json\n');
  process.exit(2);
}
const bodies = new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8'))));
const fallback = bodies.values().next().value ?? '{}';

const app = Fastify({ logger: false });
app.get('/v3/export-jobs/:jobId/items', (request, reply) => {
  reply.type('application/json;charset=UTF-8').send(bodies.get(String(request.query.limit)) ?? fallback);
});
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`http://127.0.0.1:${app.server.address().port}\n`);
const stop = () => {
  void app.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
