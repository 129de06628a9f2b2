/**
 * Both documents the server routes from are valid OpenAPI and every validator compiles. The
 * server initialises openapi-backend in quick mode (validators compiled on first use), so this is
 * where a schema that ajv cannot compile is caught, instead of at a client's request.
 */
import addFormats from 'ajv-formats';
import { OpenAPIBackend } from 'openapi-backend';
import { describe, expect, it } from 'vitest';
import { loadAdminApiSpec, loadNormalizedExportApiSpec } from './load-spec.js';

describe.each([
  ['the normalized Export API', loadNormalizedExportApiSpec],
  ['the admin API', loadAdminApiSpec],
])('%s', (_name, load) => {
  it('is valid OpenAPI 3.0 and compiles every request and response validator', async () => {
    const api = new OpenAPIBackend({
      definition: load(),
      strict: true,
      customizeAjv: (ajv) => {
        addFormats.default(ajv, ['uuid', 'date-time', 'date', 'uri', 'int32', 'int64']);
        return ajv;
      },
    });
    await api.init();
    for (const operation of api.getOperations()) {
      expect(() => api.validator.getRequestValidatorsForOperation(operation.operationId ?? '')).not.toThrow();
      expect(() => api.validator.getStatusBasedResponseValidatorForOperation(operation.operationId ?? '')).not.toThrow();
    }
    expect(api.getOperations().length).toBeGreaterThan(0);
  });
});
