import { describe, expect, it } from 'vitest';
import { BADGE_COLORS, badgeFor, compactFigure } from '@/lib/badge';
import type { KeyStatus, Reading } from '@/lib/model';
import { DEFAULT_SETTINGS, keyState, rankKeys } from '@/lib/state';
import { makeKey, NOW, NOW_S } from './helpers';

const reading = (fields: Partial<Reading> = {}): Reading => ({
  kind: 'newapi-token',
  scope: 'key',
  unit: { code: 'USD' },
  unlimited: false,
  remaining: 8,
  granted: 10,
  used: 2,
  expiresAt: null,
  fetchedAt: NOW - 60_000,
  ...fields,
});
const ok = (r: Reading): KeyStatus => ({ reading: r, error: null, attemptedAt: NOW, failures: 0 });
const failed = (kind: 'auth' | 'forbidden' | 'network' | 'server', r: Reading | null = null): KeyStatus => ({
  reading: r,
  error: { kind, message: 'x', at: NOW },
  attemptedAt: NOW,
  failures: 1,
});
const key = makeKey({ baseUrl: 'https://relay.test', secret: 's' });

describe('key states (automation.md §4)', () => {
  it.each<[string, KeyStatus | undefined, string]>([
    ['never read', undefined, 'pending'],
    ['healthy', ok(reading()), 'ok'],
    ['under 10% of granted', ok(reading({ remaining: 0.99 })), 'low'],
    ['exactly 10% is not low', ok(reading({ remaining: 1 })), 'ok'],
    ['zero remaining', ok(reading({ remaining: 0 })), 'exhausted'],
    ['negative remaining', ok(reading({ remaining: -3 })), 'exhausted'],
    ['unlimited with nothing remaining', ok(reading({ unlimited: true, remaining: null, granted: null })), 'ok'],
    ['expiry in the past', ok(reading({ expiresAt: NOW_S - 1 })), 'expired'],
    ['expired and exhausted: expired wins', ok(reading({ expiresAt: NOW_S - 1, remaining: 0 })), 'expired'],
    ['refused credential', failed('auth'), 'invalid'],
    ['forbidden credential', failed('forbidden'), 'invalid'],
    ['refused after being seen empty (billing 401s exhausted keys)', failed('auth', reading({ remaining: 0 })), 'exhausted'],
    ['network error keeps state error, not a zero', failed('network', reading()), 'error'],
    ['an error never hides a past expiry', failed('server', reading({ expiresAt: NOW_S - 5 })), 'expired'],
    ['balance without granted is not low by percentage', ok(reading({ granted: null, remaining: 0.01 })), 'ok'],
  ])('%s → %s', (_, status, expected) => {
    expect(keyState(key, status, DEFAULT_SETTINGS, NOW)).toBe(expected);
  });

  it('uses a per-key amount threshold over the default', () => {
    const strict = { ...key, threshold: { type: 'amount' as const, value: 9 } };
    expect(keyState(strict, ok(reading({ remaining: 8 })), DEFAULT_SETTINGS, NOW)).toBe('low');
    expect(
      keyState(
        key,
        ok(reading({ granted: null, remaining: 0.5 })),
        { ...DEFAULT_SETTINGS, defaultThreshold: { type: 'amount', value: 1 } },
        NOW,
      ),
    ).toBe('low');
  });
});

describe('ranking and badge', () => {
  const keys = ['fine', 'low', 'dead', 'gone', 'down', 'new'].map((label) =>
    makeKey({ label, id: label, baseUrl: 'https://r.test', secret: label }),
  );
  const statuses: Record<string, KeyStatus> = {
    fine: ok(reading()),
    low: ok(reading({ remaining: 0.5 })),
    dead: failed('auth'),
    gone: ok(reading({ expiresAt: NOW_S - 10 })),
    down: failed('network', reading()),
  };
  const labels = { name: 'Quota Glance', attention: 'needs attention', allOk: 'all fine', state: (s: string) => s.toUpperCase() };

  it('orders keys worst first', () => {
    expect(rankKeys(keys, statuses, DEFAULT_SETTINGS, NOW).map((v) => v.key.label)).toEqual(['gone', 'dead', 'low', 'down', 'new', 'fine']);
  });

  it('shows a red ! for expired, exhausted or refused keys and names them in the title', () => {
    const badge = badgeFor(rankKeys(keys, statuses, DEFAULT_SETTINGS, NOW), labels);
    expect(badge).toMatchObject({ text: '!', color: BADGE_COLORS.alert });
    expect(badge.title).toContain('gone: EXPIRED');
    expect(badge.title).toContain('dead: INVALID');
    expect(badge.title).not.toContain('fine');
  });

  it('shows the low key’s remaining figure in amber', () => {
    const views = rankKeys(keys.slice(0, 2), statuses, DEFAULT_SETTINGS, NOW);
    expect(badgeFor(views, labels)).toMatchObject({ text: '0.5', color: BADGE_COLORS.low });
  });

  it('shows a grey ? when a key could not be read', () => {
    expect(badgeFor(rankKeys([keys[4]!], statuses, DEFAULT_SETTINGS, NOW), labels)).toMatchObject({
      text: '?',
      color: BADGE_COLORS.unknown,
    });
  });

  it('is empty when all is well or there are no keys', () => {
    expect(badgeFor(rankKeys([keys[0]!], statuses, DEFAULT_SETTINGS, NOW), labels).text).toBe('');
    expect(badgeFor([], labels).text).toBe('');
  });

  it.each([
    [0.5, '0.5'],
    [3.25, '3.3'],
    [42, '42'],
    [1234, '1.2k'],
    [987_654, '988k'],
    [4_250_000, '4.3M'],
  ])('fits %d into a badge as %s', (value, text) => {
    expect(compactFigure(value)).toBe(text);
    expect(text.length).toBeLessThanOrEqual(4);
  });
});
