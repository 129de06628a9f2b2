/**
 * Builds the Fastify application of one mock server. It never listens: `server.ts` does, so
 * tests can also drive the app in-process.
 *
 * Routes come from the spec: one Fastify route per spec path, answering every method, so a
 * known path with an undeclared method gets 405 (with `Allow`) and any other path 404. Each
 * request is validated against the normalized spec, then handled by the operation's handler.
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type HTTPMethods } from 'fastify';
import { MockError, type ErrorCode } from '../core/errors.js';
import type { ExportStore } from '../core/export-store.js';
import type { StateSnapshot } from '../core/model.js';
import type { PageSizeConfig } from '../core/pagination.js';
import { generateDefaultScenario } from '../fixtures/default-scenario.js';
import { ExportItemFactory } from '../fixtures/export-item-payload.js';
import { createIdGenerator } from '../fixtures/ids.js';
import { loadAdminApiSpec, loadNormalizedExportApiSpec } from '../spec/load-spec.js';
import { ADMIN_OPERATIONS } from './admin-operations.js';
import type { MockClock } from './clock.js';
import { JSON_CONTENT_TYPE, sendError, toMockError } from './error-handler.js';
import { parseJsonBody } from './json-body.js';
import { OPERATIONS, type OperationResult } from './operations.js';
import type { OperationHooks } from './operations/context.js';
import { SpecValidator, type SpecOperation, type ValidatedRequest } from './spec-validator.js';
import { authorize, OPERATION_SCOPES, type AuthMode, type Scope } from './auth.js';
import { assertKnownOperations, describeAction, FaultSyntaxError, parseFaultAction, type FaultAction, type FaultRule } from './faults.js';
import { MAX_KEPT_RESPONSE_BYTES } from './journal.js';
import { TenantRegistry, tenantKey, type Tenant } from './tenants.js';
import { WebhookSender } from './webhook.js';

/** Settings of one mock server. Every field has a documented default (README, "Flags"). */
export interface MockServerOptions {
  /** Seed of the default scenario (`--seed`). */
  readonly seed?: number;
  /** The clock's start, epoch ms (`--start-time`). */
  readonly startTime?: number;
  /** Keep the clock still unless moved (`--frozen-clock`). */
  readonly frozenClock?: boolean;
  /** Page size when `limit` is absent (`--default-page-size`). */
  readonly defaultPageSize?: number;
  /** Ceiling of `limit`; larger values are clamped (`--max-page-size`). */
  readonly maxPageSize?: number;
  /** Largest accepted request body in bytes. */
  readonly bodyLimit?: number;
  /** Fastify logging: false (default in-process) or a pino level. */
  readonly logLevel?: false | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  /** Start from this state instead of the seeded default scenario. */
  readonly state?: StateSnapshot;
  /** Deliver `v1.export-job.created` here when a job is created (`--webhook-url`). */
  readonly webhookUrl?: string;
  /** Signing secret of the webhook (`--webhook-secret`); `whsec_<base64>` as Standard Webhooks writes it. */
  readonly webhookSecret?: string;
  /** Real time, for webhook timestamps and the rate limit (clients wait in real time); injectable for tests. */
  readonly wallClock?: () => number;
  /** Entries each tenant's request journal keeps (`--journal-size`). */
  readonly journalSize?: number;
  /** Fault rules every tenant starts with (`--fault`). */
  readonly faults?: readonly FaultRule[];
  /** Requests per sliding minute each tenant may send (`--rate-limit`); none by default. */
  readonly rateLimitPerMinute?: number;
  /** How strict authentication is (`--auth`); `any` by default. */
  readonly auth?: AuthMode;
  /** The credentials and scopes of `--auth listed` (`--credentials FILE`). */
  readonly credentials?: ReadonlyMap<string, readonly Scope[]>;
}

/** The defaults of {@link MockServerOptions}. */
export const DEFAULTS = {
  seed: 42,
  startTime: Date.UTC(2026, 0, 5, 9, 0, 0),
  frozenClock: false,
  defaultPageSize: 20,
  maxPageSize: 100,
  bodyLimit: 1024 * 1024,
  webhookSecret: 'whsec_cGxlby1leHBvcnQtbW9jay1kZXZlbG9wbWVudA==',
  journalSize: 1000,
} as const;

