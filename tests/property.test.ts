import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '@/lib/adapters';
import type { AdapterContext } from '@/lib/adapters/types';
import type { ReadOutcome, ResolvedKind } from '@/lib/model';
import { DEFAULT_SITE_DISPLAY, plainDecimal } from '@/lib/units';
import { makeKey, NOW } from './helpers';

const KINDS = Object.keys(ADAPTERS) as ResolvedKind[];

/** A context whose every request gets the same arbitrary answer. */
const answering = (status: number, body: string | Uint8Array, contentType: string): AdapterContext => ({
  fetch: async () =>
    new Response(status === 204 || status === 304 ? null : typeof body === 'string' ? body : new Blob([new Uint8Array(body)]), {
      status,
      headers: { 'content-type': contentType },
    }),
  now: () => NOW,
  siteDisplay: async () => DEFAULT_SITE_DISPLAY,
});

function assertSane(outcome: ReadOutcome) {
  if (!outcome.ok) {
    expect(typeof outcome.error.kind).toBe('string');
    return;
  }
  const r = outcome.reading;
  for (const value of [r.remaining, r.granted, r.used, r.expiresAt]) {
    if (value !== null) expect(Number.isFinite(value)).toBe(true);
  }
  if (r.granted !== null) expect(r.granted).toBeGreaterThanOrEqual(0);
  if (r.unlimited) expect(r.remaining).toBeNull();
  if (r.remaining !== null) expect(plainDecimal(r.remaining)).toMatch(/^-?\d+(\.\d+)?$/);
}

const statuses = fc.constantFrom(200, 200, 200, 201, 204, 301, 400, 401, 403, 404, 409, 413, 429, 500, 502, 503, 520);
const contentTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html', 'text/plain', '');
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e8, -1, 0, 1e-7, 29.999999999999996, Number.MAX_VALUE));

/** JSON shaped like the gateways' answers, with every field possibly wrong. */
const gatewayish = fc.record(
  {
    code: fc.oneof(fc.boolean(), fc.integer()),
    success: fc.boolean(),
    message: fc.string(),
    object: fc.constantFrom('token_usage', 'list', 'billing_subscription', 'x'),
    meta: fc.record({ code: fc.constantFrom(0, 200, 401, 500), message: fc.string() }, { requiredKeys: [] }),
    hard_limit_usd: number,
    total_usage: number,
    access_until: number,
    data: fc.record(
      {
        object: fc.constantFrom('token_usage', 'nope'),
        total_available: number,
        total_granted: number,
        total_used: number,
        unlimited_quota: fc.boolean(),
        expires_at: number,
        model_limits: fc.oneof(fc.dictionary(fc.string(), fc.boolean()), fc.array(fc.string()), fc.constant(null)),
        name: fc.oneof(fc.string(), fc.integer()),
        quota: number,
        used_quota: number,
        balance: number,
        balance_str: fc.oneof(fc.string(), fc.constant('1e400')),
        coupon_balance: number,
        currency_code: fc.string(),
        records: fc.array(fc.record({ model: fc.string(), tokens: number }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

describe('every adapter, whatever the server answers', () => {
  it.each(KINDS)('%s yields a sane reading or a typed error, never a throw', async (kind) => {
    const key = makeKey({ kind, baseUrl: 'https://relay.test', secret: 'sk-x', userId: 1 });
    await fc.assert(
      fc.asyncProperty(
        statuses,
        contentTypes,
        fc.oneof(
          gatewayish.map((v) => JSON.stringify(v)),
          fc.json(),
          fc.string(),
        ),
        async (status, type, body) => {
          assertSane(await ADAPTERS[kind](key, answering(status, body, type)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each(KINDS)('%s survives arbitrary bytes', async (kind) => {
    const key = makeKey({ kind, baseUrl: 'https://relay.test', secret: 'sk-x', userId: 1 });
    await fc.assert(
      fc.asyncProperty(statuses, fc.uint8Array({ maxLength: 300 }), async (status, bytes) => {
        assertSane(await ADAPTERS[kind](key, answering(status, bytes, 'application/json')));
      }),
      { numRuns: 150 },
    );
  });

  it('plainDecimal never uses exponent notation', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }), (value) => {
        expect(plainDecimal(value)).toMatch(/^-?\d+(\.\d+)?$/);
      }),
    );
  });
});
