import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyConfig, ResolvedKind } from '@/lib/model';
import { ADAPTERS, readKey } from '@/lib/providers/read';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { answer, type FakeProviderOptions, type ProviderFlavor } from './fake-gateway/providers';
import { cannedContext, jsonResponse, liveContext, makeKey, NOW } from './helpers';

// Answers written from shared/spec/providers.md §2–6 (their JSON examples and field tables).
const OPENROUTER_KEY = {
  data: {
    label: 'sk-or-v1-abc...xyz',
    limit: 20,
    limit_reset: 'monthly',
    limit_remaining: 12.75,
    include_byok_in_limit: false,
    usage: 31.4,
    usage_daily: 0.2,
    usage_weekly: 1.1,
    usage_monthly: 7.25,
    byok_usage: 0,
    is_free_tier: false,
    free_model_daily_requests: { used: 3, limit: 1000, remaining: 997 },
  },
};
const OPENROUTER_UNCAPPED = {
  data: {
    label: 'sk-or-v1-def',
    limit: null,
    limit_reset: null,
    limit_remaining: null,
    usage: 3,
    usage_daily: 0,
    usage_weekly: 1,
    usage_monthly: 2,
  },
};
const DEEPSEEK = {
  is_available: true,
  balance_infos: [{ currency: 'USD', total_balance: '7.08', granted_balance: '0.00', topped_up_balance: '7.08' }],
};
const DEEPSEEK_TWO = {
  is_available: true,
  balance_infos: [
    { currency: 'CNY', total_balance: '110.00', granted_balance: '10.00', topped_up_balance: '100.00' },
    { currency: 'USD', total_balance: '2.50', granted_balance: '0.00', topped_up_balance: '2.50' },
  ],
};
const MOONSHOT = { code: 0, data: { available_balance: 18.5, voucher_balance: 15.0, cash_balance: 3.5 }, scode: '0x0', status: true };
const SILICONFLOW = {
  code: 20000,
  message: 'OK',
  status: true,
  data: { id: '', name: 'demo', isAdmin: false, balance: '1.20', chargeBalance: '30.00', totalBalance: '31.20', status: 'normal' },
};
const STEPFUN = { object: 'account', type: 'prepaid', balance: 9.4, total_cash_balance: 0, total_voucher_balance: 9.4 };

/** Reads a key whose site answers every request with `body`, and records the URLs asked. */
async function readCanned(fields: Partial<KeyConfig> & Pick<KeyConfig, 'baseUrl'>, status: number, body: unknown) {
  const urls: string[] = [];
  const headers: Headers[] = [];
  const key = makeKey({ secret: 'sk-test', ...fields });
  const outcome = await readKey(
    key,
    cannedContext((url, init) => {
      urls.push(url);
      headers.push(new Headers(init?.headers));
      return jsonResponse(status, body);
    }),
  );
  return { outcome, urls, headers };
}

describe('OpenRouter (providers.md §2)', () => {
  it('shows the key’s cap: limit_remaining of limit, its reset period and usage windows', async () => {
    const { outcome, urls, headers } = await readCanned(
      { kind: 'openrouter', baseUrl: 'https://openrouter.ai', secret: 'sk-or-v1-aa' },
      200,
      OPENROUTER_KEY,
    );
    expect(urls).toEqual(['https://openrouter.ai/api/v1/key']);
    expect(headers[0]?.get('authorization')).toBe('Bearer sk-or-v1-aa');
    expect(outcome).toMatchObject({
      ok: true,
      reading: {
        kind: 'openrouter',
        scope: 'key',
        unit: { code: 'USD' },
        unlimited: false,
        remaining: 12.75,
        granted: 20,
        used: 7.25,
        expiresAt: null,
        resetPeriod: 'monthly',
        usageWindows: { day: 0.2, week: 1.1, month: 7.25 },
      },
    });
  });

  it('takes limit: null as unlimited, and reads expires_at', async () => {
    const body = { data: { ...OPENROUTER_UNCAPPED.data, expires_at: '2026-12-31T00:00:00Z' } };
    const { outcome } = await readCanned({ kind: 'openrouter', baseUrl: 'https://openrouter.ai' }, 200, body);
    expect(outcome).toMatchObject({
      ok: true,
      reading: { unlimited: true, remaining: null, granted: null, used: 3, expiresAt: Date.UTC(2026, 11, 31) / 1000 },
    });
  });

  it('says a spent cap is spent', async () => {
    const body = { data: { ...OPENROUTER_KEY.data, limit_remaining: 0 } };
    const { outcome } = await readCanned({ kind: 'openrouter', baseUrl: 'https://openrouter.ai' }, 200, body);
    expect(outcome).toMatchObject({ ok: true, reading: { remaining: 0, granted: 20, used: 20 } });
  });
});

