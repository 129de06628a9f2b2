/**
 * The one boundary to openapi-backend, whose types are `any` at the core: request and response
 * validation against the normalized spec, with results narrowed to what the server needs.
 * Routing is Fastify's (find-my-way), built from the same spec's paths (see app.ts).
 */
import type { Ajv, FormatDefinition } from 'ajv';
import addFormats from 'ajv-formats';
import { OpenAPIBackend, type Operation } from 'openapi-backend';
import type { OpenAPIV3 } from 'openapi-types';
import { MockError } from '../core/errors.js';
import { rememberLast } from '../core/identity-cache.js';
import { validationError, type ValidationIssue } from './validation-errors.js';

/** One operation of the spec, as the router needs it. */
export interface SpecOperation {
  readonly operationId: string;
  readonly method: string;
  /** The OpenAPI path template, e.g. `/v3/export-jobs/{jobId}/items`. */
  readonly path: string;
}

/** A request as Fastify parsed it, for one operation. */
export interface RawRequest {
  /** Path parameters, decoded by the router. */
  readonly params: Readonly<Record<string, string>>;
  /** The query string without `?`. Repeated names become arrays. */
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
}

/** A request that passed validation, with path and query values coerced to their schema types. */
export interface ValidatedRequest {
  readonly params: Readonly<Record<string, unknown>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

/** What validation needs of one operation, computed once. */
interface CompiledOperation {
  readonly operation: Operation;
  /** The declared query parameters, in spec order (named in the error for an unknown one). */
  readonly queryParameters: readonly string[];
  /** Query parameters whose schema is an array: a name sent once is a one-element array. */
  readonly arrayQueryParameters: ReadonlySet<string>;
  /** Whether the operation declares header parameters (validated only then). */
  readonly hasHeaderParameters: boolean;
}

/** The parameters object openapi-backend's compiled validators take (its instance paths name these areas). */
interface ValidationInput {
  path: Record<string, unknown>;
  query: Record<string, string | string[]>;
  header?: Readonly<Record<string, string | string[] | undefined>>;
  requestBody?: unknown;
}

/**
 * Makes ajv-formats' `date-time` check remember its last answer. A batch of item results often
 * stamps every item with one `exportedAt`, and the full RFC 3339 check (calendar included) was
 * about 9% of the CPU of a PUT of 100 such results. Same check, same answers.
 */
function rememberLastDateTime(ajv: Ajv): void {
  const format = ajv.formats['date-time'];
  if (!isSyncStringFormat(format)) return;
  const check = format.validate;
  if (typeof check === 'function') ajv.addFormat('date-time', { ...format, validate: rememberLast(check) });
}

function isSyncStringFormat(format: Ajv['formats'][string]): format is FormatDefinition<string> {
  return typeof format === 'object' && !(format instanceof RegExp) && format.async !== true && format.type !== 'number';
}

/** Validates requests and responses of the Export API against its normalized spec. */
export class SpecValidator {
  private constructor(
    private readonly api: OpenAPIBackend,
    /** Every operation of the spec by operationId, with what validation needs of it. */
    private readonly compiled: ReadonlyMap<string, CompiledOperation>,
  ) {}

  /** Compiles validators for a normalized document (it is copied: openapi-backend dereferences in place). */
  static async create(document: OpenAPIV3.Document): Promise<SpecValidator> {
    const api = new OpenAPIBackend({
      definition: structuredClone(document),
      // `quick` skips re-validating the document against the OpenAPI meta-schema at every start
      // (over a second) and compiles each operation's validators on first use. The document's
      // validity is a test (src/spec/quirks.test.ts), not a start-up cost.
      quick: true,
      validate: true,
      coerceTypes: true,
      // ajv-formats is CommonJS; its callable plugin is `.default` under Node's ESM interop.
      customizeAjv: (ajv) => {
        addFormats.default(ajv, ['uuid', 'date-time', 'date', 'uri', 'int32', 'int64']);
        rememberLastDateTime(ajv);
        return ajv;
      },
    });
    await api.init();
    const compiled = new Map<string, CompiledOperation>();
    for (const operation of api.getOperations()) {
      if (operation.operationId !== undefined) compiled.set(operation.operationId, compileOperation(operation));
    }
    return new SpecValidator(api, compiled);
  }

  /** Every operation of the spec. */
  operations(): SpecOperation[] {
    return [...this.compiled.values()].map(({ operation: { operationId, method, path } }) => ({ operationId: operationId ?? '', method: method.toUpperCase(), path }));
  }

