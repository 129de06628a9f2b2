/**
 * Who may use the admin API. It can replace any tenant's state and read every request a client
 * sent, so it must not be open to the network by accident:
 * - without an admin token it answers only clients on loopback (127.0.0.0/8, ::1), whatever
 *   address the server is bound to (403 otherwise);
 * - with an admin token (`--admin-token`) it answers any client that sends the token in the
 *   `x-mock-admin-token` header, and no one else (401).
 * The Export API itself is not affected: its access is `--auth`.
 */
import { timingSafeEqual } from 'node:crypto';
import { MockError } from '../core/errors.js';

/** The header that carries the admin token. */
export const ADMIN_TOKEN_HEADER = 'x-mock-admin-token';

/** Whether an address (as Node reports a socket's remote address) is loopback. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

/** Throws FORBIDDEN or UNAUTHORIZED when an admin request may not be served. */
export function assertAdminAccess(token: string | undefined, remoteAddress: string | undefined, presented: string | string[] | undefined): void {
  if (token === undefined) {
    if (!isLoopbackAddress(remoteAddress)) {
      throw new MockError('FORBIDDEN', `The admin API answers only clients on loopback (this request came from ${remoteAddress ?? 'an unknown address'}); start the mock with --admin-token to use it from elsewhere.`);
    }
    return;
  }
  const sent = typeof presented === 'string' ? presented : undefined;
  if (sent === undefined || !sameSecret(sent, token)) {
    throw new MockError('UNAUTHORIZED', `${ADMIN_TOKEN_HEADER}: the admin API needs the admin token given with --admin-token.`);
  }
}

/** Compares in constant time, so the token cannot be guessed byte by byte from timings. */
function sameSecret(sent: string, token: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