describe('DeepSeek (providers.md §3)', () => {
  it('reads string amounts with the currency of the entry and the granted and topped-up parts', async () => {
    const { outcome, urls } = await readCanned({ kind: 'deepseek', baseUrl: 'https://api.deepseek.com' }, 200, DEEPSEEK);
    expect(urls).toEqual(['https://api.deepseek.com/user/balance']);
    expect(outcome).toMatchObject({
      ok: true,
      reading: {
        kind: 'deepseek',
        scope: 'account',
        unit: { code: 'USD' },
        remaining: 7.08,
        granted: null,
        unlimited: false,
        expiresAt: null,
        parts: [
          { part: 'granted', amount: 0 },
          { part: 'paid', amount: 7.08 },
        ],
      },
    });
  });

  it('shows the entry in the key’s currency, else the first, with the others beside it', async () => {
    const first = await readCanned({ kind: 'deepseek', baseUrl: 'https://api.deepseek.com' }, 200, DEEPSEEK_TWO);
    expect(first.outcome).toMatchObject({
      ok: true,
      reading: { unit: { code: 'CNY' }, remaining: 110, otherBalances: [{ unit: { code: 'USD' }, amount: 2.5 }] },
    });
    const chosen = await readCanned({ kind: 'deepseek', baseUrl: 'https://api.deepseek.com', currency: 'USD' }, 200, DEEPSEEK_TWO);
    expect(chosen.outcome).toMatchObject({
      ok: true,
      reading: { unit: { code: 'USD' }, remaining: 2.5, otherBalances: [{ unit: { code: 'CNY' }, amount: 110 }] },
    });
  });

  it('takes amounts sent as numbers (an older revision)', async () => {
    const body = { is_available: true, balance_infos: [{ currency: 'CNY', total_balance: 5, granted_balance: 1, topped_up_balance: 4 }] };
    const { outcome } = await readCanned({ kind: 'deepseek', baseUrl: 'https://api.deepseek.com' }, 200, body);
    expect(outcome).toMatchObject({ ok: true, reading: { unit: { code: 'CNY' }, remaining: 5 } });
  });

  it('shows is_available: false as exhausted, even with granted money left', async () => {
    const body = {
      is_available: false,
      balance_infos: [{ currency: 'CNY', total_balance: '3.00', granted_balance: '3.00', topped_up_balance: '0.00' }],
    };
    const { outcome } = await readCanned({ kind: 'deepseek', baseUrl: 'https://api.deepseek.com' }, 200, body);
    expect(outcome).toMatchObject({
      ok: true,
      reading: {
        remaining: 0,
        parts: [
          { part: 'granted', amount: 3 },
          { part: 'paid', amount: 0 },
        ],
      },
    });
    const none = await readCanned({ kind: 'deepseek', baseUrl: 'https://api.deepseek.com' }, 200, {
      is_available: false,
      balance_infos: [],
    });
    expect(none.outcome).toMatchObject({ ok: true, reading: { remaining: 0, unit: { code: 'CNY' } } });
  });

  it('refuses an answer with no balance entry', async () => {
    const { outcome } = await readCanned({ kind: 'deepseek', baseUrl: 'https://api.deepseek.com' }, 200, {
      is_available: true,
      balance_infos: [],
    });
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'bad-response' } });
  });
});

