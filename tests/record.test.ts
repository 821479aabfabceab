import { describe, expect, it } from 'vitest';
import type { AlertMemory } from '@/lib/alerts';
import { recordResult, statusAfter } from '@/lib/engine/record';
import type { Point } from '@/lib/history';
import type { KeyConfig, KeyStatus, Reading, ReadOutcome } from '@/lib/model';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { NOW } from './helpers';

// Recording a result is a pure function: no HTTP, no storage, no clock but `now`.

const key: KeyConfig = {
  id: 'k1',
  label: 'key one',
  baseUrl: 'https://relay.example',
  kind: 'newapi-token',
  secret: 'sk-x',
  createdAt: 0,
  updatedAt: 0,
};
const reading = (fields: Partial<Reading> = {}): Reading => ({
  kind: 'newapi-token',
  scope: 'key',
  unit: { code: 'USD', symbol: '$' },
  unlimited: false,
  remaining: 80,
  granted: 100,
  used: 20,
  expiresAt: null,
  fetchedAt: NOW,
  ...fields,
});
const status = (fields: Partial<KeyStatus> = {}): KeyStatus => ({
  reading: null,
  error: null,
  attemptedAt: null,
  failures: 0,
  ...fields,
});
const HOUR = 3600_000;
const rememberedLow: AlertMemory = { state: 'low' };
const trend = { burnPerDay: 1, runsOutAt: null, sparkline: [] as Point[] };

describe('statusAfter: a read’s outcome onto the previous status', () => {
  const old = reading({ remaining: 50, fetchedAt: NOW - HOUR });
  const fresh = reading();
  const failed: ReadOutcome = { ok: false, error: { kind: 'server', message: 'HTTP 502' } };
  const held: ReadOutcome = { ok: false, error: { kind: 'rate-limited', message: 'held back', retryAt: NOW + HOUR, heldBack: true } };
  const refusedWithFigures: ReadOutcome = { ok: false, error: { kind: 'auth', message: 'disabled' }, reading: fresh };

  it.each<[string, KeyStatus | undefined, ReadOutcome, KeyStatus]>([
    [
      'a success clears the error and the failures, and remembers the kind that answered',
      status({ reading: old, error: { kind: 'server', message: 'x', at: NOW - HOUR }, failures: 3, alert: rememberedLow, trend }),
      { ok: true, reading: fresh },
      status({ reading: fresh, attemptedAt: NOW, detectedKind: 'newapi-token', alert: rememberedLow, trend }),
    ],
    [
      'a failure keeps the last good reading and counts one more failure',
      status({ reading: old, failures: 1, detectedKind: 'openai-billing' }),
      failed,
      status({
        reading: old,
        error: { kind: 'server', message: 'HTTP 502', at: NOW },
        attemptedAt: NOW,
        failures: 2,
        detectedKind: 'openai-billing',
      }),
    ],
    [
      'a key never read that fails has one failure and no reading',
      undefined,
      failed,
      status({ error: { kind: 'server', message: 'HTTP 502', at: NOW }, attemptedAt: NOW, failures: 1 }),
    ],
    [
      'a read held back by Quota Glance’s own budget is no attempt: the status stays the last attempt’s, with the key’s turn',
      status({ reading: old, failures: 2, attemptedAt: NOW - HOUR, error: { kind: 'server', message: 'HTTP 502', at: NOW - HOUR } }),
      held,
      status({
        reading: old,
        error: { kind: 'server', message: 'HTTP 502', at: NOW - HOUR },
        attemptedAt: NOW - HOUR,
        failures: 2,
        heldBack: { at: NOW, until: NOW + HOUR },
      }),
    ],
    [
      'a refused key held back stays refused (it was not asked again)',
      status({ reading: old, attemptedAt: NOW - HOUR, failures: 1, error: { kind: 'auth', message: 'HTTP 401', at: NOW - HOUR } }),
      held,
      status({
        reading: old,
        attemptedAt: NOW - HOUR,
        failures: 1,
        error: { kind: 'auth', message: 'HTTP 401', at: NOW - HOUR },
        heldBack: { at: NOW, until: NOW + HOUR },
      }),
    ],
    [
      'the next attempt ends the hold, whatever it gives',
      status({ reading: old, attemptedAt: NOW - HOUR, heldBack: { at: NOW - 1, until: NOW } }),
      failed,
      status({ reading: old, error: { kind: 'server', message: 'HTTP 502', at: NOW }, attemptedAt: NOW, failures: 1 }),
    ],
    [
      'a refusal that comes with figures stores those figures',
      status({ reading: old }),
      refusedWithFigures,
      status({ reading: fresh, error: { kind: 'auth', message: 'disabled', at: NOW }, attemptedAt: NOW, failures: 1 }),
    ],
  ])('%s', (_name, previous, outcome, expected) => {
    expect(statusAfter(previous, outcome, NOW)).toEqual(expected);
  });
});

