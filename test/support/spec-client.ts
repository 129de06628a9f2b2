/**
 * The HTTP client of the tests. Every response it receives is checked against `openapi/` (the
 * normalized spec) before the test sees it: a status the operation does not declare, a body that
 * does not match the declared schema, a wrong content type, or an error that is not
 * ExceptionInfo fails the test that made the request.
 */
import addFormats from 'ajv-formats';
import { OpenAPIBackend, type Operation } from 'openapi-backend';
import { request as undiciRequest } from 'undici';
import { loadAdminApiSpec, loadNormalizedExportApiSpec } from '../../src/spec/load-spec.js';

/** A response that passed spec validation. */
export interface SpecResponse<T = unknown> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: T;
  readonly text: string;
}

/** Options of one request. */
export interface RequestOptions {
  /** A JSON body (serialised, sent as `application/json`). */
  readonly json?: unknown;
  /** A raw body, sent as is (with the headers given). */
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Validates responses against the normalized Export API spec and the admin API spec. */
export class ResponseValidator {
  private constructor(private readonly apis: readonly OpenAPIBackend[]) {}

  static async create(): Promise<ResponseValidator> {
    const apis = [loadNormalizedExportApiSpec(), loadAdminApiSpec()].map(
      (definition) =>
        new OpenAPIBackend({
          definition,
          strict: true,
          customizeAjv: (ajv) => {
            addFormats.default(ajv);
            return ajv;
          },
        }),
    );
    await Promise.all(apis.map((api) => api.init()));
    return new ResponseValidator(apis);
  }

  /** Problems with a response; empty when it conforms. */
  problems(method: string, path: string, status: number, contentType: string, text: string): string[] {
    const match = this.match(method, path);
    if (text === '') {
      // Only a response the spec declares without content may be empty (the 202 of events).
      const declared = match?.operation.responses?.[String(status)];
      if (declared === undefined || '$ref' in declared || declared.content !== undefined) return [`empty body for ${method} ${path} ${status}, which the spec does not declare as bodiless`];
      return [];
    }
    const problems: string[] = [];
    if (!/^application\/json(;\s*charset=utf-8)?$/i.test(contentType)) problems.push(`content-type is '${contentType}', not JSON`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [...problems, `body is not JSON: ${text.slice(0, 200)}`];
    }
    if (status >= 400) problems.push(...exceptionInfoProblems(body));
    if (match === undefined) {
      if (status !== 404 && status !== 405) problems.push(`no operation matches ${method} ${path}, yet the status is ${status}`);
      return problems;
    }
    const { api, operation } = match;
    const responses = operation.responses ?? {};
    if (!Object.hasOwn(responses, String(status)) && !Object.hasOwn(responses, 'default')) {
      problems.push(`${operation.operationId ?? '?'} does not declare status ${status}`);
    }
    const result = api.validateResponse(body, operation, status);
    for (const error of result.errors ?? []) problems.push(`${operation.operationId ?? '?'} ${status}: ${error.instancePath || '(body)'} ${error.message ?? error.keyword}`);
    return problems;
  }

  private match(method: string, path: string): { api: OpenAPIBackend; operation: Operation } | undefined {
    for (const api of this.apis) {
      const operation: Operation | undefined = api.matchOperation({ method, path, headers: {} });
      if (operation !== undefined) return { api, operation };
    }
    return undefined;
  }
}

function exceptionInfoProblems(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return ['error body is not an object'];
  const record = body as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof record.type !== 'string' || !/^[A-Z][A-Z_]+$/.test(record.type)) problems.push(`error type is not a SCREAMING_SNAKE string: ${JSON.stringify(record.type)}`);
  if (typeof record.message !== 'string' || record.message.length === 0) problems.push('error has no message');
  const extra = Object.keys(record).filter((key) => key !== 'type' && key !== 'message');
  if (extra.length > 0) problems.push(`error has fields beyond ExceptionInfo: ${extra.join(', ')}`);
  return problems;
}

/** An HTTP client whose every response is validated against the spec. */
export class SpecClient {
  /** How many responses this client validated. */
  validated = 0;

  constructor(
    readonly baseUrl: string,
    private readonly validator: ResponseValidator,
  ) {}

  /** Sends a request; throws when the response breaks the spec. */
  async request<T = unknown>(method: string, pathAndQuery: string, options: RequestOptions = {}): Promise<SpecResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined = options.raw;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    }
    const response = await undiciRequest(`${this.baseUrl}${pathAndQuery}`, { method: method as 'GET', headers, body });
    const text = await response.body.text();
    const flatHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) flatHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
    const path = pathAndQuery.split('?')[0] ?? pathAndQuery;
    const problems = this.validator.problems(method, path, response.statusCode, flatHeaders['content-type'] ?? '', text);
    if (problems.length > 0) {
      throw new Error(`${method} ${pathAndQuery} -> ${response.statusCode} breaks the spec:\n  ${problems.join('\n  ')}\n  body: ${text.slice(0, 500)}`);
    }
    this.validated++;
    return { status: response.statusCode, headers: flatHeaders, body: (text === '' ? undefined : JSON.parse(text)) as T, text };
  }

  get<T = unknown>(pathAndQuery: string, options?: RequestOptions): Promise<SpecResponse<T>> {
    return this.request<T>('GET', pathAndQuery, options);
  }

  put<T = unknown>(pathAndQuery: string, json: unknown, options?: RequestOptions): Promise<SpecResponse<T>> {
    return this.request<T>('PUT', pathAndQuery, { ...options, json });
  }

  post<T = unknown>(pathAndQuery: string, json: unknown, options?: RequestOptions): Promise<SpecResponse<T>> {
    return this.request<T>('POST', pathAndQuery, { ...options, json });
  }
}
