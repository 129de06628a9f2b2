/**
 * Builds the Fastify application of one mock server. It never listens: `server.ts` does, so
 * tests can also drive the app in-process.
 *
 * This module wires the parts together: the spec's routes (spec-routes.ts), tenants, the
 * journal recorder (request-recorder.ts), authentication and faults (fault-injection.ts), the
 * docs, and the one error path (error-handler.ts).
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { MockError } from '../core/errors.js';
import type { ExportStore } from '../core/export-store.js';
import type { StateSnapshot } from '../core/model.js';
import type { PageSizeConfig } from '../core/pagination.js';
import { generateDefaultScenario } from '../fixtures/default-scenario.js';
import { loadFixtureDocument } from '../fixtures/fixture-document.js';
import { ExportItemFactory } from '../fixtures/export-item-payload.js';
import { ExportItemJsonCache } from './export-item-cache.js';
import { createIdGenerator } from '../fixtures/ids.js';
import { loadAdminApiSpec, loadFixtureDocumentSchema, loadNormalizedExportApiSpec } from '../spec/load-spec.js';
import { ADMIN_TOKEN_HEADER, assertAdminAccess } from './admin-access.js';
import { ADMIN_OPERATIONS } from './admin-operations.js';
import { authorize, OPERATION_SCOPES, type AuthMode, type Scope } from './auth.js';
import type { MockClock } from './clock.js';
import { answerClientError, JSON_CONTENT_TYPE, sendError, toMockError } from './error-handler.js';
import { injectTenantFault, type FaultInjector } from './fault-injection.js';
import { assertKnownOperations, type FaultRule } from './faults.js';
import { DeferredBodyError, parseJsonBody } from './json-body.js';
import { DEFAULT_JOURNAL_BYTES } from './journal.js';
import { OPERATIONS } from './operations.js';
import type { OperationHooks } from './operations/context.js';
import { noteBodyText, pathOf, registerRequestNotes } from './request-context.js';
import { recordRequests } from './request-recorder.js';
import { registerSpecRoutes } from './spec-routes.js';
import { SpecValidator, type SpecOperation } from './spec-validator.js';
import { restoreStateFile, StateFileWriter } from './state-file.js';
import { TenantRegistry, type Tenant } from './tenants.js';
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
  /**
   * Start from this fixture document (`--fixtures`; see openapi/fixture-document.schema.json)
   * instead of the seeded default scenario. A document that does not fit throws
   * FixtureDocumentError naming the bad field.
   */
  readonly fixtures?: unknown;
  /**
   * Keep the state in this file (`--state-file`): restored at start when it exists, rewritten
   * atomically after every change. A file that exists but cannot be used throws StateFileError.
   */
  readonly stateFile?: string;
  /** Deliver `v1.export-job.created` here when a job is created (`--webhook-url`). */
  readonly webhookUrl?: string;
  /** Signing secret of the webhook (`--webhook-secret`); `whsec_<base64>` as Standard Webhooks writes it. */
  readonly webhookSecret?: string;
  /** Real time, for webhook timestamps and the rate limit (clients wait in real time); injectable for tests. */
  readonly wallClock?: () => number;
  /** Entries each tenant's request journal keeps (`--journal-size`). */
  readonly journalSize?: number;
  /** Bytes of bodies each tenant's journal keeps, the oldest entries' dropped first (`--journal-bytes`). */
  readonly journalBytes?: number;
  /** Fault rules every tenant starts with (`--fault`). */
  readonly faults?: readonly FaultRule[];
  /** Requests per sliding minute each tenant may send (`--rate-limit`); none by default. */
  readonly rateLimitPerMinute?: number;
  /** How strict authentication is (`--auth`); `any` by default. */
  readonly auth?: AuthMode;
  /** The credentials and scopes of `--auth listed` (`--credentials FILE`). */
  readonly credentials?: ReadonlyMap<string, readonly Scope[]>;
  /**
   * Token the admin API requires in `x-mock-admin-token` (`--admin-token`). Without one, the
   * admin API answers only clients on loopback.
   */
  readonly adminToken?: string;
}

