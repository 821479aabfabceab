import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { z } from 'zod';
import type { KeyConfig, Reading } from '@/lib/model';
import { redactAnswer } from '@/lib/providers/redact';
import { OWN_WORDS, redactText, SECRET_PIECE, sanitizeError, sanitizeReading } from '@/lib/redact';
import { readErrorSchema, readingSchema } from '@/lib/schema';
import { keysItem, scrubStoredStatuses, statusesItem } from '@/lib/storage/items';
import { startBackground } from './background-helpers';
import type { AccountOptions } from './fake-gateway/accounts';
import { startGateway } from './fake-gateway/gateway';
import { key48, NOW, NOW_S, usdReading } from './helpers';

/**
 * No secret and no text-direction trick gets through a reading, at any depth: every
 * string field of the stored schema is tried, so a field added later is tried too.
 */

type Path = (string | number)[];
type Def = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType; entries?: object };
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * A full value of a schema (every optional field present, every list with one item),
 * with the paths of its string fields and of its enum fields. A kind of field it does
 * not know fails the test: a record, say, would be keyed by gateway text, which the
 * sanitiser leaves alone (lib/redact.ts scrubs values, not field names).
 */
function sample(schema: z.ZodType, path: Path = [], found = { strings: [] as Path[], enums: [] as Path[] }) {
  const def = defOf(schema);
  const at = path.join('.') || '(root)';
  const value = ((): unknown => {
    switch (def.type) {
      case 'object':
        return Object.fromEntries(
          Object.entries(def.shape ?? {}).map(([field, inner]) => [field, sample(inner, [...path, field], found).value]),
        );
      case 'array':
        return [sample(def.element as z.ZodType, [...path, 0], found).value];
      case 'optional':
      case 'nullable':
        return sample(def.innerType as z.ZodType, path, found).value;
      case 'string':
        found.strings.push(path);
        return 'plain text';
      case 'number':
        return 1;
      case 'boolean':
        return true;
      case 'enum':
        found.enums.push(path);
        return Object.values(def.entries ?? {})[0];
      default:
        throw new Error(`${at} is a zod ${def.type}: teach this test, and lib/redact.ts if it can hold gateway text, about it`);
    }
  })();
  return { value, ...found };
}

function setAt(target: unknown, path: Path, value: string) {
  let node = target as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  node[path.at(-1) as string | number] = value;
}

/** A path as lib/redact.ts names it: field names joined, list items sharing their list's path. */
const dotted = (path: Path) => path.filter((step) => typeof step === 'string').join('.');

// A 48-character API key (token-like too), and a short access token only its own forms can catch.
const SECRETS = [`sk-${key48('deepsecret')}`, 'a1B2c3D4e5F6g7'];
const bare = (secret: string) => secret.replace(/^sk-/, '').toLowerCase();
const DISGUISES = ['\u202e', '\u202d', '\u200f', '\u200e', '\u2066', '\u2069', '\u200b', '\u0085', '\u001b'];
/** What a hostile gateway puts in a field: the secret as sent, upper case, split by a zero-width space, and direction tricks. */
const hostile = (secret: string) =>
  `x ${secret}\u202e ${secret.toUpperCase()} ${secret.slice(0, 6)}\u200b${secret.slice(6)} \u2066y\u2069\u200f\u001b[0m`;

/** Every string in a value, at any depth. */
const stringsOf = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(stringsOf) : [];

function expectClean(value: unknown, secret: string) {
  expect(JSON.stringify(value).toLowerCase()).not.toContain(bare(secret));
  for (const text of stringsOf(value)) {
    for (const mark of DISGUISES) expect(text, `U+${mark.codePointAt(0)?.toString(16)}`).not.toContain(mark);
  }
}

describe('every string of a stored reading is scrubbed (lib/schema.ts readingSchema)', () => {
  const { value: base, strings, enums } = sample(readingSchema);

  it('finds the account fields among the string fields, so the walk below covers them', () => {
    const names = strings.map(dotted);
    for (const field of [
      'tokens.name',
      'tokens.modelLimits',
      'plans.title',
      'tokensError.message',
      'plansError.message',
      'unit.symbol',
      // Quota windows carry the gateway's own names and units (relays.md §1.1).
      'windows.name',
      'windows.unit',
    ])
      expect(names).toContain(field);
  });

  for (const secret of SECRETS) {
    it.each(strings.map((path) => [dotted(path) || '(root)', path] as const))(
      `%s keeps neither the secret (${secret.length} characters) nor a control or direction character`,
      (_, path) => {
        const reading = structuredClone(base) as Reading;
        setAt(reading, path, hostile(secret));
        const clean = sanitizeReading(reading, [secret]);
        expectClean(clean, secret);
        // Still a reading the background can store.
        expect(readingSchema.safeParse(clean).success).toBe(true);
      },
    );
  }

  it('leaves ordinary text and the extension’s own words as they are', () => {
    expect(sanitizeReading(base as Reading, SECRETS)).toEqual(base);
    const words = { ...(base as Reading), name: 'Équipe 研发 🚀 فريق', plans: [{ ...(base as Reading).plans?.[0], title: 'Pro 月度' }] };
    expect(sanitizeReading(words as Reading, SECRETS)).toEqual(words);
  });

  it('exempts only enum fields from scrubbing', () => {
    const enumPaths = new Set(enums.map(dotted));
    for (const path of OWN_WORDS) expect(enumPaths, path).toContain(path);
  });

  it('scrubs every string of a read error, whatever else it carries', () => {
    const { value, strings: errorStrings } = sample(readErrorSchema);
    expect(errorStrings.length).toBeGreaterThan(0);
    for (const secret of SECRETS)
      for (const path of errorStrings) {
        const error = { ...(value as z.infer<typeof readErrorSchema>), at: NOW };
        setAt(error, path, hostile(secret));
        const clean = sanitizeError(error, [secret]);
        expectClean(clean, secret);
        expect(clean.at).toBe(NOW);
      }
  });
});

