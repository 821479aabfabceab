import { describe, expect, it } from 'vitest';
import type { KeyStatus } from '@/lib/model';
import {
  BACKOFF_CEILING_MS,
  dueKeys,
  JITTER_FRACTION,
  MINUTE,
  nextReadAt,
  stableJitter,
  TOKEN_ROUTE_BUDGET,
  takeBudget,
} from '@/lib/schedule';
import { makeKey, NOW } from './helpers';

const key = makeKey({ id: 'key-1', baseUrl: 'https://r.test', secret: 's' });
const read = (attemptedAt: number, failures = 0, retryAt?: number): KeyStatus => ({
  reading: null,
  error: failures ? { kind: 'network', message: 'x', at: attemptedAt, ...(retryAt ? { retryAt } : {}) } : null,
  attemptedAt,
  failures,
});

describe('schedule', () => {
  it('reads a new key at once', () => {
    expect(nextReadAt(key, undefined, 30, NOW)).toBe(0);
  });

  it('waits one interval plus a stable jitter within bounds', () => {
    const at = nextReadAt(key, read(NOW), 30, NOW);
    expect(at).toBeGreaterThanOrEqual(NOW + 30 * MINUTE);
    expect(at).toBeLessThan(NOW + 30 * MINUTE * (1 + JITTER_FRACTION));
    expect(nextReadAt(key, read(NOW), 30, NOW)).toBe(at);
  });

  it('spreads keys of one site over the jitter window', () => {
    const jitters = Array.from({ length: 50 }, (_, i) => stableJitter(`key-${i}`));
    expect(Math.min(...jitters)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...jitters)).toBeLessThan(1);
    expect(new Set(jitters.map((j) => Math.floor(j * 5))).size).toBe(5);
  });

  it('backs off exponentially on repeated failures up to a ceiling', () => {
    const wait = (failures: number) => nextReadAt({ ...key, id: 'x' }, read(NOW, failures), 10, NOW) - NOW;
    const jitter = stableJitter('x') * JITTER_FRACTION * 10 * MINUTE;
    expect(wait(1)).toBeCloseTo(10 * MINUTE + jitter);
    expect(wait(2)).toBeCloseTo(20 * MINUTE + jitter);
    expect(wait(3)).toBeCloseTo(40 * MINUTE + jitter);
    expect(wait(20)).toBeCloseTo(BACKOFF_CEILING_MS + jitter);
  });

  it('honours Retry-After beyond the interval', () => {
    expect(nextReadAt(key, read(NOW, 1, NOW + 5 * 3600_000), 30, NOW)).toBe(NOW + 5 * 3600_000);
  });

  it('reads a key held back by the site budget as soon as the budget frees, without backoff', () => {
    const held: KeyStatus = {
      reading: null,
      error: { kind: 'rate-limited', message: 'x', at: NOW, retryAt: NOW + 4 * MINUTE, heldBack: true },
      attemptedAt: NOW,
      failures: 3,
    };
    expect(nextReadAt(key, held, 30, NOW)).toBe(NOW + 4 * MINUTE);
  });

  it('reads a key held back by the site budget when its turn comes, whatever its last attempt was', () => {
    const refused: KeyStatus = {
      reading: null,
      error: { kind: 'auth', message: 'HTTP 401', at: NOW - 3 * 3600_000 },
      attemptedAt: NOW - 3 * 3600_000,
      failures: 1,
      heldBack: { at: NOW, until: NOW + 4 * MINUTE },
    };
    expect(nextReadAt(key, refused, 30, NOW)).toBe(NOW + 4 * MINUTE);
    // Never read, and held: it waits its turn too, instead of being due at every wake-up.
    const never: KeyStatus = { reading: null, error: null, attemptedAt: null, failures: 0, heldBack: { at: NOW, until: NOW + 4 * MINUTE } };
    expect(dueKeys([key], { [key.id]: never }, 30, NOW + MINUTE)).toEqual([]);
    expect(dueKeys([key], { [key.id]: never }, 30, NOW + 4 * MINUTE).map((k) => k.id)).toEqual([key.id]);
    // A turn promised a day away waits one budget window at most; a hold stamped in the future is due now.
    expect(nextReadAt(key, { ...never, heldBack: { at: NOW, until: NOW + 86_400_000 } }, 30, NOW)).toBe(NOW + TOKEN_ROUTE_BUDGET.windowMs);
    expect(nextReadAt(key, { ...never, heldBack: { at: NOW + 86_400_000, until: NOW + 86_400_000 } }, 30, NOW)).toBe(NOW);
  });

  it('lists due keys, most overdue first', () => {
    const keys = ['a', 'b', 'c'].map((id) => makeKey({ id, baseUrl: 'https://r.test', secret: id }));
    const statuses = { a: read(NOW - 10 * MINUTE), b: read(NOW - 90 * MINUTE) };
    expect(dueKeys(keys, statuses, 30, NOW).map((k) => k.id)).toEqual(['c', 'b']);
  });

  it('keeps the token route within its budget per window and says when it frees up', () => {
    let log: number[] = [];
    const allowed: number[] = [];
    for (let i = 0; i < 15; i++) {
      const taken = takeBudget(log, NOW + i * 1000);
      log = taken.log;
      if (taken.retryAt === null) allowed.push(i);
      else expect(taken.retryAt).toBe(NOW + TOKEN_ROUTE_BUDGET.windowMs);
    }
    expect(allowed).toHaveLength(TOKEN_ROUTE_BUDGET.requests);
    expect(takeBudget(log, NOW + TOKEN_ROUTE_BUDGET.windowMs + 1).retryAt).toBeNull();
  });

  describe('a time stamped in the future (a clock that was ahead, then corrected) counts as now', () => {
    const DAY = 86_400_000;

    it('a key attempted "tomorrow" is due now (its next attempt gets a true stamp), not one interval after tomorrow', () => {
      expect(dueKeys([key], { [key.id]: read(NOW + DAY) }, 30, NOW).map((k) => k.id)).toEqual([key.id]);
      expect(dueKeys([key], { [key.id]: read(NOW + DAY, 3, NOW + 2 * DAY) }, 30, NOW).map((k) => k.id)).toEqual([key.id]);
    });

    it('a key held back by the budget waits at most one budget window after its attempt', () => {
      const held: KeyStatus = {
        reading: null,
        error: { kind: 'rate-limited', message: 'x', at: NOW, retryAt: NOW + DAY, heldBack: true },
        attemptedAt: NOW,
        failures: 0,
      };
      expect(nextReadAt(key, held, 30, NOW)).toBe(NOW + TOKEN_ROUTE_BUDGET.windowMs);
    });

    it('a budget log full of future times frees one window from now, not one window after those times', () => {
      const future = Array.from({ length: TOKEN_ROUTE_BUDGET.requests }, () => NOW + DAY);
      const taken = takeBudget(future, NOW);
      expect(taken.retryAt).toBe(NOW + TOKEN_ROUTE_BUDGET.windowMs);
      expect(takeBudget(taken.log, NOW + TOKEN_ROUTE_BUDGET.windowMs + 1).retryAt).toBeNull();
    });
  });
});

