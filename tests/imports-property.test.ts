import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildBackup, MAX_IMPORT_KEYS, mergeImport, UNSAFE_CHARACTERS } from '@/lib/backup';
import { parseAllApiHub } from '@/lib/imports/all-api-hub';
import { analyseImport } from '@/lib/imports/detect';
import { mergeExtras } from '@/lib/imports/extras';
import { parseLines } from '@/lib/imports/lines';
import { decodeProviderLinkData, parseCcSwitchLink, parseConnectionJson } from '@/lib/imports/links';
import { KEY_KINDS, type KeyConfig } from '@/lib/model';
import { DEFAULT_ALERT_SETTINGS } from '@/lib/settings-v3';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { channelList, storedSettings } from './arbitraries';

/** Text that looks like the things people import, mangled in every way. */
const pieces = fc.constantFrom(
  'https://relay.example.com',
  'sk-abc',
  'cherrystudio://providers/api-keys?v=1&data=',
  'ccswitch://v1/import?resource=provider&apiKey=',
  '{"_type":"newapi_channel_conn","key":',
  '{"format":"quota-glance","version":2,"keys":[',
  '{"version":"2.0","accounts":{"accounts":[',
  '{"type":"all-api-hub-webdav-backup-encrypted","v":1,"iter":',
  '"site_type":"new-api"',
  '"account_info":{"id":',
  '%2B',
  '+',
  '\u202E',
  '\u0000',
  '\n',
  '\t',
  '    ',
  '#',
  ']}',
  '}',
  ',',
  ' ',
);
const messyText = fc.oneof(
  fc.string(),
  fc.array(fc.oneof(pieces, fc.string({ maxLength: 8 })), { maxLength: 40 }).map((p) => p.join('')),
);
const anyJson = fc.jsonValue({ maxDepth: 5 });

const storedKey = (id: string, secret: string): KeyConfig => ({
  id,
  label: id,
  baseUrl: 'https://relay.example.com',
  kind: 'auto',
  secret,
  createdAt: 1,
  updatedAt: 1,
});