  /**
   * Validates a request for an operation; throws a MockError naming what was wrong.
   *
   * The schemas and compiled ajv functions are openapi-backend's (built from the spec on first
   * use), but they are fed Fastify's already-routed request: openapi-backend's own
   * `validateRequest` re-parses the path and query of every request (qs, path templates), which
   * cost a third of the CPU of a list request. What it adds besides is reproduced here: a query
   * name sent once for an array parameter is a one-element array, and the body is validated
   * whenever the operation declares one.
   */
  validateRequest(operationId: string, request: RawRequest): ValidatedRequest {
    const compiled = this.compiledOperation(operationId);
    const query = parseQuery(request.query, compiled);
    const input: ValidationInput = { path: { ...request.params }, query };
    if (compiled.hasHeaderParameters) input.header = request.headers;
    if (compiled.operation.requestBody !== undefined) input.requestBody = request.body;
    const issues: ValidationIssue[] = [];
    // In openapi-backend's order (body, then parameters): the first issue is the one reported.
    for (const validate of this.api.validator.getRequestValidatorsForOperation(operationId)) {
      if (validate(input)) continue;
      for (const error of validate.errors ?? []) {
        issues.push({ instancePath: error.instancePath, keyword: error.keyword, params: asRecord(error.params), message: error.message });
      }
    }
    if (issues.length > 0) {
      throw validationError(issues, { path: input.path, query: input.query, requestBody: request.body });
    }
    return { params: input.path, query: input.query, body: request.body };
  }

/** Validates a response body; returns readable problems (empty when valid). */
  validateResponse(operationId: string, status: number, body: unknown): string[] {
    const result = this.api.validateResponse(body, this.operation(operationId), status);
    return (result.errors ?? []).map((error) => `${error.instancePath === '' ? '(body)' : error.instancePath} ${error.message ?? error.keyword}`);
  }

  private operation(operationId: string): Operation {
    return this.compiledOperation(operationId).operation;
  }

  private compiledOperation(operationId: string): CompiledOperation {
    const compiled = this.compiled.get(operationId);
    if (compiled === undefined) throw new MockError('INTERNAL_ERROR', `no operation ${operationId} in the spec`);
    return compiled;
  }
}

function compileOperation(operation: Operation): CompiledOperation {
  const queryParameters: string[] = [];
  const arrayQueryParameters = new Set<string>();
  let hasHeaderParameters = false;
  for (const parameter of operation.parameters ?? []) {
    if (!('in' in parameter)) continue;
    if (parameter.in === 'header') hasHeaderParameters = true;
    if (parameter.in !== 'query') continue;
    const schema = parameter.schema !== undefined && !('$ref' in parameter.schema) ? parameter.schema : undefined;
    // Query parameters in other serializations (JSON content, non-exploded arrays) would need
    // parsing this validator does not do: refuse the spec at start rather than misread requests.
    if (parameter.content !== undefined || (schema?.type === 'array' && parameter.explode === false)) {
      throw new Error(`${operation.operationId ?? operation.path}: query parameter ${parameter.name} uses a serialization this mock does not parse`);
    }
    queryParameters.push(parameter.name);
    if (schema?.type === 'array') arrayQueryParameters.add(parameter.name);
  }
  return { operation, queryParameters, arrayQueryParameters, hasHeaderParameters };
}

/**
 * The query as the validators take it. Names are checked raw, before anything reads them: an
 * unknown one is refused rather than ignored, since a misspelt filter (the how-tos write
 * `companyId` for `company_id`) would otherwise silently return unfiltered data, and names such
 * as `constructor` or `statuses[]` must not reach an object as keys with special meaning.
 */
function parseQuery(text: string, compiled: CompiledOperation): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (text === '') return query;
  for (const [name, value] of new URLSearchParams(text)) {
    if (!compiled.queryParameters.includes(name)) {
      const accepted = compiled.queryParameters;
      throw new MockError('INVALID_PARAMETER', `${name}: not a query parameter of this operation; it accepts ${accepted.length > 0 ? accepted.join(', ') : 'none'}`);
    }
    const previous = query[name];
    if (previous === undefined) query[name] = compiled.arrayQueryParameters.has(name) ? [value] : value;
    else if (Array.isArray(previous)) previous.push(value);
    else query[name] = [previous, value];
  }
  return query;
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