describe('politeness per kind (shared/spec/relays.md §7.2)', () => {
  const jitterOf = (id: string, minutes: number) => stableJitter(id) * JITTER_FRACTION * minutes * MINUTE;

  it('a Kimi Code key is read at most every 5 minutes, whatever interval the person chose', () => {
    const kimi = makeKey({ id: 'kimi', kind: 'kimi-code', baseUrl: 'https://api.kimi.com', secret: 'sk-kimi-x' });
    expect(nextReadAt(kimi, read(NOW), 1, NOW) - NOW).toBeCloseTo(5 * MINUTE + jitterOf('kimi', 5));
    expect(nextReadAt({ ...kimi, intervalMinutes: 2 }, read(NOW), 30, NOW) - NOW).toBeCloseTo(5 * MINUTE + jitterOf('kimi', 5));
    // A longer interval is kept.
    expect(nextReadAt(kimi, read(NOW), 30, NOW) - NOW).toBeCloseTo(30 * MINUTE + jitterOf('kimi', 30));
  });

  it('an auto key detected as Kimi Code gets the same floor', () => {
    const auto = makeKey({ id: 'auto', kind: 'auto', baseUrl: 'https://api.kimi.com', secret: 'sk-kimi-x' });
    expect(nextReadAt(auto, { ...read(NOW), detectedKind: 'kimi-code' }, 1, NOW) - NOW).toBeCloseTo(5 * MINUTE + jitterOf('auto', 5));
  });

  it('other kinds keep a one-minute interval', () => {
    const sub = makeKey({ id: 'sub', kind: 'sub2api', baseUrl: 'https://relay.test', secret: 'sk-x' });
    expect(nextReadAt(sub, read(NOW), 1, NOW) - NOW).toBeCloseTo(MINUTE + jitterOf('sub', 1));
  });

  it('a capped key is read again about a minute after its full window resets, not a whole interval later', () => {
    const sub = makeKey({ id: 'sub', kind: 'sub2api', baseUrl: 'https://relay.test', secret: 'sk-x' });
    const resetS = Math.floor(NOW / 1000) + 600;
    const capped: KeyStatus = {
      ...read(NOW),
      reading: {
        kind: 'sub2api',
        scope: 'key',
        unit: { code: 'USD' },
        unlimited: false,
        remaining: 20,
        granted: null,
        used: null,
        expiresAt: null,
        fetchedAt: NOW,
        windows: [
          {
            name: '5h',
            scope: 'key',
            unit: 'USD',
            limit: 5,
            used: 5,
            remaining: 0,
            percentUsed: 100,
            resetsAt: resetS,
            resets: true,
            rolling: false,
          },
        ],
      },
    };
    expect(nextReadAt(sub, capped, 30, NOW)).toBe(resetS * 1000 + MINUTE);
    // A reset further away than the interval changes nothing.
    const later = { ...capped, reading: { ...capped.reading!, windows: [{ ...capped.reading!.windows![0]!, resetsAt: resetS + 86_400 }] } };
    expect(nextReadAt(sub, later, 30, NOW) - NOW).toBeCloseTo(30 * MINUTE + jitterOf('sub', 30));
  });
});