/** What a built app holds besides Fastify. */
export interface MockApp {
  readonly app: FastifyInstance;
  /** The default tenant's store: the state requests without a credential see. */
  readonly store: ExportStore;
  /** The default tenant's clock. */
  readonly clock: MockClock;
  /** Every tenant (one per credential). */
  readonly tenants: TenantRegistry;
  readonly validator: SpecValidator;
}

/** Runs an operation once its request is validated, for the tenant of its credential. */
type Dispatch = (operationId: string, request: ValidatedRequest, tenant: Tenant) => OperationResult;

const ALL_METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Builds a mock server app (not listening).
 * @example
 * const { app } = await buildApp({ seed: 7, frozenClock: true });
 * const response = await app.inject({ url: '/v3/export-jobs?statuses=pending' });
 */
export async function buildApp(options: MockServerOptions = {}): Promise<MockApp> {
  const document = loadNormalizedExportApiSpec();
  const adminDocument = loadAdminApiSpec();
  const [validator, adminValidator] = await Promise.all([SpecValidator.create(document), SpecValidator.create(adminDocument)]);
  assertHandlersMatchSpec(validator.operations(), OPERATIONS);
  assertHandlersMatchSpec(adminValidator.operations(), ADMIN_OPERATIONS);
  const operationIds = new Set(validator.operations().map((operation) => operation.operationId));
  const missingScopes = [...operationIds].filter((id) => !Object.hasOwn(OPERATION_SCOPES, id));
  if (missingScopes.length > 0) throw new Error(`no scope is defined for ${missingScopes.join(', ')} (src/server/auth.ts)`);
  const authMode = options.auth ?? 'any';
  if (authMode === 'listed' && options.credentials === undefined) throw new Error('--auth listed needs --credentials FILE');
  const credentials = options.credentials ?? new Map<string, readonly Scope[]>();
  // A misspelt operationId in a --fault rule stops the start, rather than never firing.
  assertKnownOperations(options.faults ?? [], operationIds, 'faults');
  const seed = options.seed ?? DEFAULTS.seed;
  const startTime = options.startTime ?? DEFAULTS.startTime;
  const tenants = new TenantRegistry({
    startup: options.state ?? generateDefaultScenario({ seed, now: startTime }),
    seed,
    startTime,
    frozenClock: options.frozenClock ?? DEFAULTS.frozenClock,
    journalSize: options.journalSize ?? DEFAULTS.journalSize,
    faultRules: options.faults ?? [],
    rateLimitPerMinute: options.rateLimitPerMinute ?? null,
  });
  const exportItems = new ExportItemFactory(seed);
  const pageSize: PageSizeConfig = {
    defaultLimit: options.defaultPageSize ?? DEFAULTS.defaultPageSize,
    maxLimit: options.maxPageSize ?? DEFAULTS.maxPageSize,
  };

  const app = Fastify({
    // Logs go to stderr: stdout carries only the base URL, for scripts to capture.
    logger: options.logLevel === undefined || options.logLevel === false ? false : { level: options.logLevel, stream: process.stderr },
    bodyLimit: options.bodyLimit ?? DEFAULTS.bodyLimit,
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: (error, _request, reply) => {
      void sendError(reply, toMockError(error));
    },
  });
  const webhook = options.webhookUrl === undefined
    ? undefined
    : new WebhookSender(
        { url: options.webhookUrl, secret: options.webhookSecret ?? DEFAULTS.webhookSecret },
        { newId: createIdGenerator(seed + 1), wallClock: options.wallClock ?? (() => Date.now()), log: { warn: (m) => { app.log.warn(m); }, info: (m) => { app.log.info(m); } } },
      );
  app.addHook('onClose', () => {
    webhook?.close();
  });
  const hooks: OperationHooks = { jobCreated: (job) => webhook?.jobCreated(job) };

  const recorder = recordRequests(app, tenants);
  app.setErrorHandler((error, request, reply) => {
    const mockError = toMockError(error);
    if (mockError.code === 'INTERNAL_ERROR') request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, mockError);
  });
  // JSON is the only body this API takes: anything else is 415 (Fastify would parse text/plain).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(typeof body === 'string' ? body : body.toString('utf8')));
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)), undefined);
    }
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, new MockError('ROUTE_NOT_FOUND', `No operation at ${request.method} ${pathOf(request.url)}; see /openapi.json for the operations this mock serves.`)));

  await app.register(fastifySwagger, { mode: 'static', specification: { document } });
  // Both documents in the reference's selector: the Export API first, then the mock's admin API.
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { urls: [{ url: '/openapi.json', name: 'Export API' }, { url: '/admin-openapi.json', name: 'pleo-export-mock admin API' }] },
  });
  app.get('/openapi.json', { schema: { hide: true } }, (_request, reply) => reply.type(JSON_CONTENT_TYPE).send(document));
  app.get('/admin-openapi.json', { schema: { hide: true } }, (_request, reply) => reply.type(JSON_CONTENT_TYPE).send(adminDocument));

  const wallClock = options.wallClock ?? (() => Date.now());
  const injectFault: FaultInjector = async (request, reply, operationId, tenant) => {
    // Authentication comes first: an unauthenticated request neither draws faults nor counts toward the rate limit.
    try {
      authorize(authMode, request.headers.authorization, operationId, credentials);
    } catch (error) {
      if (error instanceof MockError && error.code === 'UNAUTHORIZED') {
        await sendError(reply, error, { 'www-authenticate': 'Bearer, Basic' });
        return 'answered';
      }
      throw error;
    }
    return injectTenantFault(request, reply, operationId, tenant, recorder, wallClock);
  };
  registerSpecRoutes(app, tenants, validator, injectFault, recorder, (operationId, request, { store, clock }) => {
    const handler = OPERATIONS[operationId];
    if (handler === undefined) throw new MockError('INTERNAL_ERROR', `no handler for ${operationId}`);
    return handler({ request, store, clock, pageSize, exportItems, hooks });
  });
  // The admin API acts on the tenant of the credential it is called with.
  registerSpecRoutes(app, tenants, adminValidator, undefined, recorder, (operationId, request, tenant) => {
    const handler = ADMIN_OPERATIONS[operationId];
    if (handler === undefined) throw new MockError('INTERNAL_ERROR', `no handler for ${operationId}`);
    return handler({ request, tenant, operationIds });
  });

  const { store, clock } = tenants.defaultTenant;
  return { app, store, clock, tenants, validator };
}

