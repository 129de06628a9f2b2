/**
 * The one boundary to openapi-backend, whose types are `any` at the core: request and response
 * validation against the normalized spec, with results narrowed to what the server needs.
 * Routing is Fastify's (find-my-way), built from the same spec's paths (see app.ts).
 */
import addFormats from 'ajv-formats';
import { OpenAPIBackend, type Operation, type ValidationResult } from 'openapi-backend';
import type { OpenAPIV3 } from 'openapi-types';
import { MockError } from '../core/errors.js';
import { validationError, type ValidationIssue } from './validation-errors.js';

/** One operation of the spec, as the router needs it. */
export interface SpecOperation {
  readonly operationId: string;
  readonly method: string;
  /** The OpenAPI path template, e.g. `/v3/export-jobs/{jobId}/items`. */
  readonly path: string;
}

/** A raw request, as it reached the server. */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  /** The query string without `?`; parsed by openapi-backend so repeated keys become arrays. */
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: unknown;
}

/** A request that passed validation, with path and query values coerced to their schema types. */
export interface ValidatedRequest {
  readonly params: Readonly<Record<string, unknown>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

/** Validates requests and responses of the Export API against its normalized spec. */
export class SpecValidator {
  private constructor(
    private readonly api: OpenAPIBackend,
    private readonly byOperationId: ReadonlyMap<string, Operation>,
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
        return ajv;
      },
    });
    await api.init();
    const byOperationId = new Map<string, Operation>();
    for (const operation of api.getOperations()) {
      if (operation.operationId !== undefined) byOperationId.set(operation.operationId, operation);
    }
    return new SpecValidator(api, byOperationId);
  }

  /** Every operation of the spec. */
  operations(): SpecOperation[] {
    return [...this.byOperationId.values()].map(({ operationId, method, path }) => ({ operationId: operationId ?? '', method: method.toUpperCase(), path }));
  }

  /** Validates a request for an operation; throws a MockError naming what was wrong. */
  validateRequest(operationId: string, request: RawRequest): ValidatedRequest {
    const operation = this.operation(operationId);
    const queryParameters = (operation.parameters ?? []).flatMap((parameter) => ('in' in parameter && parameter.in === 'query' ? [parameter.name] : []));
    // Checked on the raw names: openapi-backend's query parsing drops names such as `constructor`
    // or `__proto__` and reads `a[b]=` as nested, so such names would be silently ignored.
    const unknown = [...new URLSearchParams(request.query).keys()].find((name) => !queryParameters.includes(name));
    if (unknown !== undefined) {
      throw new MockError('INVALID_PARAMETER', `${unknown}: not a query parameter of this operation; it accepts ${queryParameters.length > 0 ? queryParameters.join(', ') : 'none'}`);
    }
    const input = { method: request.method, path: request.path, query: request.query, headers: request.headers, body: request.body };
    const result: ValidationResult = this.api.validateRequest(input, operation);
    const parsed = this.api.router.parseRequest(input, operation);
    const params = asRecord(parsed.params);
    const query = asRecord(parsed.query);
    if (!result.valid) {
      const issues = (result.errors ?? []).map((error): ValidationIssue => ({
        instancePath: error.instancePath,
        keyword: error.keyword,
        params: asRecord(error.params),
        message: error.message,
      }));
      throw validationError(issues, { path: params, query, requestBody: request.body, queryParameters });
    }
    const coerced = asRecord(result.coerced);
    return { params: asRecord(coerced.params ?? params), query: asRecord(coerced.query ?? query), body: request.body };
  }

  /** Validates a response body; returns readable problems (empty when valid). */
  validateResponse(operationId: string, status: number, body: unknown): string[] {
    const result = this.api.validateResponse(body, this.operation(operationId), status);
    return (result.errors ?? []).map((error) => `${error.instancePath === '' ? '(body)' : error.instancePath} ${error.message ?? error.keyword}`);
  }

  private operation(operationId: string): Operation {
    const operation = this.byOperationId.get(operationId);
    if (operation === undefined) throw new MockError('INTERNAL_ERROR', `no operation ${operationId} in the spec`);
    return operation;
  }
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