describe('Moonshot (providers.md §4)', () => {
  it('reads available_balance with voucher and cash apart, in CNY on the .cn site', async () => {
    const { outcome, urls } = await readCanned({ kind: 'moonshot', baseUrl: 'https://api.moonshot.cn' }, 200, MOONSHOT);
    expect(urls).toEqual(['https://api.moonshot.cn/v1/users/me/balance']);
    expect(outcome).toMatchObject({
      ok: true,
      reading: {
        kind: 'moonshot',
        scope: 'account',
        unit: { code: 'CNY' },
        remaining: 18.5,
        parts: [
          { part: 'voucher', amount: 15 },
          { part: 'cash', amount: 3.5 },
        ],
      },
    });
  });

  it('is USD on the .ai site, and the key’s currency wins over the host', async () => {
    expect((await readCanned({ kind: 'moonshot', baseUrl: 'https://api.moonshot.ai' }, 200, MOONSHOT)).outcome).toMatchObject({
      reading: { unit: { code: 'USD' } },
    });
    expect(
      (await readCanned({ kind: 'moonshot', baseUrl: 'https://api.moonshot.ai', currency: 'CNY' }, 200, MOONSHOT)).outcome,
    ).toMatchObject({ reading: { unit: { code: 'CNY' } } });
  });

  it('keeps negative cash (arrears)', async () => {
    const body = { code: 0, data: { available_balance: 15, voucher_balance: 15, cash_balance: -2.25 }, scode: '0x0', status: true };
    const { outcome } = await readCanned({ kind: 'moonshot', baseUrl: 'https://api.moonshot.cn' }, 200, body);
    expect(outcome).toMatchObject({
      ok: true,
      reading: {
        remaining: 15,
        parts: [
          { part: 'voucher', amount: 15 },
          { part: 'cash', amount: -2.25 },
        ],
      },
    });
  });
});

describe('SiliconFlow (providers.md §5)', () => {
  it('reads totalBalance with bonus and paid parts, CNY on .cn and USD on .com', async () => {
    const cn = await readCanned({ kind: 'siliconflow', baseUrl: 'https://api.siliconflow.cn' }, 200, SILICONFLOW);
    expect(cn.urls).toEqual(['https://api.siliconflow.cn/v1/user/info']);
    expect(cn.outcome).toMatchObject({
      ok: true,
      reading: {
        kind: 'siliconflow',
        unit: { code: 'CNY' },
        remaining: 31.2,
        parts: [
          { part: 'granted', amount: 1.2 },
          { part: 'paid', amount: 30 },
        ],
      },
    });
    const com = await readCanned({ kind: 'siliconflow', baseUrl: 'https://api.siliconflow.com' }, 200, SILICONFLOW);
    expect(com.outcome).toMatchObject({ reading: { unit: { code: 'USD' } } });
  });

  it('takes a 401 with a bare JSON string as a refused key, with its words', async () => {
    const { outcome } = await readCanned({ kind: 'siliconflow', baseUrl: 'https://api.siliconflow.cn' }, 401, '"Api key is invalid"');
    expect(outcome).toEqual({ ok: false, error: { kind: 'auth', message: 'HTTP 401: Api key is invalid' } });
    const plain = await readKey(
      makeKey({ kind: 'siliconflow', baseUrl: 'https://api.siliconflow.cn', secret: 'sk-x' }),
      cannedContext(() => new Response('"Invalid token"', { status: 401, headers: { 'content-type': 'text/plain' } })),
    );
    expect(plain).toMatchObject({ ok: false, error: { kind: 'auth' } });
  });
});

