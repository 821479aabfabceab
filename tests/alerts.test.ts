import { describe, expect, it } from 'vitest';
import { type AlertMemory, judgeAlerts } from '@/lib/alerts';
import type { KeyStatus, Reading } from '@/lib/model';
import { DEFAULT_SETTINGS, keyState, type Settings } from '@/lib/state';
import { makeKey, NOW, NOW_S, usdReading } from './helpers';

const DAY = 86_400;
const key = makeKey({ baseUrl: 'https://r.test', secret: 's' });
const reading = usdReading;
const ok = (r: Reading, extra: Partial<KeyStatus> = {}): KeyStatus => ({
  reading: r,
  error: null,
  attemptedAt: NOW,
  failures: 0,
  ...extra,
});

/** Feeds readings one poll after another (at `nows`, or all at NOW); returns what was announced at each. */
function run(statuses: KeyStatus[], settings: Settings = DEFAULT_SETTINGS, k = key, nows: number[] = []) {
  let memory: AlertMemory | undefined;
  return statuses.map((status, i) => {
    const now = nows[i] ?? NOW;
    const judged = judgeAlerts(k, status, keyState(k, status, settings, now), memory, settings, now);
    memory = judged.memory;
    return judged.alerts.map((a) => `${a.quiet ? 'quiet ' : ''}${a.days ? `${a.kind}:${a.state}:${a.days}` : `${a.kind}:${a.state}`}`);
  });
}

describe('alerts', () => {
  it('announces a crossing into low once, however many polls stay low', () => {
    expect(run([ok(reading(5)), ok(reading(0.9)), ok(reading(0.8)), ok(reading(0.7))])).toEqual([[], ['state:low'], [], []]);
  });

  it('does not cry wolf when a balance hovers at the threshold (hysteresis)', () => {
    // 10% of 10 is the line; 25% above it (1.25) is needed to re-arm.
    expect(run([ok(reading(0.9)), ok(reading(1.1)), ok(reading(0.95)), ok(reading(1.3)), ok(reading(0.9))])).toEqual([
      ['state:low'],
      [],
      [],
      // Recovered well past the line: back at work, said once (automation.md §5).
      ['restored:ok'],
      ['state:low'],
    ]);
  });

  it('says a key is back from low, capped, exhausted or refused, never from expired; quietly when notifications are off', () => {
    const refused: KeyStatus = {
      reading: reading(5),
      error: { kind: 'auth', message: 'HTTP 401', at: NOW },
      attemptedAt: NOW,
      failures: 1,
    };
    expect(run([ok(reading(0)), ok(reading(5))])).toEqual([['state:exhausted'], ['restored:ok']]);
    expect(run([refused, ok(reading(5))])).toEqual([['state:invalid'], ['restored:ok']]);
    expect(run([ok(reading(5, { expiresAt: NOW_S - DAY })), ok(reading(5))])).toEqual([['state:expired'], []]);
    // Notifications off: for alert channels only (quiet), never in the browser.
    expect(run([ok(reading(0)), ok(reading(5))], { ...DEFAULT_SETTINGS, notifications: false })).toEqual([
      ['quiet state:exhausted'],
      ['quiet restored:ok'],
    ]);
  });

  it('announces each worse state, and nothing when it gets better but not well', () => {
    const refused: KeyStatus = { reading: null, error: { kind: 'auth', message: 'x', at: NOW }, attemptedAt: NOW, failures: 1 };
    expect(run([ok(reading(0.5)), ok(reading(0)), ok(reading(0.5)), ok(reading(0)), refused])).toEqual([
      ['state:low'],
      ['state:exhausted'],
      [],
      ['state:exhausted'],
      [],
    ]);
  });

  it('says nothing about a key that cannot be read for a while, and does not forget what it announced', () => {
    const down: KeyStatus = { reading: reading(0.5), error: { kind: 'network', message: 'x', at: NOW }, attemptedAt: NOW, failures: 1 };
    expect(run([ok(reading(0.5)), down, down, ok(reading(0.5))])).toEqual([['state:low'], [], [], []]);
  });

  it('warns at 7, 3 and 1 days before expiry, once each, as time passes', () => {
    const expiresAt = NOW_S + 10 * DAY;
    const daysLeft = [10, 6.5, 5, 2.5, 2, 0.5];
    const nows = daysLeft.map((d) => (expiresAt - d * DAY) * 1000);
    const polls = daysLeft.map(() => ok(reading(5, { expiresAt })));
    expect(run(polls, DEFAULT_SETTINGS, key, nows)).toEqual([[], ['expiring:ok:7'], [], ['expiring:ok:3'], [], ['expiring:ok:1']]);
  });

  it('starts the expiry warnings over when the key is renewed', () => {
    const at = (days: number) => ok(reading(5, { expiresAt: NOW_S + days * DAY }));
    expect(run([at(2), at(40), at(6)])).toEqual([['expiring:ok:2'], [], ['expiring:ok:6']]);
  });

  it('honours the configured warning days', () => {
    const settings = { ...DEFAULT_SETTINGS, expiryWarningDays: [14] };
    expect(run([ok(reading(5, { expiresAt: NOW_S + 10 * DAY }))], settings)).toEqual([['expiring:ok:10']]);
  });

  it('announces an expired key as expired', () => {
    expect(run([ok(reading(5, { expiresAt: NOW_S - 60 }))])).toEqual([['state:expired']]);
  });

  it('announces a key low once when its forecast runs out within the runway, with the days (issue #16 §4)', () => {
    const settings = { ...DEFAULT_SETTINGS, forecastWarningDays: 3 };
    const burning = (days: number) => ok(reading(5), { trend: { burnPerDay: 1, runsOutAt: NOW + days * DAY * 1000, sparkline: [] } });
    // 3.5 days is past the runway but within its 25 % margin: not yet back; 6 days is.
    expect(run([burning(5), burning(2), burning(1.5), burning(3.5), burning(6), burning(2)], settings)).toEqual([
      [],
      ['state:low:2'],
      [],
      [],
      ['restored:ok'],
      ['state:low:2'],
    ]);
  });

  it('is silent while the key is snoozed, but still remembers; with notifications off, only quiet (channels)', () => {
    const snoozed = { ...key, snoozedUntil: NOW + 3600_000 };
    expect(run([ok(reading(0.5)), ok(reading(0.4))], DEFAULT_SETTINGS, snoozed)).toEqual([[], []]);
    expect(run([ok(reading(0.5))], { ...DEFAULT_SETTINGS, notifications: false })).toEqual([['quiet state:low']]);
    const expired = { ...key, snoozedUntil: NOW - 1 };
    expect(run([ok(reading(0.5))], DEFAULT_SETTINGS, expired)).toEqual([['state:low']]);
  });
});
