import { describe, expect, it } from 'vitest';
import { buildBackup, mergeImport, parseBackup } from '@/lib/backup';
import { type Channel, channelForFile, maskUrl, mergeChannels } from '@/lib/channels';
import { analyseImport } from '@/lib/imports/detect';
import { mergeExtras } from '@/lib/imports/extras';
import type { KeyConfig } from '@/lib/model';
import { DEFAULT_ALERT_SETTINGS } from '@/lib/settings-v3';
import { DEFAULT_SETTINGS } from '@/lib/state';
import { applyKeyChange, listVersion } from '@/lib/storage/keys';
import { makeKey, NOW } from './helpers';

const v3 = (fields: Record<string, unknown>) =>
  JSON.stringify({ format: 'quota-glance', version: 3, exportedAt: '2026-12-07T03:00:00.000Z', keys: [], ...fields });

const relay = 'https://relay.example.com';
const secretA = 'sk-aaaaaaaaaaaaaaaaaaaaaaaa1111';
const secretB = 'sk-bbbbbbbbbbbbbbbbbbbbbbbb2222';

/** The channels of automation.md §3.4's example, with made-up secrets. */
const EXAMPLE_CHANNELS = [
  { type: 'webhook', label: 'team hook', url: 'https://hooks.example.com/qg' },
  { type: 'ntfy', label: 'phone', server: 'https://ntfy.sh', topic: 'qg-7f3a', token: 'tk_ntfy0123456789abcdef' },
  { type: 'telegram', label: 'me', server: 'https://api.telegram.org', botToken: '123456:ABCdefGHIjklMNOpqr', chatId: '42' },
  { type: 'bark', label: 'iPhone', server: 'https://api.day.app', deviceKey: 'barkDevice0123456789' },
  {
    type: 'dingtalk',
    label: 'ops',
    url: 'https://oapi.dingtalk.com/robot/send?access_token=dtk0123456789abcdef',
    signSecret: 'SEC0123456789abcdef',
  },
  {
    type: 'feishu',
    label: 'ops cn',
    url: 'https://open.feishu.cn/open-apis/bot/v2/hook/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
    signSecret: 'fs0123456789abcdef',
  },
  { type: 'wecom', label: 'ops wx', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' },
  { type: 'serverchan', label: 'wechat', sendKey: 'SCT0123456789abcdef' },
];
const SECRETS = [
  'tk_ntfy0123456789abcdef',
  '123456:ABCdefGHIjklMNOpqr',
  'barkDevice0123456789',
  'dtk0123456789abcdef',
  'SEC0123456789abcdef',
  'fs0123456789abcdef',
  '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
  'SCT0123456789abcdef',
];

const parsed = (text: string) => {
  const result = parseBackup(text);
  if (!result.ok) throw new Error(result.problems.join('\n'));
  return result;
};
const problems = (text: string) => {
  const result = parseBackup(text);
  return result.ok ? [] : result.problems;
};
const merged = (stored: KeyConfig[], text: string, now = NOW) => {
  const result = mergeImport(stored, parsed(text).keys, now, () => 'made-up');
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result;
};

describe('backup version 3: reading (automation.md §3.1, §3.4)', () => {
  it('reads a key’s id, updatedAt, muted and pinned, the settings and every channel type of the example', () => {
    const file = parsed(
      v3({
        keys: [
          { id: 'k-1', updatedAt: NOW - 5, muted: true, pinned: false, label: 'ci', baseUrl: relay, kind: 'newapi-token', secret: secretA },
        ],
        settings: { notifyRestored: false, digestHour: 9, intervalMinutes: 15, somethingNewer: 1 },
        channels: EXAMPLE_CHANNELS.map((c) => ({ ...c, addedByANewerVersion: true })),
      }),
    );
    expect(file.keys[0]).toMatchObject({ id: 'k-1', updatedAt: NOW - 5, muted: true, pinned: false });
    expect(file.settings).toEqual({ notifyRestored: false, digestHour: 9, intervalMinutes: 15 });
    expect(file.channels).toEqual(EXAMPLE_CHANNELS);
  });

  it('gives `server` its public default, keeps a self-hosted one, and reads a numeric chat id as text', () => {
    const file = parsed(
      v3({
        channels: [
          { type: 'ntfy', label: 'a', topic: 't' },
          { type: 'bark', label: 'b', server: 'https://bark.example.org/', deviceKey: 'd' },
          { type: 'telegram', label: 'c', botToken: 'b', chatId: -100123 },
        ],
      }),
    );
    expect(file.channels).toEqual([
      { type: 'ntfy', label: 'a', server: 'https://ntfy.sh', topic: 't' },
      { type: 'bark', label: 'b', server: 'https://bark.example.org', deviceKey: 'd' },
      { type: 'telegram', label: 'c', server: 'https://api.telegram.org', botToken: 'b', chatId: '-100123' },
    ]);
  });

  it('skips a channel of a type this version does not know, lists it, and imports the rest', () => {
    const analysis = analyseImport(
      v3({ channels: [{ type: 'pigeon', label: 'loft', coop: 3 }, EXAMPLE_CHANNELS[0]], settings: { digestHour: null } }),
    );
    expect(analysis).toMatchObject({
      status: 'ready',
      keys: [],
      extras: {
        settings: { digestHour: null },
        channels: [EXAMPLE_CHANNELS[0]],
        unknownChannels: [{ position: 1, type: 'pigeon', label: 'loft' }],
      },
    });
  });

  it.each([
    [
      'two keys of one id',
      v3({
        keys: [
          { id: 'same', label: 'one', baseUrl: relay, kind: 'auto', secret: secretA },
          { id: 'same', label: 'two', baseUrl: relay, kind: 'auto', secret: secretB },
        ],
      }),
      'Keys 1 ("one") and 2 ("two") have the same field "id" "same"; each key needs its own.',
    ],
    [
      'an id that is not text',
      v3({ keys: [{ id: 7, label: 'x', baseUrl: relay, kind: 'auto', secret: secretA }] }),
      'Key 1 ("x"): field "id" must be text',
    ],
    [
      'an updatedAt that is not Unix ms',
      v3({ keys: [{ updatedAt: 'yesterday', label: 'x', baseUrl: relay, kind: 'auto', secret: secretA }] }),
      'Key 1 ("x"): field "updatedAt" must be Unix milliseconds',
    ],
    [
      'a muted that is not a boolean',
      v3({ keys: [{ muted: 'yes', label: 'x', baseUrl: relay, kind: 'auto', secret: secretA }] }),
      'Key 1 ("x"): field "muted" must be true or false',
    ],
    [
      'a digest hour out of range',
      v3({ settings: { digestHour: 24 } }),
      'The file: field "settings.digestHour" must be an hour from 0 to 23, or null',
    ],
    ['settings that are not an object', v3({ settings: [] }), 'The file: field "settings" must be an object'],
    [
      'notifyRestored as text',
      v3({ settings: { notifyRestored: 'on' } }),
      'The file: field "settings.notifyRestored" must be true or false',
    ],
    ['channels that are not a list', v3({ channels: {} }), 'The file: field "channels" must be a list'],
    ['a channel without a type', v3({ channels: [{ label: 'x' }] }), 'Channel 1 ("x"): field "type" is required'],
    [
      'an ntfy channel without its topic',
      v3({ channels: [EXAMPLE_CHANNELS[0], { type: 'ntfy', label: 'phone' }] }),
      'Channel 2 ("phone"): field "topic" is required for type ntfy',
    ],
    [
      'a channel without a label',
      v3({ channels: [{ type: 'webhook', url: 'https://h.example.com' }] }),
      'Channel 1: field "label" is required for type webhook',
    ],
    [
      'a webhook that is not http(s)',
      v3({ channels: [{ type: 'webhook', label: 'w', url: 'javascript:alert(1)' }] }),
      'Channel 1 ("w"): field "url" is not an http(s) URL',
    ],
    [
      'a version newer than 3',
      JSON.stringify({ format: 'quota-glance', version: 4, keys: [] }),
      'The file: field "version" is newer than this version of Quota Glance understands',
    ],
  ])('refuses %s and says where', (_, text, problem) => {
    expect(problems(text)).toContain(problem);
  });

  it('still reads versions 1 and 2', () => {
    for (const version of [1, 2])
      expect(
        parseBackup(
          JSON.stringify({ format: 'quota-glance', version, keys: [{ label: 'x', baseUrl: relay, kind: 'auto', secret: secretA }] }),
        ).ok,
      ).toBe(true);
  });
});

describe('backup version 3: merging keys by id (automation.md §3.4, §6)', () => {
  const stored = [
    makeKey({ id: 'k-1', label: 'ci', baseUrl: relay, secret: secretA, kind: 'newapi-token', createdAt: 1, updatedAt: NOW - 1000 }),
  ];

  it('a key of the same id updates the stored key even with another secret (a rotated key), keeping its id', () => {
    const result = merged(
      stored,
      v3({ keys: [{ id: 'k-1', label: 'ci rotated', baseUrl: relay, kind: 'newapi-token', secret: secretB }] }),
    );
    expect(result.keys).toHaveLength(1);
    expect(result.keys[0]).toMatchObject({ id: 'k-1', label: 'ci rotated', secret: secretB, createdAt: 1, updatedAt: NOW });
    expect(result.updated).toEqual(['k-1']);
  });

  it('when id and site + secret name different stored keys, the site + secret wins and no secret is overwritten', () => {
    const two = [...stored, makeKey({ id: 'k-2', label: 'other', baseUrl: relay, secret: secretB, updatedAt: 1 })];
    const result = merged(two, v3({ keys: [{ id: 'k-1', label: 'renamed', baseUrl: relay, kind: 'auto', secret: secretB }] }));
    expect(result.keys.map((k) => [k.id, k.label, k.secret])).toEqual([
      ['k-1', 'ci', secretA],
      ['k-2', 'renamed', secretB],
    ]);
  });

  it('a new key keeps the file’s id and updatedAt; a made-up id never takes one the file brings', () => {
    const result = mergeImport(
      stored,
      parsed(
        v3({
          keys: [
            { label: 'no id', baseUrl: relay, kind: 'auto', secret: 'sk-noid-0123456789' },
            { id: 'made-up', updatedAt: 1234, label: 'with id', baseUrl: relay, kind: 'auto', secret: 'sk-withid-0123456789' },
          ],
        }),
      ).keys,
      NOW,
      () => 'made-up',
    );
    if (!result.ok) throw new Error('refused');
    expect(result.keys.slice(1).map((k) => [k.id, k.label, k.updatedAt])).toEqual([
      ['made-up-2', 'no id', NOW],
      ['made-up', 'with id', 1234],
    ]);
  });

  it('an update gets the later of the file’s updatedAt and a fresh stamp; an update that changes nothing keeps the stored one', () => {
    const later = NOW + 60_000; // written by a browser whose clock is ahead
    const ahead = merged(
      stored,
      v3({ keys: [{ id: 'k-1', updatedAt: later, label: 'x', baseUrl: relay, kind: 'newapi-token', secret: secretA }] }),
    );
    expect(ahead.keys[0]?.updatedAt).toBe(later);
    const older = merged(
      stored,
      v3({ keys: [{ id: 'k-1', updatedAt: 5, label: 'y', baseUrl: relay, kind: 'newapi-token', secret: secretA }] }),
    );
    expect(older.keys[0]).toMatchObject({ label: 'y', updatedAt: NOW });
    // The stored clock is ahead of this one: still strictly later (lib/storage/keys.ts `stamp`).
    const behind = merged(
      [{ ...(stored[0] as KeyConfig), updatedAt: NOW + 5 }],
      v3({ keys: [{ id: 'k-1', label: 'z', baseUrl: relay, kind: 'newapi-token', secret: secretA }] }),
    );
    expect(behind.keys[0]?.updatedAt).toBe(NOW + 6);
    const same = merged(stored, buildBackup(stored, true, 0));
    expect(same.keys[0]?.updatedAt).toBe(NOW - 1000);
  });

  it('muted and pinned are taken from the file; left out, they stay as stored', () => {
    const result = merged(
      stored,
      v3({ keys: [{ id: 'k-1', muted: true, pinned: true, label: 'ci', baseUrl: relay, kind: 'newapi-token', secret: secretA }] }),
    );
    expect(result.keys[0]).toMatchObject({ muted: true, pinned: true });
    const kept = merged(result.keys, v3({ keys: [{ id: 'k-1', label: 'ci', baseUrl: relay, kind: 'newapi-token', secret: secretA }] }));
    expect(kept.keys[0]).toMatchObject({ muted: true, pinned: true });
    const unmuted = merged(
      result.keys,
      v3({ keys: [{ id: 'k-1', muted: false, label: 'ci', baseUrl: relay, kind: 'newapi-token', secret: secretA }] }),
    );
    expect(unmuted.keys[0]).toMatchObject({ muted: false, pinned: true });
  });

  it('a masked secret updates the key of its id, which keeps its secret, even when that secret changed since the export', () => {
    const masked = buildBackup(stored, false, 0);
    const rotated = [{ ...(stored[0] as KeyConfig), secret: secretB }];
    const result = merged(rotated, masked.replace('"label": "ci"', '"label": "ci again"'));
    expect(result.keys).toEqual([expect.objectContaining({ id: 'k-1', label: 'ci again', secret: secretB })]);
  });

  it('the key writer keeps a carried updatedAt for an added key, and a later carried one for a changed key', () => {
    const added = applyKeyChange(
      [],
      { type: 'replace', keys: [{ ...(stored[0] as KeyConfig), updatedAt: 1234 }], expected: listVersion([]) },
      NOW,
    );
    expect(!('refused' in added) && added[0]?.updatedAt).toBe(1234);
    const ahead = { ...(stored[0] as KeyConfig), label: 'changed', updatedAt: NOW + 60_000 };
    const changed = applyKeyChange(stored, { type: 'replace', keys: [ahead], expected: listVersion(stored) }, NOW);
    expect(!('refused' in changed) && changed[0]?.updatedAt).toBe(NOW + 60_000);
    const behind = applyKeyChange(stored, { type: 'replace', keys: [{ ...ahead, updatedAt: 3 }], expected: listVersion(stored) }, NOW);
    expect(!('refused' in behind) && behind[0]?.updatedAt).toBe(NOW);
  });
});

describe('backup version 3: export (automation.md §3.4)', () => {
  const key = makeKey({ id: 'k-1', label: 'ci', baseUrl: relay, secret: secretA, kind: 'newapi-token', updatedAt: NOW - 7, muted: true });
  const extras = {
    settings: { ...DEFAULT_SETTINGS, intervalMinutes: 45 },
    alerts: { notifyRestored: false, digestHour: 8 },
    channels: parsed(v3({ channels: EXAMPLE_CHANNELS })).channels,
  };

  it('writes version 3 with each key’s id, updatedAt, muted and pinned, the settings and the channels', () => {
    const file = JSON.parse(buildBackup([key], true, NOW, extras));
    expect(file).toMatchObject({ version: 3, keys: [{ id: 'k-1', updatedAt: NOW - 7, muted: true, pinned: false }] });
    expect(file.settings).toEqual({
      notifyRestored: false,
      digestHour: 8,
      intervalMinutes: 45,
      defaultThreshold: DEFAULT_SETTINGS.defaultThreshold,
      defaultLowAmounts: DEFAULT_SETTINGS.defaultLowAmounts,
      notifications: true,
      expiryWarningDays: DEFAULT_SETTINGS.expiryWarningDays,
      forecastWarningDays: 3,
      windowLowPercent: 20,
    });
    expect(file.channels).toEqual(EXAMPLE_CHANNELS);
  });

  it('masks every channel secret, and the path and query of URLs, unless secrets are included', () => {
    const text = buildBackup([key], false, NOW, extras);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const channels = JSON.parse(text).channels as Channel[];
    expect(channels.map((c) => [c.label, 'url' in c ? c.url : undefined])).toEqual([
      ['team hook', 'https://hooks.example.com/••••'],
      ['phone', undefined],
      ['me', undefined],
      ['iPhone', undefined],
      ['ops', 'https://oapi.dingtalk.com/•••••/••••?access_token=dtk…cdef'],
      ['ops cn', 'https://open.feishu.cn/ope…apis/••••/••••/••••/0f1…4a5b'],
      ['ops wx', 'https://qyapi.weixin.qq.com/•••••••/•••••••/••••?key=0f1…4a5b'],
      ['wechat', undefined],
    ]);
    expect(channels[1]).toMatchObject({ topic: 'qg-7f3a', token: 'tk_…cdef' });
    expect(maskUrl('https://hooks.example.com')).toBe('https://hooks.example.com');
  });
});

describe('backup version 3: merging settings and channels', () => {
  const stored = { settings: DEFAULT_SETTINGS, alerts: DEFAULT_ALERT_SETTINGS, channels: [] as Channel[] };

  it('settings the file names replace the stored ones; the rest stay', () => {
    const found = analyseImport(v3({ settings: { digestHour: 7, defaultLowAmounts: { CNY: 20 } } }));
    if (found.status !== 'ready' || !found.extras) throw new Error('not read');
    const { extras, settings } = mergeExtras(stored, found.extras);
    expect(settings).toBe(true);
    expect(extras.alerts).toEqual({ notifyRestored: true, digestHour: 7 });
    expect(extras.settings).toEqual({ ...DEFAULT_SETTINGS, defaultLowAmounts: { ...DEFAULT_SETTINGS.defaultLowAmounts, CNY: 20 } });
  });

  it('the same type and label updates a channel, where a masked secret keeps the stored one; nothing is removed', () => {
    const full = parsed(v3({ channels: EXAMPLE_CHANNELS })).channels;
    const masked = full.map((c) => ({ ...channelForFile(c, false), ...(c.type === 'ntfy' ? { topic: 'new-topic' } : {}) }));
    const result = mergeChannels([...full, { type: 'webhook', label: 'kept', url: 'https://k.example.com' }], masked);
    expect(result).toMatchObject({ added: 0, updated: 8, masked: [] });
    expect(result.channels).toEqual([
      ...full.map((c) => (c.type === 'ntfy' ? { ...c, topic: 'new-topic' } : c)),
      { type: 'webhook', label: 'kept', url: 'https://k.example.com' },
    ]);
  });

  it('a masked secret with no stored channel of that name leaves the channel out and lists it', () => {
    const masked = parsed(v3({ channels: EXAMPLE_CHANNELS })).channels.map((c) => channelForFile(c, false));
    const result = mergeChannels([], masked);
    expect(result.channels).toEqual([]);
    expect(result.masked.map((c) => c.label)).toEqual(['team hook', 'phone', 'me', 'iPhone', 'ops', 'ops cn', 'ops wx', 'wechat']);
  });
});
