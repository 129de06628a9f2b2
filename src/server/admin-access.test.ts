import { describe, expect, it } from 'vitest';
import { MockError } from '../core/errors.js';
import { assertAdminAccess, isLoopbackAddress } from './admin-access.js';

describe('isLoopbackAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.5', false],
    ['192.168.1.20', false],
    ['::ffff:10.0.0.5', false],
    ['fe80::1', false],
    ['1270.0.0.1', false],
    [undefined, false],
  ])('%s is loopback: %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});

describe('assertAdminAccess', () => {
  const code = (run: () => void): string | undefined => {
    try {
      run();
      return undefined;
    } catch (error) {
      if (error instanceof MockError) return error.code;
      throw error;
    }
  };

  it.each<[string, string | undefined, string | undefined, string | string[] | undefined, string | undefined]>([
    ['no token: a loopback client is served', undefined, '127.0.0.1', undefined, undefined],
    ['no token: a remote client is refused', undefined, '10.1.2.3', undefined, 'FORBIDDEN'],
    ['no token: a remote client sending some token is still refused', undefined, '10.1.2.3', 'guess', 'FORBIDDEN'],
    ['a token: a remote client with it is served', 'sesame-1234', '10.1.2.3', 'sesame-1234', undefined],
    ['a token: a loopback client without it is refused', 'sesame-1234', '127.0.0.1', undefined, 'UNAUTHORIZED'],
    ['a token: a wrong token is refused', 'sesame-1234', '10.1.2.3', 'sesame-1235', 'UNAUTHORIZED'],
    ['a token: a prefix of it is refused', 'sesame-1234', '10.1.2.3', 'sesame', 'UNAUTHORIZED'],
    ['a token: the header sent twice is refused', 'sesame-1234', '10.1.2.3', ['sesame-1234', 'sesame-1234'], 'UNAUTHORIZED'],
  ])('%s', (_title, token, remote, presented, expected) => {
    expect(code(() => { assertAdminAccess(token, remote, presented); })).toBe(expected);
  });
});
