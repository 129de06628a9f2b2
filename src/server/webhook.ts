/**
 * Delivery of Pleo's `v1.export-job.created` webhook, signed the Standard Webhooks way
 * (api-notes.md section 7): `webhook-id`, `webhook-timestamp` (unix seconds) and
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
 *
 * Delivery happens after the API call has answered; a failure is logged and retried a few times
 * with backoff, and never affects the API. The timestamp is real time, not the mock clock:
 * receivers check it against their own clock to refuse replays.
 */
import { createHmac } from 'node:crypto';
import type { JobRecord } from '../core/model.js';
import { toExportJobV3 } from './views.js';

/** Where and how to deliver. */
export interface WebhookOptions {
  readonly url: string;
  /** Standard Webhooks secret: `whsec_<base64 key>`, or any other string used as raw key bytes. */
  readonly secret: string;
}

/** What delivery needs from the server. */
export interface WebhookEnvironment {
  readonly newId: () => string;
  /** Real time in epoch ms (see the module comment). */
  readonly wallClock: () => number;
  readonly log: { warn(message: string): void; info(message: string): void };
  /** Delay between attempts; injectable so tests do not wait. */
  readonly retryDelaysMs?: readonly number[];
}

const DEFAULT_RETRY_DELAYS_MS = [1000, 5000, 25_000];
const SECRET_PREFIX = 'whsec_';

/** The signing key of a secret. */
export function signingKey(secret: string): Buffer {
  return secret.startsWith(SECRET_PREFIX) ? Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64') : Buffer.from(secret, 'utf8');
}

/** `v1,<signature>` for one message. */
export function sign(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', signingKey(secret)).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The event body Pleo sends when a job is created. */
export function jobCreatedEvent(job: JobRecord, eventId: string): unknown {
  const { id, companyId, createdAt, createdBy, expiresIn, numberOfItems, status } = toExportJobV3(job);
  return { payload: { data: { id, companyId, createdAt, createdBy, expiresIn, numberOfItems, status }, eventId, eventType: 'v1.export-job.created' } };
}

/** Sends job-created webhooks; `close()` abandons retries still waiting. */
export class WebhookSender {
  private readonly pending = new Set<AbortController>();

  constructor(
    private readonly options: WebhookOptions,
    private readonly env: WebhookEnvironment,
  ) {}

  /** Starts delivery of the job-created event; returns at once. */
  jobCreated(job: JobRecord): void {
    const messageId = `msg_${this.env.newId()}`;
    const body = JSON.stringify(jobCreatedEvent(job, this.env.newId()));
    void this.deliver(messageId, body);
  }

  /** Stops pending deliveries (server shutdown). */
  close(): void {
    for (const controller of this.pending) controller.abort();
    this.pending.clear();
  }

  private async deliver(messageId: string, body: string): Promise<void> {
    const controller = new AbortController();
    this.pending.add(controller);
    const delays = this.env.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    try {
      for (let attempt = 0; attempt <= delays.length; attempt++) {
        const failure = await this.attempt(messageId, body, controller.signal);
        if (failure === undefined) return;
        if (controller.signal.aborted) return;
        const delay = delays[attempt];
        this.env.log.warn(`webhook ${messageId} to ${this.options.url} failed (${failure})${delay === undefined ? '; giving up' : `; retrying in ${delay} ms`}`);
        if (delay === undefined) return;
        await sleep(delay, controller.signal);
      }
    } finally {
      this.pending.delete(controller);
    }
  }

  /** One attempt; undefined on success, else why it failed. */
  private async attempt(messageId: string, body: string, signal: AbortSignal): Promise<string | undefined> {
    const timestamp = Math.floor(this.env.wallClock() / 1000);
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        signal,
        headers: {
          'content-type': 'application/json',
          'webhook-id': messageId,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': sign(this.options.secret, messageId, timestamp, body),
        },
        body,
      });
      await response.arrayBuffer();
      if (response.ok) {
        this.env.log.info(`webhook ${messageId} delivered (${response.status})`);
        return undefined;
      }
      return `HTTP ${response.status}`;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
