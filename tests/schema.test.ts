import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CycleClaim, SiteCache } from '@/lib/engine';
import { ERROR_KINDS, KEY_KINDS, type KeyConfig, type KeyStatus } from '@/lib/model';
import {
  errorKindSchema,
  keyConfigSchema,
  keyStatusSchema,
  type StoredCycleClaim,
  type StoredSiteCache,
  settingsSchema,
} from '@/lib/schema';
import { STORED_KINDS } from '@/lib/schema-kinds';
import { DEFAULT_SETTINGS, type Settings, withDefaults } from '@/lib/state';
import { unreadableKeys, unreadableSettings } from '@/lib/storage/check';
import { SETTINGS_MIGRATIONS } from '@/lib/storage/items';
import { isUsableKey, isUsableStatus } from '@/lib/storage/shape';

const fixture = (name: string) => JSON.parse(readFileSync(`tests/fixtures/storage/${name}.json`, 'utf8'));
const v1 = fixture('v1');
const odd = fixture('v2-odd');

/** Values a damaged or hand-edited profile may hold where anything else was expected. */
const junk = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.string(),
  fc.boolean(),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 12.5),
  fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);

/** Sets `path` in a copy of `value`. */
function withField(value: unknown, path: string[], next: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  let at = copy;
  for (const part of path.slice(0, -1)) at = at[part] as Record<string, unknown>;
  const last = path.at(-1) as string;
  if (next === undefined) delete at[last];
  else at[last] = next;
  return copy;
}

