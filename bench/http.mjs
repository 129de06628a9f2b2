// Small JSON requests for setting up workloads and walking pages (undici, kept-alive connections).
import { request } from 'undici';

/** Sends one request; resolves with its status and parsed JSON body (null when empty or not JSON). */
export async function call(base, path, { method = 'GET', headers = {}, body, dispatcher } = {}) {
  const response = await request(`${base}${path}`, {
    method,
    dispatcher,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  let json;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.statusCode, json, text };
}

/** Like {@link call}, but anything other than `expected` is an error naming the answer. */
export async function expectStatus(expected, base, path, options) {
  const answer = await call(base, path, options);
  if (answer.status !== expected) {
    throw new Error(`${options?.method ?? 'GET'} ${path} answered ${answer.status}, expected ${expected}: ${answer.text.slice(0, 500)}`);
  }
  return answer;
}