describe('StepFun (providers.md §6)', () => {
  it('reads balance and the billing type, in CNY whatever the host, unless the key says', async () => {
    const { outcome, urls } = await readCanned({ kind: 'stepfun', baseUrl: 'https://api.stepfun.com' }, 200, STEPFUN);
    expect(urls).toEqual(['https://api.stepfun.com/v1/accounts']);
    expect(outcome).toMatchObject({
      ok: true,
      reading: { kind: 'stepfun', scope: 'account', unit: { code: 'CNY' }, remaining: 9.4, billing: 'prepaid', expiresAt: null },
    });
    const usd = await readCanned({ kind: 'stepfun', baseUrl: 'https://api.stepfun.com', currency: 'usd' }, 200, STEPFUN);
    expect(usd.outcome).toMatchObject({ reading: { unit: { code: 'USD' } } });
  });
});

describe('auto recognises provider keys without asking the site (automation.md §2)', () => {
  it.each([
    ['https://openrouter.ai', 'sk-or-v1-abc', 'https://openrouter.ai/api/v1/key', OPENROUTER_KEY, 'openrouter'],
    ['https://proxy.example.com', 'sk-or-v1-abc', 'https://proxy.example.com/api/v1/key', OPENROUTER_KEY, 'openrouter'],
    ['https://api.deepseek.com', 'sk-abc', 'https://api.deepseek.com/user/balance', DEEPSEEK, 'deepseek'],
    ['https://api.moonshot.cn', 'sk-abc', 'https://api.moonshot.cn/v1/users/me/balance', MOONSHOT, 'moonshot'],
    ['https://api.moonshot.ai', 'sk-abc', 'https://api.moonshot.ai/v1/users/me/balance', MOONSHOT, 'moonshot'],
    ['https://api.siliconflow.cn', 'sk-abc', 'https://api.siliconflow.cn/v1/user/info', SILICONFLOW, 'siliconflow'],
    ['https://api.siliconflow.com', 'sk-abc', 'https://api.siliconflow.com/v1/user/info', SILICONFLOW, 'siliconflow'],
    ['https://api.stepfun.com', 'abc', 'https://api.stepfun.com/v1/accounts', STEPFUN, 'stepfun'],
  ])('%s with %s', async (baseUrl, secret, url, body, kind) => {
    const { outcome, urls } = await readCanned({ kind: 'auto', baseUrl, secret }, 200, body);
    expect(urls).toEqual([url]);
    expect(outcome).toMatchObject({ ok: true, reading: { kind } });
  });
});

// Over real HTTP: refused keys, HTML error pages, 429s and timeouts behave as for the relay kinds.
const GOOD: Record<Exclude<ProviderFlavor, 'custom'> | 'sub2api', unknown> = {
  openrouter: OPENROUTER_KEY,
  deepseek: DEEPSEEK,
  moonshot: MOONSHOT,
  siliconflow: SILICONFLOW,
  stepfun: STEPFUN,
  sub2api: '{"balance":3.2,"isValid":true,"mode":"unrestricted","planName":"钱包余额","remaining":3.2,"unit":"USD"}',
};
const FLAVORS = Object.keys(GOOD) as (keyof typeof GOOD)[];
const accounts = (flavor: keyof typeof GOOD): FakeProviderOptions['accounts'] => ({
  'sk-good': GOOD[flavor],
  'sk-html': answer(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { html: true }),
  'sk-page': answer(200, '<!doctype html><title>Console</title>', { html: true }),
  'sk-busy': answer(429, null, { retryAfter: 30 }),
  'sk-forbidden': answer(403, { error: { message: 'insufficient balance' } }),
});

const gateways: Partial<Record<keyof typeof GOOD | 'slow', FakeGateway>> = {};
beforeAll(async () => {
  for (const flavor of FLAVORS) gateways[flavor] = await startGateway({ now: () => NOW, flavor, provider: { accounts: accounts(flavor) } });
  gateways.slow = await startGateway({ now: () => NOW, flavor: 'stepfun', provider: { accounts: { 'sk-good': STEPFUN } }, latencyMs: 400 });
});
afterAll(async () => {
  await Promise.all(Object.values(gateways).map((g) => g?.close()));
});