describe('control and text-direction characters', () => {
  it('are taken out of gateway text: C0, C1, bidi marks, embeddings, overrides, isolates, zero-width', () => {
    const marks = [
      ...'\u0000\u0007\u001b\u007f\u0080\u0085\u009b\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u2028\u2029',
      ...'\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2066\u2067\u2068\u2069\ufeff',
    ];
    for (const mark of marks) expect(redactText(`evil${mark}name`, []), `U+${mark.codePointAt(0)?.toString(16)}`).not.toContain(mark);
    expect(redactText('gpt\u202e4o.exe', [])).toBe('gpt4o.exe');
    expect(redactText('line one\r\nline two', [])).toBe('line one line two');
  });

  it('are taken out of the values of a Test answer shown on the options page, the secret split by one too', () => {
    const shown = redactAnswer(
      { data: { note: `pay\u202emoc.evil ${'abc123'.slice(0, 3)}\u200b${'abc123'.slice(3)}`, left: 4 } },
      'abc123',
    );
    expect(shown).toEqual({ data: { note: 'paymoc.evil •••', left: 4 } });
  });
});

describe('a new-api account that echoes its access token (new-api-accounts.md §A, §B)', () => {
  // Short enough that only the account's own secret forms can catch it, not the token-like rule.
  const ACCESS = 'Qg7acc9f3kZp';
  const account = (url: string): KeyConfig => ({
    id: 'acc',
    label: 'my account',
    baseUrl: url,
    kind: 'newapi-user',
    secret: ACCESS,
    userId: 7,
    watchTokens: true,
    createdAt: 0,
    updatedAt: 0,
  });
  const plan = { id: 31, userId: 7, planId: 4, total: 5_000_000, used: 4_900_000, startTime: NOW_S - 86_400, endTime: NOW_S + 20 * 86_400 };

  /** Reads the account through the background as the browser runs it, against the fake gateway: its stored status, notifications and badge. */
  async function readHostile(accounts: AccountOptions) {
    const g = await startGateway({
      now: () => NOW,
      flavor: 'new-api',
      users: [{ id: 7, accessToken: ACCESS, quota: 1_000_000, usedQuota: 0 }],
      accounts,
    });
    const created: { title: string; message: string }[] = [];
    Object.assign(fakeBrowser.notifications, {
      create: vi.fn(async (id: string, options: { title: string; message: string }) => {
        created.push({ title: options.title, message: options.message });
        return id;
      }),
    });
    await keysItem.setValue([account(g.url)]);
    const background = startBackground({ now: () => NOW, timeoutMs: 2000 });
    try {
      await background.ready;
      await background.engine.refresh('all');
      // The gateway did echo it: what follows is the extension's doing.
      expect(g.requests.some((r) => r.headers.authorization === ACCESS)).toBe(true);
      return { status: (await statusesItem.getValue()).acc, created, title: await fakeBrowser.action.getTitle({}) };
    } finally {
      background.stop();
      await g.close();
    }
  }

  const noAccess = (text: string) => expect(text.toLowerCase()).not.toContain(ACCESS.toLowerCase());

  it('keeps it out of a refused token list’s error and a plan’s title: stored status, notifications, badge', async () => {
    const shown = await readHostile({
      tokens: [],
      refuseTokenList: { status: 401, message: 'access token {auth} is not allowed to list tokens' },
      subscriptions: [plan],
      plans: [{ id: 4, title: 'Pro {auth}' }],
    });
    expect(shown.status?.reading?.tokensError).toMatchObject({ kind: 'auth', message: expect.stringContaining('•••') });
    expect(shown.status?.reading?.plans?.[0]?.title).toBe('Pro •••');
    // The plan is low: announced under its title, and named in the tooltip.
    expect(shown.created.map((n) => n.title)).toContain('my account · Pro •••: Low');
    noAccess(JSON.stringify(shown.status));
    noAccess(JSON.stringify(shown.created));
    noAccess(shown.title);
  });

  it('keeps it out of watched tokens’ names and model limits, and a refused plan list’s error', async () => {
    const shown = await readHostile({
      tokens: [
        { id: 1, userId: 7, key: key48('leak'), name: 'leak {auth}', remain: 100_000, used: 4_900_000, modelLimits: 'gpt-4o,{auth}' },
        { id: 2, userId: 7, key: key48('rtl'), name: 'gpt\u202efdp.exe', remain: 0, used: 1_000_000 },
      ],
      subscriptions: [plan],
      refuseSubscriptions: { status: 403, message: 'plans are closed to {auth}' },
    });
    const reading = shown.status?.reading;
    expect(reading?.tokens?.map((t) => t.name).sort()).toEqual(['gptfdp.exe', 'leak •••']);
    expect(reading?.tokens?.find((t) => t.id === 1)?.modelLimits).toEqual(['gpt-4o', '•••']);
    expect(reading?.plansError).toMatchObject({ kind: 'forbidden', message: expect.stringContaining('•••') });
    // Both tokens are announced as their own rows, under their scrubbed names.
    expect(shown.created.map((n) => n.title).sort()).toEqual(['gptfdp.exe: Exhausted', 'leak •••: Low']);
    expect(shown.title).toContain('• leak •••: Low');
    expect(shown.title).toContain('• gptfdp.exe: Exhausted');
    for (const text of [JSON.stringify(shown.status), JSON.stringify(shown.created), shown.title]) {
      noAccess(text);
      expect(text).not.toContain('\u202e');
    }
  });

  it('scrubs statuses an older version stored with the token in the account parts', async () => {
    const reading: Reading = {
      kind: 'newapi-user',
      scope: 'account',
      unit: { code: 'custom', symbol: `\u202e${ACCESS}` },
      unlimited: false,
      remaining: 1,
      granted: 1,
      used: 0,
      expiresAt: null,
      fetchedAt: NOW,
      tokens: [{ id: 1, name: `leak ${ACCESS}`, status: 1, remaining: 1, granted: 1, used: 0, unlimited: false, expiresAt: null }],
      tokensError: { kind: 'auth', message: `HTTP 401: access token ${ACCESS} is not allowed` },
      plans: [
        { id: 1, planId: 4, title: `Pro ${ACCESS}`, remaining: 1, total: 1, used: 0, unlimited: false, resetsAt: null, endsAt: NOW_S },
      ],
      plansError: { kind: 'forbidden', message: `HTTP 403: ${ACCESS}` },
    };
    await keysItem.setValue([account('https://relay.test')]);
    await statusesItem.setValue({ acc: { reading, error: null, attemptedAt: NOW, failures: 0 } });
    expect(await scrubStoredStatuses()).toBe(true);
    const { keys, ...rest } = await fakeBrowser.storage.local.get(null);
    expect(JSON.stringify(keys)).toContain(ACCESS);
    noAccess(JSON.stringify(rest));
    expect(JSON.stringify(await statusesItem.getValue())).not.toContain('\u202e');
    expect(await scrubStoredStatuses()).toBe(false);
  });
});

