import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReadOutcome, ResolvedKind } from '@/lib/model';
import type { AdapterContext } from '@/lib/providers/adapter';
import { DEFAULT_SITE_DISPLAY } from '@/lib/providers/newapi/units';
import { ADAPTERS } from '@/lib/providers/read';
import { plainDecimal } from '@/lib/units';
import { ANSWERS, customMapping } from './arbitraries';
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
describe('every adapter, whatever the server answers', () => {
  it.each(KINDS)('%s yields a sane reading or a typed error, never a throw', async (kind) => {
    await fc.assert(
      fc.asyncProperty(
        statuses,
        contentTypes,
        fc.oneof(
          ANSWERS[kind].map((v) => JSON.stringify(v)),
          fc.json(),
          fc.string(),
        ),
        customMapping,
        async (status, type, body, custom) => {
          const key = makeKey({ kind, baseUrl: 'https://relay.test', secret: 'sk-x', userId: 1, custom });
          assertSane(await ADAPTERS[kind](key, answering(status, body, type)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each(KINDS)('%s reads its own well-shaped answers as often as not', async (kind) => {
    // Guards the arbitraries themselves: a shape no adapter ever accepts would test nothing.
    let readings = 0;
    await fc.assert(
      fc.asyncProperty(ANSWERS[kind], customMapping, async (body, custom) => {
        const key = makeKey({ kind, baseUrl: 'https://relay.test', secret: 'sk-x', userId: 1, custom });
        const outcome = await ADAPTERS[kind](key, answering(200, JSON.stringify(body), 'application/json'));
        assertSane(outcome);
        if (outcome.ok) readings++;
      }),
      // A fixed seed: this guards the arbitraries, and must not flake.
      { numRuns: 200, seed: 8 },
    );
    expect(readings).toBeGreaterThan(0);
  });

  it.each(KINDS)('%s survives arbitrary bytes', async (kind) => {
    const key = makeKey({ kind, baseUrl: 'https://relay.test', secret: 'sk-x', userId: 1, custom: { path: '/b', remaining: 'a.b' } });
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