describe('importers never throw (property)', () => {
  it('on any text', () => {
    fc.assert(
      fc.property(messyText, (text) => {
        analyseImport(text);
        parseLines(text);
        decodeProviderLinkData(text);
        parseCcSwitchLink(text);
        parseConnectionJson(text);
      }),
      { numRuns: 400 },
    );
  });

  it('on any JSON shaped like an All API Hub backup', () => {
    const account = fc.record(
      {
        site_url: anyJson,
        site_type: fc.oneof(fc.constantFrom('new-api', 'one-api', 'Veloera', 'sub2api'), anyJson),
        authType: anyJson,
        account_info: anyJson,
        disabled: anyJson,
        updated_at: anyJson,
      },
      { requiredKeys: [] },
    );
    const profile = fc.record(
      {
        name: anyJson,
        baseUrl: fc.oneof(fc.constant('https://p.example.com'), anyJson),
        apiKey: anyJson,
        expiresAt: anyJson,
        telemetryConfig: anyJson,
        updatedAt: anyJson,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.record(
          {
            version: anyJson,
            accounts: fc.oneof(fc.array(account), fc.record({ accounts: fc.array(account) }), anyJson),
            data: fc.oneof(fc.record({ accounts: fc.array(account) }), anyJson),
            apiCredentialProfiles: fc.oneof(fc.record({ version: anyJson, profiles: fc.array(profile) }), anyJson),
          },
          { requiredKeys: [] },
        ),
        (obj) => {
          const got = parseAllApiHub(obj);
          analyseImport(JSON.stringify(obj));
          for (const key of got.keys) expect(key.secret.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('an import stores all of a file or nothing (property)', () => {
  it('a refused merge leaves the stored list untouched; an accepted one deletes nothing', () => {
    const storedList = fc
      .uniqueArray(fc.stringMatching(/^sk-[a-z0-9]{1,12}$/), { maxLength: 6 })
      .map((secrets) => secrets.map((s, i) => storedKey(`s${i}`, s)));
    fc.assert(
      fc.property(storedList, messyText, (stored, text) => {
        const before = structuredClone(stored);
        const analysis = analyseImport(text);
        if (analysis.status !== 'ready') return;
        const merged = mergeImport(stored, analysis.keys, 5, () => crypto.randomUUID());
        expect(stored).toEqual(before);
        if (!merged.ok) return;
        const ids = new Set(merged.keys.map((k) => k.id));
        for (const key of before) expect(ids.has(key.id)).toBe(true);
        expect(merged.added.length + before.length).toBe(merged.keys.length);
        expect(merged.keys.length).toBeLessThanOrEqual(before.length + MAX_IMPORT_KEYS);
      }),
      { numRuns: 300 },
    );
  });
});

/** A valid stored key with every optional field possibly set. */
const keyConfig = fc
  .record({
    label: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s.length > 0 && !UNSAFE_CHARACTERS.test(s)),
    host: fc.constantFrom('relay.example.com', 'a.example.org:8443', 'portal-api.r9s.ai'),
    kind: fc.constantFrom(...KEY_KINDS),
    secret: fc.stringMatching(/^[A-Za-z0-9_-]{9,40}$/),
    userId: fc.option(fc.integer({ min: 1, max: 1e9 }), { nil: undefined }),
    threshold: fc.option(
      fc.record({ type: fc.constantFrom('percent' as const, 'amount' as const), value: fc.integer({ min: 0, max: 1000 }) }),
      { nil: undefined },
    ),
    intervalMinutes: fc.option(fc.integer({ min: 1, max: 1440 }), { nil: undefined }),
    currency: fc.option(fc.constantFrom('USD', 'CNY', 'tokens'), { nil: undefined }),
    watchTokens: fc.option(fc.boolean(), { nil: undefined }),
    // Version 3 (automation.md §3.1, §3.4): a stored flag is true or absent.
    muted: fc.option(fc.constant(true), { nil: undefined }),
    pinned: fc.option(fc.constant(true), { nil: undefined }),
    updatedAt: fc.integer({ min: 1, max: 4_102_444_800_000 }),
    expiresAt: fc.option(fc.integer({ min: 1, max: 99_999_999_999 }), { nil: undefined }),
    custom: fc.option(
      fc.record({
        path: fc.constant('/api/balance'),
        remaining: fc.constant('/data/left'),
        headers: fc.constant({ 'X-Api-Key': '{secret}' }),
        scale: fc.constant(2),
      }),
      { nil: undefined },
    ),
  })
  .map(({ host, kind, userId, custom, ...rest }) => {
    const key: KeyConfig = { id: 'x', baseUrl: `https://${host}`, kind, ...rest, createdAt: 1 };
    for (const name of Object.keys(key) as (keyof KeyConfig)[]) if (key[name] === undefined) delete key[name];
    if (kind === 'newapi-user') key.userId = userId ?? 42;
    else if (userId !== undefined) key.userId = userId;
    if (kind === 'custom') key.custom = custom ?? { path: '/b', remaining: 'a.b' };
    else if (custom) key.custom = custom;
    return key;
  });

/** What a backup file does not carry: when the key was created here, and a snooze. */
const stripped = ({ createdAt, snoozedUntil, ...rest }: KeyConfig) => rest;

describe('export with secrets → import round-trips every stored field (property, issue #7.14, backup version 3)', () => {
  it('into an empty list and onto the same list: keys with their ids and update times, settings and channels', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(keyConfig, { selector: (k) => `${k.baseUrl} ${k.secret}`, maxLength: 8 }),
        storedSettings,
        channelList,
        (generated, { settings, alerts }, channels) => {
          const keys = generated.map((key, i) => ({ ...key, id: `k${i}` }));
          const analysis = analyseImport(buildBackup(keys, true, 0, { settings, alerts, channels }));
          if (analysis.status !== 'ready' || !analysis.extras) throw new Error(JSON.stringify(analysis));
          const fresh = mergeImport([], analysis.keys, 9, () => crypto.randomUUID());
          if (!fresh.ok) throw new Error('merge refused');
          expect(fresh.keys.map(stripped)).toEqual(keys.map(stripped));
          const again = mergeImport(keys, analysis.keys, 9, () => crypto.randomUUID());
          if (!again.ok) throw new Error('merge refused');
          expect(again.keys.map(stripped)).toEqual(keys.map(stripped));
          expect({ added: again.added.length, updated: again.updated.length }).toEqual({ added: 0, updated: keys.length });

          const elsewhere = { settings: DEFAULT_SETTINGS, alerts: DEFAULT_ALERT_SETTINGS, channels: [] };
          expect(mergeExtras(elsewhere, analysis.extras).extras).toEqual({ settings, alerts, channels });
          expect(mergeExtras({ settings, alerts, channels }, analysis.extras).extras).toEqual({ settings, alerts, channels });
          // Without secrets, onto the browser it came from: nothing changes.
          const masked = analyseImport(buildBackup(keys, false, 0, { settings, alerts, channels }));
          if (masked.status !== 'ready' || !masked.extras) throw new Error(JSON.stringify(masked));
          const home = mergeImport(keys, masked.keys, 9, () => crypto.randomUUID());
          expect(home.ok && home.keys.map(stripped)).toEqual(keys.map(stripped));
          expect(mergeExtras({ settings, alerts, channels }, masked.extras).extras).toEqual({ settings, alerts, channels });
        },
      ),
      { numRuns: 200 },
    );
  });
});
