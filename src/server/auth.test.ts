import { describe, expect, it } from 'vitest';
import { authorize, parseCredentials, presentedCredential, type Scope } from './auth.js';

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
const listed = new Map<string, readonly Scope[]>([
  ['reader', ['export-jobs:read']],
  ['writer', ['export-jobs:read', 'export-jobs:write', 'export-items:read']],
]);

describe('presented credentials', () => {
  it.each([
    [undefined, { kind: 'none' }],
    ['Bearer eyJhbGciOi.J9.sig', { kind: 'valid', credential: 'eyJhbGciOi.J9.sig' }],
    [basic('pls_key_1:'), { kind: 'valid', credential: 'pls_key_1' }],
    ['Bearer', { kind: 'malformed' }],
    ['Bearer two tokens', { kind: 'malformed' }],
    ['Bearer bad"token', { kind: 'malformed' }],
    [basic(':no-user'), { kind: 'malformed' }],
    [basic('no-colon'), { kind: 'malformed' }],
    ['Basic %%%', { kind: 'malformed' }],
    ['Digest abc', { kind: 'malformed' }],
  ])('reads %j as %j', (header, expected) => {
    expect(presentedCredential(header)).toMatchObject(expected);
  });
});

describe('authorize', () => {
  it('lets everything through in mode any', () => {
    expect(() => { authorize('any', undefined, 'createExportJobV3', listed); }).not.toThrow();
  });

  it.each([
    ['wellformed', undefined, 'getExportJobsListV3', 'UNAUTHORIZED'],
    ['wellformed', 'Token x', 'getExportJobsListV3', 'UNAUTHORIZED'],
    ['wellformed', 'Bearer anything', 'createExportJobV3', null],
    ['listed', 'Bearer stranger', 'getExportJobsListV3', 'UNAUTHORIZED'],
    ['listed', 'Bearer reader', 'getExportJobsListV3', null],
    ['listed', basic('reader:'), 'getExportJobItemsV3', null],
    ['listed', 'Bearer reader', 'updateExportJobItemsV3', 'FORBIDDEN'],
    ['listed', 'Bearer reader', 'getExportItemsV3', 'FORBIDDEN'],
    ['listed', 'Bearer writer', 'getExportItemsV3', null],
  ] as const)('in mode %s, %j on %s answers %s', (mode, header, operationId, code) => {
    const act = () => { authorize(mode, header, operationId, listed); };
    if (code === null) expect(act).not.toThrow();
    else expect(act).toThrow(expect.objectContaining({ code }) as Error);
  });

  it('names the missing scope and the ones the credential has', () => {
    expect(() => { authorize('listed', 'Bearer reader', 'createExportJobEventV3', listed); }).toThrow('createExportJobEventV3 needs the scope export-jobs:write; this credential has export-jobs:read.');
  });
});

describe('credentials files', () => {
  it('reads credentials and their scopes', () => {
    expect(parseCredentials({ credentials: [{ credential: 'k', scopes: ['export-items:read'] }] })).toEqual(new Map([['k', ['export-items:read']]]));
  });

  it.each([
    [{}, /^credentials: expected a list/],
    [{ credentials: [{ scopes: [] }] }, /^credentials\[0\]\.credential: expected a non-empty string/],
    [{ credentials: [{ credential: 'k', scopes: ['admin'] }] }, /^credentials\[0\]\.scopes\[0\]: "admin" is not one of/],
  ])('refuses %j naming the path', (document, message) => {
    expect(() => parseCredentials(document)).toThrow(message);
  });
});