describe.each(FLAVORS)('%s over HTTP', (flavor) => {
  const read = (secret: string) => {
    const gateway = gateways[flavor] as FakeGateway;
    return ADAPTERS[flavor as ResolvedKind](makeKey({ kind: flavor, baseUrl: gateway.url, secret }), liveContext(gateway.url));
  };
  it('reads a good key, sending it as a Bearer token', async () => {
    expect(await read('sk-good')).toMatchObject({ ok: true, reading: { kind: flavor } });
    expect(gateways[flavor]?.requests.at(-1)?.headers.authorization).toBe('Bearer sk-good');
  });
  it('refuses an unknown key as auth', async () => {
    expect(await read('sk-nobody')).toMatchObject({ ok: false, error: { kind: 'auth' } });
  });
  it('takes a 403 as forbidden', async () => {
    expect(await read('sk-forbidden')).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
  });
  it('types HTML error pages and web pages', async () => {
    expect(await read('sk-html')).toMatchObject({ ok: false, error: { kind: 'server', message: 'HTTP 502, a web page' } });
    expect(await read('sk-page')).toMatchObject({ ok: false, error: { kind: 'bad-response', message: 'HTTP 200, a web page' } });
  });
  it('honours a 429’s Retry-After', async () => {
    expect(await read('sk-busy')).toMatchObject({ ok: false, error: { kind: 'rate-limited', retryAt: NOW + 30_000 } });
  });
});

it('a provider that does not answer in time is a timeout', async () => {
  const gateway = gateways.slow as FakeGateway;
  const key = makeKey({ kind: 'stepfun', baseUrl: gateway.url, secret: 'sk-good' });
  const outcome = await ADAPTERS.stepfun(key, { ...liveContext(gateway.url), timeoutMs: 50 });
  expect(outcome).toMatchObject({ ok: false, error: { kind: 'timeout' } });
});

describe('tolerance', () => {
  it('OpenRouter: falls back to the older /api/v1/auth/key where /api/v1/key is missing', async () => {
    const urls: string[] = [];
    const outcome = await readKey(
      makeKey({ kind: 'openrouter', baseUrl: 'https://proxy.example.com', secret: 'sk-or-v1-x' }),
      cannedContext((url) => {
        urls.push(url);
        return url.endsWith('/auth/key')
          ? jsonResponse(200, OPENROUTER_KEY)
          : jsonResponse(404, { error: { code: 404, message: 'Not Found' } });
      }),
    );
    expect(urls).toEqual(['https://proxy.example.com/api/v1/key', 'https://proxy.example.com/api/v1/auth/key']);
    expect(outcome).toMatchObject({ ok: true, reading: { remaining: 12.75 } });
  });

  it('OpenRouter: amounts as strings, and an answer without limit', async () => {
    const strings = await readCanned({ kind: 'openrouter', baseUrl: 'https://openrouter.ai' }, 200, {
      data: { limit: '10', limit_remaining: '2.5' },
    });
    expect(strings.outcome).toMatchObject({ ok: true, reading: { granted: 10, remaining: 2.5, unlimited: false } });
    const bare = await readCanned({ kind: 'openrouter', baseUrl: 'https://openrouter.ai' }, 200, { data: { usage: 1 } });
    expect(bare.outcome).toMatchObject({ ok: true, reading: { unlimited: true, remaining: null } });
  });

  it('DeepSeek: an answer without is_available is available', async () => {
    const { outcome } = await readCanned({ kind: 'deepseek', baseUrl: 'https://api.deepseek.com' }, 200, {
      balance_infos: DEEPSEEK.balance_infos,
    });
    expect(outcome).toMatchObject({ ok: true, reading: { remaining: 7.08 } });
  });
});

it('a provider that echoes the secret in its refusal does not get it shown', async () => {
  const { outcome } = await readCanned({ kind: 'deepseek', baseUrl: 'https://api.deepseek.com', secret: 'sk-echoed-0123456789' }, 401, {
    error: { message: 'Authentication Fails, Your api key: sk-echoed-0123456789 is invalid', type: 'authentication_error' },
  });
  expect(outcome).toEqual({ ok: false, error: { kind: 'auth', message: 'HTTP 401: Authentication Fails, Your api key: ••• is invalid' } });
});