describe('a secret the gateway cut, split, spaced out or disguised is redacted too (review of issue #15)', () => {
  const key = 'sk-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghij';
  const core = key.slice(3);
  const visible = (text: string) => {
    // No 12 letters-and-digits of the key survive anywhere, in any case or width, across any separator.
    const flat = [...text.normalize('NFKC').toLowerCase()].filter((c) => /[a-z0-9]/.test(c)).join('');
    const lower = core.toLowerCase();
    for (let i = 0; i + SECRET_PIECE <= lower.length; i++) if (flat.includes(lower.slice(i, i + SECRET_PIECE))) return true;
    return false;
  };

  it.each([
    ['cut by a length limit', `${'x '.repeat(90)}${key}`.slice(0, 200)],
    ['split by spaces', core.match(/.{1,20}/g)?.join(' ') ?? ''],
    ['split by dots', core.match(/.{1,6}/g)?.join('.') ?? ''],
    ['split by no-break spaces and U+034F', core.match(/.{1,10}/g)?.join('\u00a0\u034f') ?? ''],
    ['in fullwidth letters', [...key].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('')],
    ['in capitals', key.toUpperCase()],
    ['a model name that is the key less its last character', `gpt-${key.slice(0, -1)}`],
  ])('%s', (_, echoed) => {
    expect(visible(echoed)).toBe(true);
    expect(visible(redactText(`401: ${echoed}`, [key]))).toBe(false);
    const reading = sanitizeReading({ ...usdReading(1), name: echoed, modelLimits: [echoed] }, [key]);
    expect(visible(JSON.stringify(reading))).toBe(false);
  });

  it('keeps ordinary text around the secret, and text that merely shares a few letters with it', () => {
    expect(redactText(`token ${key} refused`, [key])).toBe('token ••• refused');
    expect(redactText('AbCdEf is a fine name', [key])).toBe('AbCdEf is a fine name');
  });

  it('the options page’s Test answer: the secret in any case, split by invisible characters, in names and values', () => {
    const split = `${core.slice(0, 20)}\u200b${core.slice(20)}`;
    const shown = JSON.stringify(redactAnswer({ [key.toUpperCase()]: key.toUpperCase(), [split]: 1, '\u202ename': 'ok' }, key));
    expect(visible(shown)).toBe(false);
    expect(shown).not.toContain('\u202e');
  });
});