describe('stored shapes (issue #7, item 15)', () => {
  it('the schemas accept what this version and the last one stored', () => {
    for (const key of v1.keys) expect(keyConfigSchema.safeParse(key).success).toBe(true);
    for (const status of Object.values(v1.statuses)) expect(keyStatusSchema.safeParse(status).success).toBe(true);
    expect(settingsSchema.safeParse(DEFAULT_SETTINGS).success).toBe(true);
    expect(errorKindSchema.options).toEqual([...ERROR_KINDS]);
  });

  it('the types of the caches the engine writes are the stored ones', () => {
    expectTypeOf<SiteCache>().toEqualTypeOf<StoredSiteCache>();
    expectTypeOf<CycleClaim>().toEqualTypeOf<StoredCycleClaim>();
  });

  it('names the stored keys that fail, and only those', () => {
    expect(unreadableKeys(odd.keys)).toEqual([odd.keys[1], null]);
    expect(unreadableKeys({ k1: odd.keys[0] })).toHaveLength(1);
    expect(unreadableKeys(undefined)).toEqual([]);
    expect(unreadableKeys([{ ...odd.keys[0], kind: 'not-a-kind' }])).toHaveLength(1);
  });

  it('the popup’s cheap key check agrees with the schema (property)', () => {
    const base: KeyConfig = { ...v1.keys[1], currency: 'USD', threshold: { type: 'amount', value: 1 }, snoozedUntil: 5 };
    const fields = Object.keys(keyConfigSchema.shape);
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.oneof(junk, fc.constantFrom(...KEY_KINDS)), (field, value) => {
        const key = withField(base, [field], value);
        expect(isUsableKey(key)).toBe(keyConfigSchema.safeParse(key).success);
      }),
    );
    expect(STORED_KINDS, 'a new provider’s kind must be added to STORED_KINDS').toEqual([...KEY_KINDS]);
    expect(isUsableKey({ ...base, kind: 'from-a-newer-version' })).toBe(false);
  });

  it('the cheap status check agrees with the schema on the fields code reads (property)', () => {
    const base = v1.statuses.k1 as KeyStatus;
    const paths = [
      ['reading'],
      ['error'],
      ['attemptedAt'],
      ['failures'],
      ['trend'],
      ['trend', 'sparkline'],
      ['alert'],
      ['reading', 'remaining'],
      ['reading', 'granted'],
      ['reading', 'unit'],
      ['reading', 'unlimited'],
      ['reading', 'expiresAt'],
      ['reading', 'fetchedAt'],
      ['reading', 'plans'],
      ['reading', 'tokens'],
      ['reading', 'parts'],
      ['reading', 'modelLimits'],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), junk, (path, value) => {
        const status = withField(base, path, value);
        expect(isUsableStatus(status)).toBe(keyStatusSchema.safeParse(status).success);
      }),
    );
    expect(isUsableStatus(odd['status:k1'])).toBe(false);
    expect(isUsableStatus(odd['status:k3'])).toBe(true);
  });

  it('a bad setting falls back alone, and is named (property: fallback and report agree)', () => {
    const settings = withDefaults(odd.settings);
    expect(settings).toEqual({
      ...DEFAULT_SETTINGS,
      defaultThreshold: { type: 'amount', value: 3 },
      defaultLowAmounts: { USD: 1, CNY: 9, tokens: 100000, other: 1 },
      notifications: false,
      forecastWarningDays: 2,
    });
    expect(unreadableSettings(odd.settings)).toEqual(['intervalMinutes', 'defaultLowAmounts.USD', 'expiryWarningDays']);
    expect(unreadableSettings('junk')).toEqual(['settings']);
    expect(withDefaults('junk' as never)).toEqual(DEFAULT_SETTINGS);

    const valid: Settings = { ...DEFAULT_SETTINGS, intervalMinutes: 5, notifications: false, expiryWarningDays: [2] };
    const fields = Object.keys(settingsSchema.shape).filter((f) => f !== 'defaultLowAmounts') as (keyof Settings)[];
    fc.assert(
      fc.property(fc.constantFrom(...fields), junk, (field, value) => {
        const stored = { ...valid, [field]: value };
        const fellBack = JSON.stringify(withDefaults(stored)[field]) !== JSON.stringify(value);
        const reported = unreadableSettings(stored).includes(field);
        // A missing setting is new, not broken: it takes its default without a word.
        expect(fellBack && value !== undefined).toBe(reported);
        if (fellBack) expect(withDefaults(stored)[field]).toEqual(DEFAULT_SETTINGS[field]);
      }),
    );
  });

  it('each settings migration step turns its fixture of the older shape into valid settings, keeping the user’s choices', () => {
    const fromV1 = SETTINGS_MIGRATIONS[4](SETTINGS_MIGRATIONS[3](SETTINGS_MIGRATIONS[2](fixture('settings-v1'))));
    expect(settingsSchema.parse(fromV1)).toEqual({ ...DEFAULT_SETTINGS, ...fixture('settings-v1') });
    const fromV2 = SETTINGS_MIGRATIONS[4](SETTINGS_MIGRATIONS[3](fixture('settings-v2')));
    expect(settingsSchema.parse(fromV2)).toEqual({
      ...fixture('settings-v2'),
      defaultLowAmounts: DEFAULT_SETTINGS.defaultLowAmounts,
      windowLowPercent: 20,
    });
    // Version 3 (today's shape before quota windows) keeps every choice and gains the window low share.
    const fromV3 = SETTINGS_MIGRATIONS[4](fixture('settings-v3'));
    expect(settingsSchema.parse(fromV3)).toEqual({ ...fixture('settings-v3'), windowLowPercent: 20 });
  });

  it('a status stored before quota windows parses unchanged, and round-trips with windows added', () => {
    const before = JSON.parse(fixture('v3-windows-before')['status:k1']) as KeyStatus;
    expect(before.reading).not.toHaveProperty('windows');
    expect(keyStatusSchema.parse(before)).toEqual(before);
    expect(isUsableStatus(before)).toBe(true);
    const windows = [
      {
        name: '5h',
        scope: 'key',
        unit: 'USD',
        limit: 5,
        used: 5,
        remaining: 0,
        percentUsed: 100,
        resetsAt: 1795510000,
        resets: true,
        rolling: false,
      },
    ] as const;
    const after = { ...before, reading: { ...(before.reading as NonNullable<KeyStatus['reading']>), windows: [...windows] } };
    expect(keyStatusSchema.parse(JSON.parse(JSON.stringify(after)))).toEqual(after);
    expect(isUsableStatus(after)).toBe(true);
    // A damaged window makes the status unusable to the popup, as the schema says.
    const broken = { ...after, reading: { ...after.reading, windows: [{ ...windows[0], limit: 'five' }] } };
    expect(keyStatusSchema.safeParse(broken).success).toBe(false);
    expect(isUsableStatus(broken)).toBe(false);
  });
});
