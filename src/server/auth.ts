/**
 * How strict authentication is (`--auth`): `any` accepts every request (the default, for local
 * development); `wellformed` requires a well-formed credential, Bearer or Basic with the API key
 * as user name (401 otherwise); `listed` accepts only credentials listed in a file, each with its
 * scopes (401 for an unknown credential, 403 when the operation's scope is missing).
 */
import { MockError } from '../core/errors.js';

/** The three modes of `--auth`. */
export const AUTH_MODES = ['any', 'wellformed', 'listed'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** Pleo's scopes (api-notes.md section 6). */
export const SCOPES = ['export-jobs:read', 'export-jobs:write', 'export-items:read'] as const;
export type Scope = (typeof SCOPES)[number];

/** The scope each Export API operation needs. The app refuses to start if an operation is missing. */
export const OPERATION_SCOPES: Readonly<Record<string, Scope>> = {
  getExportJobsListV3: 'export-jobs:read',
  getExportJobsListV2: 'export-jobs:read',
  getExportJobByIdV3: 'export-jobs:read',
  getExportJobByIdV2: 'export-jobs:read',
  getExportJobItemsV3: 'export-jobs:read',
  getExportJobItemsV2: 'export-jobs:read',
  getExportJobItemV3: 'export-jobs:read',
  searchExportJobItemsV3: 'export-jobs:read',
  createExportJobV3: 'export-jobs:write',
  createExportJobV2: 'export-jobs:write',
  createExportJobEventV3: 'export-jobs:write',
  createExportJobEventV2: 'export-jobs:write',
  updateExportJobItemsV3: 'export-jobs:write',
  updateExportJobItemsV2: 'export-jobs:write',
  updateExportJobItemsV1: 'export-jobs:write',
  getExportItemsV3: 'export-items:read',
  getExportItemsV2: 'export-items:read',
};

/** A credential of the `listed` mode. */
export interface ListedCredential {
  /** The bearer token or API key. */
  readonly credential: string;
  readonly scopes: readonly Scope[];
}

/** What a request presented. */
export type PresentedCredential = { readonly kind: 'none' } | { readonly kind: 'malformed'; readonly reason: string } | { readonly kind: 'valid'; readonly credential: string };

// RFC 6750's token68 alphabet, which JWTs and Pleo's API keys both fit.
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Reads an Authorization header: Bearer <token>, or Basic base64("<api key>:"). */
export function presentedCredential(authorization: string | undefined): PresentedCredential {
  if (authorization === undefined || authorization.trim() === '') return { kind: 'none' };
  const [scheme = '', value = '', ...extra] = authorization.trim().split(/\s+/);
  if (extra.length > 0 || value === '') return { kind: 'malformed', reason: 'expected "Bearer <token>" or "Basic <base64 of api-key:>"' };
  if (scheme.toLowerCase() === 'bearer') {
    return TOKEN68.test(value) ? { kind: 'valid', credential: value } : { kind: 'malformed', reason: 'the bearer token has characters a token cannot have' };
  }
  if (scheme.toLowerCase() === 'basic') {
    if (!/^[A-Za-z0-9+/]+=*$/.test(value)) return { kind: 'malformed', reason: 'the Basic credential is not base64' };
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return { kind: 'malformed', reason: 'the Basic credential must be "<api key>:" (the API key as user name, an empty password)' };
    return { kind: 'valid', credential: decoded.slice(0, colon) };
  }
  return { kind: 'malformed', reason: `the scheme "${scheme}" is not Bearer or Basic` };
}

/** Checks a request's credential for an operation under a mode; throws UNAUTHORIZED or FORBIDDEN. */
export function authorize(mode: AuthMode, authorization: string | undefined, operationId: string, listed: ReadonlyMap<string, readonly Scope[]>): void {
  if (mode === 'any') return;
  const presented = presentedCredential(authorization);
  if (presented.kind === 'none') throw new MockError('UNAUTHORIZED', 'Authorization: a credential is required (Bearer token or Basic with the API key as user name).');
  if (presented.kind === 'malformed') throw new MockError('UNAUTHORIZED', `Authorization: ${presented.reason}.`);
  if (mode === 'wellformed') return;
  const scopes = listed.get(presented.credential);
  if (scopes === undefined) throw new MockError('UNAUTHORIZED', 'Authorization: this credential is not known to the mock (see --credentials).');
  const needed = OPERATION_SCOPES[operationId];
  if (needed !== undefined && !scopes.includes(needed)) {
    throw new MockError('FORBIDDEN', `${operationId} needs the scope ${needed}; this credential has ${scopes.length > 0 ? scopes.join(', ') : 'no scopes'}.`);
  }
}

/** Reads a credentials document (`{credentials: [{credential, scopes}]}`), naming the path of anything wrong. */
export function parseCredentials(document: unknown): Map<string, readonly Scope[]> {
  const list = typeof document === 'object' && document !== null && 'credentials' in document ? document.credentials : undefined;
  if (!Array.isArray(list)) throw new Error('credentials: expected a list of {credential, scopes}');
  const result = new Map<string, readonly Scope[]>();
  list.forEach((entry: unknown, index) => {
    const where = `credentials[${index}]`;
    if (typeof entry !== 'object' || entry === null) throw new Error(`${where}: expected {credential, scopes}`);
    const { credential, scopes } = entry as { credential?: unknown; scopes?: unknown };
    if (typeof credential !== 'string' || credential === '') throw new Error(`${where}.credential: expected a non-empty string`);
    if (!Array.isArray(scopes)) throw new Error(`${where}.scopes: expected a list of ${SCOPES.join(', ')}`);
    const checked = scopes.map((scope: unknown, position) => {
      const found = SCOPES.find((known) => known === scope);
      if (found === undefined) throw new Error(`${where}.scopes[${position}]: ${JSON.stringify(scope)} is not one of ${SCOPES.join(', ')}`);
      return found;
    });
    result.set(credential, checked);
  });
  return result;
}