describe('recordResult: status, history and alerts to commit', () => {
  const minute = (ms: number) => Math.floor(ms / 60_000);
  const earlier: Point[] = [
    [minute(NOW - 3 * HOUR), 95],
    [minute(NOW - 2 * HOUR), 90],
  ];
  // 81 → 80.5 → 80 in three hours: 8 a day, ten days of runway.
  const slow: Point[] = [
    [minute(NOW - 3 * HOUR), 81],
    [minute(NOW - 2 * HOUR), 80.5],
  ];

  it.each<{
    name: string;
    result: KeyStatus;
    history: Point[];
    settings?: Partial<typeof DEFAULT_SETTINGS>;
    points: Point[];
    alerts: object[];
    memory: AlertMemory;
  }>([
    {
      name: 'a healthy reading adds a point and a trend, and announces nothing',
      result: status({ reading: reading(), attemptedAt: NOW }),
      history: slow,
      points: [...slow, [minute(NOW), 80]],
      alerts: [],
      memory: {},
    },
    {
      // 95 → 90 → 80 in three hours: at that pace 80 lasts 16 hours, inside the 3-day runway (issue #16 §4).
      name: 'a reading well above its threshold that runs out within 3 days announces low once',
      result: status({ reading: reading(), attemptedAt: NOW }),
      history: earlier,
      points: [...earlier, [minute(NOW), 80]],
      alerts: [{ kind: 'state', state: 'low', days: 1 }],
      memory: { state: 'low' },
    },
    {
      name: 'a reading under the 10 % threshold announces low once',
      result: status({ reading: reading({ remaining: 5, used: 95 }), attemptedAt: NOW }),
      history: [],
      points: [[minute(NOW), 5]],
      alerts: [{ kind: 'state', state: 'low' }],
      memory: { state: 'low' },
    },
    {
      name: 'a key already announced low is not announced again',
      result: status({ reading: reading({ remaining: 5, used: 95 }), attemptedAt: NOW, alert: rememberedLow }),
      history: [],
      points: [[minute(NOW), 5]],
      alerts: [],
      memory: { state: 'low' },
    },
    {
      name: 'with notifications off, an exhausted key is remembered and announced quietly (alert channels only)',
      result: status({ reading: reading({ remaining: 0, used: 100 }), attemptedAt: NOW }),
      history: [],
      settings: { notifications: false },
      points: [[minute(NOW), 0]],
      alerts: [{ kind: 'state', state: 'exhausted', quiet: true }],
      memory: { state: 'exhausted' },
    },
    {
      name: 'an unlimited key gets no history point',
      result: status({ reading: reading({ unlimited: true, remaining: null, granted: null }), attemptedAt: NOW }),
      history: earlier,
      points: earlier,
      alerts: [],
      memory: {},
    },
    {
      name: 'a failed read keeps the old reading but adds no point',
      result: status({
        reading: reading({ remaining: 5, fetchedAt: NOW - HOUR }),
        error: { kind: 'server', message: 'HTTP 502', at: NOW },
        attemptedAt: NOW,
        failures: 1,
      }),
      history: earlier,
      points: earlier,
      alerts: [],
      memory: {},
    },
  ])('$name', ({ result, history, settings, points, alerts, memory }) => {
    const input = Object.freeze({ k1: Object.freeze([...history]) as Point[] });
    const recorded = recordResult({
      key,
      result,
      stored: undefined,
      history: input,
      settings: { ...DEFAULT_SETTINGS, ...settings },
      now: NOW,
    });
    expect(recorded.history.k1 ?? []).toEqual(points);
    expect(recorded.alerts.map((a) => a.alert)).toEqual(alerts);
    for (const a of recorded.alerts) expect(a.key).toBe(key);
    expect(recorded.status.alert?.state).toEqual(memory.state);
    expect(recorded.status.reading).toEqual(result.reading);
    // A new point brings a trend; the input history is left as it was (frozen: a write would throw).
    if (points.length > history.length) expect(recorded.status.trend?.sparkline.at(-1)).toEqual(points.at(-1));
    else expect(recorded.history.k1).toBe(input.k1);
    expect(input.k1).toEqual(history);
  });
});