/** The defaults of {@link MockServerOptions}. */
export const DEFAULTS = {
  seed: 42,
  startTime: Date.UTC(2026, 0, 5, 9, 0, 0),
  frozenClock: false,
  defaultPageSize: 20,
  maxPageSize: 100,
  bodyLimit: 1024 * 1024,
  /** Admin bodies carry whole fixture documents (a million items is about 60 MB of JSON). */
  adminBodyLimit: 512 * 1024 * 1024,
  webhookSecret: 'whsec_cGxlby1leHBvcnQtbW9jay1kZXZlbG9wbWVudA==',
  journalSize: 1000,
  journalBytes: DEFAULT_JOURNAL_BYTES,
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
  if (options.state !== undefined && options.fixtures !== undefined) throw new Error('give state or fixtures, not both');
  const startup = options.state ?? (options.fixtures !== undefined ? loadFixtureDocument(options.fixtures, { seed, now: startTime }) : generateDefaultScenario({ seed, now: startTime }));
  const tenants = new TenantRegistry({
    startup,
    seed,
    startTime,
    frozenClock: options.frozenClock ?? DEFAULTS.frozenClock,
    journalSize: options.journalSize ?? DEFAULTS.journalSize,
    journalBytes: options.journalBytes ?? DEFAULTS.journalBytes,
    faultRules: options.faults ?? [],
    rateLimitPerMinute: options.rateLimitPerMinute ?? null,
  });
  // Restored before the app exists, so a bad file stops the start before anything listens.
  if (options.stateFile !== undefined) restoreStateFile(options.stateFile, tenants, seed);
  const exportItems = new ExportItemJsonCache(new ExportItemFactory(seed));
  const pageSize: PageSizeConfig = {
    defaultLimit: options.defaultPageSize ?? DEFAULTS.defaultPageSize,
    maxLimit: options.maxPageSize ?? DEFAULTS.maxPageSize,
  };

  const app = Fastify({
    // Logs go to stderr: stdout carries only the base URL, for scripts to capture.
    logger: options.logLevel === undefined || options.logLevel === false ? false : { level: options.logLevel, stream: process.stderr },
    bodyLimit: options.bodyLimit ?? DEFAULTS.bodyLimit,
    // A long path parameter reaches validation, which names it, or the 404 of an unknown route
    // (Fastify's default cap is 100 characters). Node's 16 KiB header limit bounds the URL anyway.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 16 * 1024 },
    clientErrorHandler: answerClientError,
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

  const wallClock = options.wallClock ?? (() => Date.now());
  registerRequestNotes(app);
  const recorder = recordRequests(app, tenants, wallClock);
  app.setErrorHandler((error, request, reply) => {
    const mockError = toMockError(error);
    if (mockError.code === 'INTERNAL_ERROR') request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, mockError);
  });
  // JSON is the only body this API takes: anything else is 415 (Fastify would parse text/plain).
  // A body that cannot be used is not refused here: parsing runs before routing, and a wrong path
  // or method must still answer 404 or 405. The problem travels as a DeferredBodyError, raised by
  // the route once it knows the operation (spec-routes.ts). An empty body is no body at all.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    noteBodyText(request, text);
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, parseJsonBody(text));
    } catch (error) {
      done(null, new DeferredBodyError(toMockError(error)));
    }
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    noteBodyText(request, text);
    done(null, text === '' ? undefined : new DeferredBodyError(new MockError('UNSUPPORTED_MEDIA_TYPE', 'body: Content-Type must be application/json')));
  });
  // Checked on arrival, before a (possibly large) admin body is even read, and for unknown admin
  // paths too (nothing to probe). Callback style: every request passes here, and an async hook
  // costs a promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/__admin')) {
      done();
      return;
    }
    try {
      assertAdminAccess(options.adminToken, request.socket.remoteAddress, request.headers[ADMIN_TOKEN_HEADER]);
    } catch (error) {
      if (!(error instanceof MockError)) {
        done(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      // Answered here: the lifecycle stops without `done`.
      sendError(reply, error, error.code === 'UNAUTHORIZED' ? { 'www-authenticate': ADMIN_TOKEN_HEADER } : {});
      return;
    }
    done();
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
  const fixtureSchema = loadFixtureDocumentSchema();
  app.get('/fixture-document.schema.json', { schema: { hide: true } }, (_request, reply) => reply.type(JSON_CONTENT_TYPE).send(fixtureSchema));

  const stateWriter = options.stateFile === undefined ? undefined : new StateFileWriter(options.stateFile, tenants, { error: (message) => { app.log.error(message); } });
  // Creates the file on a first start, and fails the start now if it cannot be written.
  app.addHook('onClose', async () => {
    await stateWriter?.idle();
  });
  try {
    await stateWriter?.writeAll();
  } catch (error) {
    await app.close();
    throw error;
  }
  const stateChanging = new Set([...validator.operations().filter((operation) => operation.method !== 'GET').map((operation) => operation.operationId), ...STATE_CHANGING_ADMIN_OPERATIONS]);
  const persist = (operationId: string, tenant: Tenant): Promise<void> | undefined =>
    stateWriter !== undefined && stateChanging.has(operationId) ? stateWriter.persist(tenant) : undefined;

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
  registerSpecRoutes(app, {
    tenants,
    validator,
    gate: injectFault,
    recorder,
    persist,
    dispatch: (operationId, request, { store, clock }) => {
      const handler = OPERATIONS[operationId];
      if (handler === undefined) throw new MockError('INTERNAL_ERROR', `no handler for ${operationId}`);
      return handler({ request, store, clock, pageSize, exportItems, hooks });
    },
  });
  // The admin API acts on the tenant of the credential it is called with.
  registerSpecRoutes(app, {
    tenants,
    validator: adminValidator,
    recorder,
    persist,
    bodyLimit: DEFAULTS.adminBodyLimit,
    dispatch: (operationId, request, tenant) => {
      const handler = ADMIN_OPERATIONS[operationId];
      if (handler === undefined) throw new MockError('INTERNAL_ERROR', `no handler for ${operationId}`);
      return handler({ request, tenant, operationIds, seed });
    },
  });

  const { store, clock } = tenants.defaultTenant;
  return { app, store, clock, tenants, validator };
}

/**
 * Admin operations after which --state-file is rewritten: those that change a tenant's state or
 * clock (not the journal or faults, which are not saved). For the Export API it is every
 * operation that is not a GET (the POST of `items:search` only reads: one write too many).
 */
const STATE_CHANGING_ADMIN_OPERATIONS: ReadonlySet<string> = new Set(['replaceState', 'resetState', 'moveClock']);

/** A spec operation without a handler, or a handler without an operation, is a defect: fail at start. */
function assertHandlersMatchSpec(operations: readonly SpecOperation[], handlers: Readonly<Record<string, unknown>>): void {
  const inSpec = new Set(operations.map((operation) => operation.operationId));
  const missing = [...inSpec].filter((id) => !Object.hasOwn(handlers, id));
  const extra = Object.keys(handlers).filter((id) => !inSpec.has(id));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`handlers and spec disagree: missing handlers ${missing.join(', ') || '-'}; handlers without an operation ${extra.join(', ') || '-'}`);
  }
}