/**
 * One Fastify route per path of a spec, answering every method, so a known path with an
 * undeclared method gets 405 (with `Allow`) and any other path 404. Each request is validated
 * against the spec before its handler runs.
 */
function registerSpecRoutes(
  app: FastifyInstance,
  tenants: TenantRegistry,
  validator: SpecValidator,
  injectFault: FaultInjector | undefined,
  recorder: Recorder,
  dispatch: Dispatch,
): void {
  for (const [path, operations] of groupByPath(validator.operations())) {
    const methods = operations.map((operation) => operation.method);
    // HEAD is GET without a body (RFC 9110); Fastify drops the body of HEAD responses.
    const allowed = (methods.includes('GET') ? [...methods, 'HEAD'] : methods).join(', ');
    app.route({
      method: ALL_METHODS,
      url: toFastifyPath(path),
      schema: { hide: true },
      handler: async (request, reply) => {
        const method = request.method === 'HEAD' ? 'GET' : request.method;
        const operation = operations.find((candidate) => candidate.method === method);
        if (operation === undefined) {
          return sendError(reply, new MockError('METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}; allowed: ${allowed}.`), { allow: allowed });
        }
        // Recorded before validation: an invalid request is exactly what a journal reader looks for.
        matchedOperations.set(request, operation.operationId);
        const tenant = tenants.get(tenantKey(request.headers.authorization));
        const fault = injectFault === undefined ? 'none' : await injectFault(request, reply, operation.operationId, tenant);
        if (fault === 'answered') return reply;
        const validated = validator.validateRequest(operation.operationId, {
          method: operation.method,
          path: pathOf(request.url),
          query: queryOf(request.url),
          headers: definedHeaders(request.headers),
          body: request.body,
        });
        const result = dispatch(operation.operationId, validated, tenant);
        if (fault === 'truncate') {
          sendTruncated(request, reply, result, recorder);
          return reply;
        }
        return send(reply, result);
      },
    });
  }
}

/** The operation each request matched, for the journal (requests are garbage-collected with it). */
const matchedOperations = new WeakMap<FastifyRequest, string>();

/** Paths of the mock itself rather than of the Export API: never journaled, never faulted. */
const UNJOURNALED = /^\/(__admin(\/|$)|docs(\/|$)|openapi\.json$|admin-openapi\.json$)/;

/** Writes Export API requests into the journal of their tenant. */
interface Recorder {
  /** Records a request now (for replies that bypass Fastify's hooks: reset, truncate). */
  record(request: FastifyRequest, status: number, responseText: string | null, durationMs: number): void;
  /** Notes the fault injected into a request, for its entry. */
  noteFault(request: FastifyRequest, fault: string): void;
}

/**
 * Records every Export API request in the journal of its tenant, after the response is sent:
 * the body text is captured as it leaves (onSend), the entry written once timing is known.
 */
function recordRequests(app: FastifyInstance, tenants: TenantRegistry): Recorder {
  const arrivals = new WeakMap<FastifyRequest, { receivedAt: number; responseText: string | null; fault: string | null }>();
  const recorder: Recorder = {
    record(request, status, responseText, durationMs) {
      const arrival = arrivals.get(request);
      if (arrival === undefined) return;
      arrivals.delete(request);
      tenants.get(tenantKey(request.headers.authorization)).journal.record({
        receivedAt: arrival.receivedAt,
        method: request.method,
        path: pathOf(request.url),
        query: queryOf(request.url),
        headers: flatHeaders(request.headers),
        body: request.body ?? null,
        operationId: matchedOperations.get(request) ?? null,
        status,
        responseText: responseText !== null && responseText.length <= MAX_KEPT_RESPONSE_BYTES ? responseText : null,
        durationMs,
        fault: arrival.fault,
      });
    },
    noteFault(request, fault) {
      const arrival = arrivals.get(request);
      if (arrival !== undefined) arrival.fault = fault;
    },
  };
  app.addHook('onRequest', (request, _reply, done) => {
    if (!UNJOURNALED.test(pathOf(request.url))) {
      arrivals.set(request, { receivedAt: tenants.get(tenantKey(request.headers.authorization)).clock.now(), responseText: null, fault: null });
    }
    done();
  });
  app.addHook('onSend', (request, _reply, payload, done) => {
    const arrival = arrivals.get(request);
    if (arrival !== undefined && typeof payload === 'string') arrival.responseText = payload;
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    recorder.record(request, reply.statusCode, arrivals.get(request)?.responseText ?? null, reply.elapsedTime);
    done();
  });
  return recorder;
}

function flatHeaders(headers: FastifyRequest['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name] = Array.isArray(value) ? value.join(', ') : value;
  return result;
}

/**
 * Applies the fault (if any) a request draws: 'answered' when the fault already answered or
 * dropped it, 'truncate' when the response must be cut after processing, 'none' to go on.
 */
type FaultInjector = (request: FastifyRequest, reply: FastifyReply, operationId: string, tenant: Tenant) => Promise<'none' | 'answered' | 'truncate'>;

const FAULT_HEADER = 'x-mock-fault';

/** The ExceptionInfo of an injected status. */
const FAULT_ERRORS: Readonly<Record<429 | 500 | 502 | 503, { code: ErrorCode; message: string }>> = {
  429: { code: 'RATE_LIMITED', message: 'Too many requests; retry after the time in Retry-After.' },
  500: { code: 'INTERNAL_ERROR', message: 'Injected fault: internal error. The request was not processed.' },
  502: { code: 'BAD_GATEWAY', message: 'Injected fault: bad gateway. The request was not processed.' },
  503: { code: 'SERVICE_UNAVAILABLE', message: 'Injected fault: service unavailable. The request was not processed.' },
};

/** The fault a request draws: the rate limit first (every request counts), then its header, then the tenant's rules. */
function drawFault(request: FastifyRequest, operationId: string, tenant: Tenant, now: number): { action: FaultAction; description: string } | undefined {
  const limited = tenant.faults.limiter?.take(now);
  if (limited !== undefined && !limited.allowed) {
    return { action: { kind: 'status', status: 429, retryAfterSeconds: limited.retryAfterSeconds }, description: `rate limit (${tenant.faults.rateLimitPerMinute ?? 0}/min)` };
  }
  // Rules count every request they match, even one whose header overrides them, so a
  // schedule's positions do not depend on which requests carried the header.
  const drawn = tenant.faults.schedule.decide(operationId);
  const header = request.headers[FAULT_HEADER];
  if (typeof header === 'string') {
    try {
      const action = parseFaultAction(header);
      return { action, description: `${describeAction(action)} (${FAULT_HEADER} header)` };
    } catch (error) {
      if (error instanceof FaultSyntaxError) throw new MockError('INVALID_PARAMETER', `${FAULT_HEADER}: ${error.message}`);
      throw error;
    }
  }
  return drawn === undefined ? undefined : { action: drawn.action, description: `${describeAction(drawn.action)} (rule ${drawn.rule + 1})` };
}

async function injectTenantFault(
  request: FastifyRequest,
  reply: FastifyReply,
  operationId: string,
  tenant: Tenant,
  recorder: Recorder,
  wallClock: () => number,
): Promise<'none' | 'answered' | 'truncate'> {
  const fault = drawFault(request, operationId, tenant, wallClock());
  if (fault === undefined) return 'none';
  recorder.noteFault(request, fault.description);
  const { action } = fault;
  switch (action.kind) {
    case 'status': {
      const { code, message } = FAULT_ERRORS[action.status];
      const headers: Record<string, string> = action.retryAfterSeconds === undefined ? {} : { 'retry-after': String(action.retryAfterSeconds) };
      if (action.status === 429 && headers['retry-after'] === undefined) headers['retry-after'] = '1';
      await sendError(reply, new MockError(code, message), headers);
      return 'answered';
    }
    case 'latency':
      await new Promise((resolve) => setTimeout(resolve, action.ms));
      return 'none';
    case 'reset':
      // Dropped before processing: like a connection lost on the way in.
      reply.hijack();
      recorder.record(request, 0, null, reply.elapsedTime);
      request.raw.socket.destroy();
      return 'answered';
    case 'truncate':
      return 'truncate';
  }
}

/** Processed, then cut: headers promise the whole body, half of it arrives, the connection drops. */
function sendTruncated(request: FastifyRequest, reply: FastifyReply, result: OperationResult, recorder: Recorder): void {
  const text = result.body === undefined ? '' : JSON.stringify(result.body);
  reply.hijack();
  recorder.record(request, result.status, text, reply.elapsedTime);
  const raw = reply.raw;
  raw.writeHead(result.status, { 'content-type': JSON_CONTENT_TYPE, 'content-length': String(Math.max(Buffer.byteLength(text), 1)) });
  raw.write(text.slice(0, Math.floor(text.length / 2)), () => {
    request.raw.socket.destroy();
  });
}

function send(reply: FastifyReply, result: OperationResult): FastifyReply {
  // 202 from the event operations has no body, as the spec declares.
  if (result.body === undefined) return reply.code(result.status).send();
  return reply.code(result.status).type(JSON_CONTENT_TYPE).send(result.body);
}

/** A spec operation without a handler, or a handler without an operation, is a defect: fail at start. */
function assertHandlersMatchSpec(operations: readonly SpecOperation[], handlers: Readonly<Record<string, unknown>>): void {
  const inSpec = new Set(operations.map((operation) => operation.operationId));
  const missing = [...inSpec].filter((id) => !Object.hasOwn(handlers, id));
  const extra = Object.keys(handlers).filter((id) => !inSpec.has(id));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`handlers and spec disagree: missing handlers ${missing.join(', ') || '-'}; handlers without an operation ${extra.join(', ') || '-'}`);
  }
}

function groupByPath(operations: readonly SpecOperation[]): Map<string, SpecOperation[]> {
  const byPath = new Map<string, SpecOperation[]>();
  for (const operation of operations) {
    const list = byPath.get(operation.path);
    if (list === undefined) byPath.set(operation.path, [operation]);
    else list.push(operation);
  }
  return byPath;
}

/** `/v3/export-jobs/{jobId}/items` -> `/v3/export-jobs/:jobId/items`; a literal `:` (as in `items:search`) is `::`. */
function toFastifyPath(path: string): string {
  return path.replaceAll(':', '::').replace(/\{([^}]+)\}/g, ':$1');
}

function pathOf(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? url : url.slice(0, index);
}

function queryOf(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? '' : url.slice(index + 1);
}

function definedHeaders(headers: FastifyRequest['headers']): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) result[name] = value;
  return result;
}
