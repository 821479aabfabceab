import { describe, expect, it } from 'vitest';
import { recordResult } from '@/lib/engine/record';
import type { Point } from '@/lib/history';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { MAX_TOKEN_SERIES } from '@/lib/token-views';
import { NOW } from './helpers';

/**
 * A watched account of many tokens stays small in storage, history included (review of
 * issue #15, item 3): each token keeps a week of coarse points, and at most
 * MAX_TOKEN_SERIES tokens keep one.
 */
const account: KeyConfig = {
  id: 'acc',
  label: 'big account',
  baseUrl: 'https://relay.example',
  kind: 'newapi-user',
  secret: 'access-token',
  userId: 7,
  watchTokens: true,
  createdAt: 0,
  updatedAt: 0,
};
const tokens = (at: number) =>
  Array.from({ length: 110 }, (_, i) => ({
    id: i + 1,
    name: `token ${i + 1}`,
    status: 1,
    remaining: 1000 - (at - NOW) / 3_600_000 - i,
    granted: 2000,
    used: 1000,
    unlimited: false,
    expiresAt: null,
  }));

describe('history of a watched account’s tokens', () => {
  it('after 10 days of reads every 30 minutes: at most 100 series, a week each, about 1 KB', () => {
    let history: Record<string, Point[]> = {};
    let stored: KeyStatus | undefined;
    for (let at = NOW; at <= NOW + 10 * 86_400_000; at += 30 * 60_000) {
      const result: KeyStatus = {
        reading: {
          kind: 'newapi-user',
          scope: 'account',
          unit: { code: 'USD' },
          unlimited: false,
          remaining: 50,
          granted: null,
          used: 1,
          expiresAt: null,
          fetchedAt: at,
          tokens: tokens(at),
        },
        error: null,
        attemptedAt: at,
        failures: 0,
      };
      const recorded = recordResult({ key: account, result, stored, history, settings: DEFAULT_SETTINGS, now: at });
      history = recorded.history;
      stored = recorded.status;
    }
    const series = Object.entries(history).filter(([id]) => id.startsWith('acc:'));
    expect(series).toHaveLength(MAX_TOKEN_SERIES);
    const longest = Math.max(...series.map(([, points]) => points.length));
    expect(longest).toBeLessThanOrEqual(60);
    const bytes = series.reduce((sum, [id, points]) => sum + id.length + JSON.stringify(points).length, 0);
    expect(bytes).toBeLessThan(150_000);
    // The oldest point is at most a week old.
    const newest = NOW + 10 * 86_400_000;
    for (const [, points] of series) expect((points[0] as Point)[0]).toBeGreaterThanOrEqual(Math.floor(newest / 60_000) - 8 * 1440);
    // Tokens with a series still get their trend.
    expect(stored?.children?.['acc:token:1']?.trend?.burnPerDay).toBeCloseTo(24, 0);
  });
});
