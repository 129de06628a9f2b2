import { createServer, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { JobRecord } from '../core/model.js';
import { jobCreatedEvent, sign, WebhookSender } from './webhook.js';

const JOB: JobRecord = {
  id: '3f0e5bde-6a51-4c8e-9d0e-8d2b1c7a4e21',
  companyId: '9a2c4f1e-0b7d-4e3a-8c5f-1d6e2b3a4c5d',
  createdAt: Date.UTC(2026, 0, 5, 9, 0, 0),
  createdBy: null,
  expiresIn: 3600,
  isInteractive: true,
  vendorBasedBookkeeping: false,
  status: 'pending',
  startedAt: null,
  completedAt: null,
  expiredAt: null,
  lastUpdatedAt: null,
  failureReason: null,
  failureReasonType: null,
  numberOfItems: 3,
};

describe('webhook signatures', () => {
  it('match the Standard Webhooks documentation vector (checked independently with Python hmac)', () => {
    expect(sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('carry the job-created payload Pleo documents', () => {
    expect(jobCreatedEvent(JOB, 'e-1')).toEqual({
      payload: {
        data: { id: JOB.id, companyId: JOB.companyId, createdAt: '2026-01-05T09:00:00Z', createdBy: null, expiresIn: 3600, numberOfItems: 3, status: 'pending' },
        eventId: 'e-1',
        eventType: 'v1.export-job.created',
      },
    });
  });
});

describe('WebhookSender', () => {
  it('retries a failed delivery and gives up after its attempts, never throwing', async () => {
    const received: IncomingMessage[] = [];
    const server = createServer((request, response) => {
      received.push(request);
      request.resume();
      response.statusCode = received.length < 2 ? 503 : 204;
      response.end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const logs: string[] = [];
    let ids = 0;
    const delivered = new Promise<void>((resolve) => {
      const sender = new WebhookSender(
        { url: `http://127.0.0.1:${port}/hook`, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
        {
          newId: () => `id-${ids++}`,
          wallClock: () => 1_700_000_000_000,
          retryDelaysMs: [1, 1],
          log: { warn: (m) => logs.push(m), info: (m) => { logs.push(m); resolve(); } },
        },
      );
      sender.jobCreated(JOB);
    });
    await delivered;
    server.close();
    expect(received).toHaveLength(2);
    expect(received[1]?.headers['webhook-id']).toBe('msg_id-0');
    expect(received[1]?.headers['webhook-timestamp']).toBe('1700000000');
    expect(String(received[1]?.headers['webhook-signature'])).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(logs[0]).toMatch(/failed \(HTTP 503\); retrying in 1 ms/);
  });
});
