/**
 * Judges a server's responses against the normalized Export API spec, like the tests' client
 * does (test/support/spec-client.ts): a status the operation declares, a JSON body valid against
 * the declared schema (or no body where none is declared), and ExceptionInfo for errors.
 * This is the contract suite's one boundary to openapi-backend, whose types are `any`.
 */
import addFormats from 'ajv-formats';
import { OpenAPIBackend, type Operation } from 'openapi-backend';
import { loadNormalizedExportApiSpec } from '../spec/load-spec.js';
import type { Exchange } from './server-http.js';
import { exceptionInfoProblems } from './server-wire.js';

/**
 * Validates exchanges against the normalized spec.
 * @example
 * const spec = await ResponseSpecChecker.create();
 * spec.problems(exchange) // [] when the response conforms
 */
export class ResponseSpecChecker {
  private constructor(private readonly api: OpenAPIBackend) {}

  static async create(): Promise<ResponseSpecChecker> {
    const api = new OpenAPIBackend({
      definition: loadNormalizedExportApiSpec(),
      // `quick` skips validating the document itself (a test does that, src/spec/quirks.test.ts)
      // and compiles each operation's validators on first use: a run starts in ~0.1 s, not ~1.3 s.
      quick: true,
      strict: true,
      customizeAjv: (ajv) => {
        // ajv-formats is CommonJS; its callable plugin is `.default` under Node's ESM interop.
        addFormats.default(ajv);
        return ajv;
      },
    });
    await api.init();
    return new ResponseSpecChecker(api);
  }

  /** The operationId a request matches, if any. */
  operationId(exchange: Exchange): string | undefined {
    return this.match(exchange)?.operationId;
  }

  /** Problems with an exchange's response; empty when it conforms or when no answer arrived. */
  problems(exchange: Exchange): string[] {
    if (exchange.status === 0) return []; // no response to judge; the probe that sent it reports the failure
    const operation = this.match(exchange);
    if (operation === undefined) return [`no operation of the spec matches ${exchange.method} ${pathOf(exchange.url)}`];
    const name = operation.operationId ?? `${exchange.method} ${operation.path}`;
    const responses = operation.responses ?? {};
    const key = Object.hasOwn(responses, String(exchange.status)) ? String(exchange.status) : Object.hasOwn(responses, 'default') ? 'default' : undefined;
    if (key === undefined) return [`${name} does not declare status ${exchange.status}`];
    const declared = responses[key];
    const declaresBody = declared !== undefined && !('$ref' in declared) && declared.content !== undefined;
    if (exchange.failure !== undefined) return [`the response was cut off: ${exchange.failure}`];
    if (exchange.text === '') return declaresBody ? [`${name} ${exchange.status} declares a body, but the response is empty`] : [];
    const problems: string[] = [];
    if (!declaresBody) problems.push(`${name} ${exchange.status} declares no body, but one was sent`);
    if (!/^application\/json(;\s*charset=utf-8)?$/i.test(exchange.contentType)) problems.push(`content-type is '${exchange.contentType}', not JSON`);
    if (exchange.jsonError !== undefined) return [...problems, `the body is not JSON (${exchange.jsonError})`];
    if (exchange.status >= 400) problems.push(...exceptionInfoProblems(exchange.json));
    if (declaresBody) {
      const result = this.api.validateResponse(exchange.json, operation, exchange.status);
      for (const error of result.errors ?? []) problems.push(`${name} ${exchange.status}: ${error.instancePath === '' ? '(body)' : error.instancePath} ${error.message ?? error.keyword}`);
    }
    return problems;
  }

  private match(exchange: Exchange): Operation | undefined {
    return this.api.matchOperation({ method: exchange.method, path: pathOf(exchange.url), headers: {} });
  }
}

function pathOf(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? url : url.slice(0, index);
}
