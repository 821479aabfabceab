import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '@/lib/engine';
import { analyseImport } from '@/lib/imports/detect';
import type { KeyConfig, KeyStatus, ReadOutcome } from '@/lib/model';
import { recognise } from '@/lib/providers/detect';
import { usagesUrl } from '@/lib/providers/kimi-code';
import { ADAPTERS, readKey } from '@/lib/providers/read';
import { capping, DEFAULT_SETTINGS, keyState } from '@/lib/state';
import type { QuotaWindow } from '@/lib/windows';
import { memoryStore } from '../bench/memory-item';
import { bearerOnly } from './fake-gateway/coding-plans';
import { type FakeGateway, startGateway } from './fake-gateway/gateway';
import { answer } from './fake-gateway/providers';
import { liveContext, makeKey } from './helpers';

/**
 * The coding plans' scenarios (shared/spec/relays.md §8.4 GLM, §8.5 Kimi Code), each read
 * over real HTTP from the fake gateway serving the spec's bodies as written, at the spec's
 * "now" (2026-12-08T08:00:00Z).
 */
const SPEC_NOW = Date.UTC(2026, 11, 8, 8);

// relays.md §5 example, verbatim.
const GLM_EXAMPLE = `{"code":200,"msg":"success","success":true,"data":{"level":"pro","limits":[
  {"type":"TOKENS_LIMIT","unit":3,"number":5,"percentage":22,"nextResetTime":1796731200000},
  {"type":"TOKENS_LIMIT","unit":6,"number":1,"percentage":41,"nextResetTime":1797206400000},
  {"type":"TIME_LIMIT","unit":5,"number":1,"usage":1000,"currentValue":120,"remaining":880,"percentage":12,
   "nextResetTime":1798761600000,"usageDetails":[{"modelCode":"search-prime","usage":90},{"modelCode":"web-reader","usage":30}]}]}}`;
// relays.md §6 examples, verbatim.
const KIMI_FIRST = `{"user":{"userId":"u1","region":"REGION_OVERSEA","membership":{"level":"LEVEL_INTERMEDIATE"}},
 "usage":{"limit":"100","used":"26","remaining":"74","resetTime":"2026-12-11T17:32:50.757941Z"},
 "limits":[{"window":{"duration":300,"timeUnit":"TIME_UNIT_MINUTE"},
            "detail":{"limit":"100","used":"15","remaining":"85","resetTime":"2026-12-08T12:32:50.757941Z"}}],
 "authentication":{"method":"METHOD_ACCESS_TOKEN","scope":"FEATURE_CODING"}}`;
const KIMI_SECOND = `{"limits":[{"window":{"duration":300,"timeUnit":"TIME_UNIT_MINUTE"},"detail":{"limit":"100","used":"2","remaining":"98","resetTime":"2026-12-08T11:34:13.259685Z"}}],
 "booster_wallet":{"status":"STATUS_DISABLED","allowTopup":true},
 "usages":{"limit_5h":{"used_ratio":0.019267,"reset_time":"2026-12-08T11:34:12Z"},
           "limit_month_total":{"used_ratio":0.0998,"reset_time":"2027-01-07T00:00:00Z"},
           "limit_month_code":{"used_ratio":0.0968,"reset_time":"2027-01-07T00:00:00Z"}}}`;

const GLM: Record<string, unknown> = {
  'glm-1': GLM_EXAMPLE,
  'glm-2': GLM_EXAMPLE.replace('"percentage":22', '"percentage":100'),
  'glm-3':
    '{"code":200,"msg":"success","success":true,"data":{"limits":[{"type":"TOKENS_LIMIT","percentage":35},{"type":"TIME_LIMIT","percentage":3}]}}',
  'glm-4': GLM_EXAMPLE.replaceAll('TOKENS_LIMIT', 'CREDIT_LIMIT'),
  'glm-5': '{"code":401,"msg":"token expired","success":false}',
  'glm-6': '{"code":500,"msg":"no coding plan","success":false}',
  'glm-7': bearerOnly(GLM_EXAMPLE),
  'glm-8': answer(200, ''),
  'glm-403': answer(403, { code: 403, msg: 'forbidden', success: false }),
};
const KIMI: Record<string, unknown> = {
  'sk-kimi-1': KIMI_FIRST,
  'sk-kimi-2': KIMI_FIRST.replace(
    '"detail":{"limit":"100","used":"15","remaining":"85"',
    '"detail":{"limit":"100","used":"100","remaining":"0"',
  ),
  'sk-kimi-3': '{"usage":{"limit":"100","remaining":"74","resetTime":"2026-12-11T17:32:50Z"}}',
  'sk-kimi-4': KIMI_FIRST.replace('"usage":{"limit":"100","used":"26","remaining":"74"', '"usage":{"limit":100,"used":26,"remaining":74'),
  'sk-kimi-5': KIMI_SECOND,
  'sk-kimi-6': KIMI_SECOND.replace(
    '"limit_month_total":{"used_ratio":0.0998,"reset_time":"2027-01-07T00:00:00Z"}',
    '"limit_month_total":{"used_ratio":1,"reset_time":"2027-01-07T00:00:00Z"}',
  ),
  'sk-kimi-7': answer(401, { error: { message: 'Authorization failed. Please check your API key' } }),
  'sk-kimi-8': answer(404, { error: 'Usage endpoint not available' }),
  'sk-kimi-9': answer(429, null, { retryAfter: 600 }),
};

let glm: FakeGateway;
let kimi: FakeGateway;
beforeAll(async () => {
  glm = await startGateway({ flavor: 'glm-coding', now: () => SPEC_NOW, provider: { accounts: GLM } });
  kimi = await startGateway({ flavor: 'kimi-code', now: () => SPEC_NOW, provider: { accounts: KIMI } });
});
afterAll(async () => {
  await Promise.all([glm.close(), kimi.close()]);
});

const keyOf = (kind: 'glm-coding' | 'kimi-code', secret: string, gateway: FakeGateway) =>
  makeKey({ id: secret, label: secret, kind, baseUrl: gateway.url, secret });
const read = (key: KeyConfig, gateway: FakeGateway) =>
  ADAPTERS[key.kind as 'glm-coding'](
    key,
    liveContext(gateway.url, () => SPEC_NOW),
  );
const readGlm = (secret: string) => read(keyOf('glm-coding', secret, glm), glm);
const readKimi = (secret: string) => read(keyOf('kimi-code', secret, kimi), kimi);

const win = (name: string, fields: Partial<QuotaWindow>): QuotaWindow => ({
  name,
  scope: 'plan',
  unit: 'percent',
  limit: 100,
  used: null,
  remaining: null,
  percentUsed: null,
  resetsAt: null,
  resets: true,
  rolling: false,
  ...fields,
});
const percent = (name: string, used: number, resetsAt: number | null) =>
  win(name, { used, remaining: 100 - used, percentUsed: used, resetsAt });
const counted = (name: string, limit: number, used: number, resetsAt: number | null) =>
  win(name, { unit: 'requests', limit, used, remaining: limit - used, percentUsed: (used / limit) * 100, resetsAt });

/** What the popup judges of a reading: its state and, when capped, when it works again. */
function judged(outcome: ReadOutcome) {
  const status: KeyStatus = {
    reading: outcome.ok ? outcome.reading : (outcome.reading ?? null),
    error: outcome.ok ? null : { ...outcome.error, at: SPEC_NOW },
    attemptedAt: SPEC_NOW,
    failures: outcome.ok ? 0 : 1,
  };
  const state = keyState(makeKey({ baseUrl: 'https://x.test', secret: 's' }), status, DEFAULT_SETTINGS, SPEC_NOW);
  return { state, resumesAt: state === 'capped' ? capping(status.reading, SPEC_NOW).resumesAt : undefined };
}
const windowsOf = (outcome: ReadOutcome) => (outcome.ok ? outcome.reading.windows : undefined);
const lastRequests = (gateway: FakeGateway, n: number) => gateway.requests.slice(-n);

const GLM_1_WINDOWS = [percent('5h', 22, 1796731200), percent('week', 41, 1797206400), counted('month', 1000, 120, 1798761600)];

describe('glm-coding scenarios (relays.md §8.4)', () => {
  it('1: the §5 example: 5h and week percent windows, the MCP month in requests, no balance, no expiry', async () => {
    const outcome = await readGlm('glm-1');
    expect(outcome).toMatchObject({
      ok: true,
      reading: { kind: 'glm-coding', unlimited: false, remaining: null, expiresAt: null, plan: 'pro' },
    });
    expect(windowsOf(outcome)).toEqual(GLM_1_WINDOWS);
    expect(judged(outcome).state).toBe('ok');
    // relays.md §5: GET, no query, the raw key (no `Bearer`), English.
    const [request] = lastRequests(glm, 1);
    expect(request).toMatchObject({ method: 'GET', path: '/api/monitor/usage/quota/limit', status: 200 });
    expect(request?.headers).toMatchObject({ authorization: 'glm-1', 'accept-language': 'en-US,en', 'content-type': 'application/json' });
  });

  it('2: the 5-hour window at 100 % caps the key until its reset', async () => {
    const outcome = await readGlm('glm-2');
    expect(windowsOf(outcome)?.[0]).toEqual(percent('5h', 100, 1796731200));
    expect(judged(outcome)).toEqual({ state: 'capped', resumesAt: 1796731200 });
  });

  it('3: entries without a length code are named by position; no reset stated is none', async () => {
    const outcome = await readGlm('glm-3');
    expect(windowsOf(outcome)).toEqual([percent('5h', 35, null), percent('month', 3, null)]);
    expect(judged(outcome).state).toBe('ok');
  });

  it('4: CREDIT_LIMIT reads as TOKENS_LIMIT', async () => {
    expect(windowsOf(await readGlm('glm-4'))).toEqual(GLM_1_WINDOWS);
  });

  it('5: code 401 to both the raw key and Bearer is a refused key, after exactly one retry', async () => {
    const outcome = await readGlm('glm-5');
    expect(outcome).toMatchObject({ ok: false, error: { kind: 'auth' } });
    expect(judged(outcome).state).toBe('invalid');
    expect(lastRequests(glm, 2).map((r) => r.headers.authorization)).toEqual(['glm-5', 'Bearer glm-5']);
  });

  it('6: code 500 is a key without a coding plan', async () => {
    expect(await readGlm('glm-6')).toMatchObject({ ok: false, error: { kind: 'not-supported', message: 'code 500: no coding plan' } });
  });

  it('7: HTTP 401 to the raw key, the example to Bearer: read as 1, and the key remembers Bearer', async () => {
    const key = keyOf('glm-coding', 'glm-7', glm);
    const first = await read(key, glm);
    expect(windowsOf(first)).toEqual(GLM_1_WINDOWS);
    expect(lastRequests(glm, 2).map((r) => [r.headers.authorization, r.status])).toEqual([
      ['glm-7', 401],
      ['Bearer glm-7', 200],
    ]);
    const before = glm.requests.length;
    expect(windowsOf(await read(key, glm))).toEqual(GLM_1_WINDOWS);
    expect(glm.requests.slice(before).map((r) => r.headers.authorization)).toEqual(['Bearer glm-7']);
    // An edited key starts over with the raw key.
    await read({ ...key, updatedAt: 1 }, glm);
    expect(glm.requests.slice(before + 1).map((r) => r.headers.authorization)).toEqual(['glm-7', 'Bearer glm-7']);
  });

  it('7, after a worker restart: the last reading remembers Bearer, so the key is asked once, with Bearer', async () => {
    // A fresh key identity: nothing of it is in the worker's memory, as after a restart.
    const key = { ...keyOf('glm-coding', 'glm-7', glm), updatedAt: 2 };
    const first = await read(key, glm);
    expect(first).toMatchObject({ ok: true, reading: { authScheme: 'bearer' } });
    const restarted = { ...key, updatedAt: 3 };
    const before = glm.requests.length;
    const again = await ADAPTERS['glm-coding'](restarted, {
      ...liveContext(glm.url, () => SPEC_NOW),
      previous: first.ok ? first.reading : null,
    });
    expect(windowsOf(again)).toEqual(GLM_1_WINDOWS);
    expect(glm.requests.slice(before).map((r) => r.headers.authorization)).toEqual(['Bearer glm-7']);
    // A key read raw says nothing of a scheme.
    const raw = await readGlm('glm-1');
    expect(raw.ok && raw.reading.authScheme).toBeUndefined();
  });

  it('8: HTTP 200 with an empty body (a key on the other region) is a bad response', async () => {
    expect(await readGlm('glm-8')).toMatchObject({ ok: false, error: { kind: 'bad-response' } });
  });

  it('a 403 is a refused key too (relays.md §5), as is a key the platform does not know', async () => {
    expect(await readGlm('glm-403')).toMatchObject({ ok: false, error: { kind: 'auth', message: 'HTTP 403: forbidden' } });
    expect(await readGlm('glm-unknown')).toMatchObject({ ok: false, error: { kind: 'auth' } });
  });
});

describe('kimi-code scenarios (relays.md §8.5)', () => {
  const WEEK_1 = counted('week', 100, 26, 1797010370);
  const FIVE_1 = counted('5h', 100, 15, 1796733170);

  it('1: the first §6 example: the unnamed usage is the week, the 300-minute limit the 5h', async () => {
    const outcome = await readKimi('sk-kimi-1');
    expect(outcome).toMatchObject({ ok: true, reading: { kind: 'kimi-code', unlimited: false, remaining: null, expiresAt: null } });
    expect(windowsOf(outcome)).toEqual([WEEK_1, FIVE_1]);
    expect(judged(outcome).state).toBe('ok');
    const [request] = lastRequests(kimi, 1);
    expect(request).toMatchObject({ method: 'GET', path: '/coding/v1/usages', status: 200 });
    expect(request?.headers).toMatchObject({ authorization: 'Bearer sk-kimi-1', accept: 'application/json' });
  });

  it('2: a window at 0 left caps the key until its reset', async () => {
    const outcome = await readKimi('sk-kimi-2');
    expect(windowsOf(outcome)?.[1]).toEqual(counted('5h', 100, 100, 1796733170));
    expect(judged(outcome)).toEqual({ state: 'capped', resumesAt: 1796733170 });
  });

  it('3: used is derived from limit − remaining; no 5h when none is stated', async () => {
    expect(windowsOf(await readKimi('sk-kimi-3'))).toEqual([WEEK_1]);
  });

  it('4: numbers read as the decimal strings do', async () => {
    expect(windowsOf(await readKimi('sk-kimi-4'))).toEqual([WEEK_1, FIVE_1]);
  });

  it('5: the second §6 example: 5h from limits[] (not duplicated), the month pools as percent', async () => {
    const windows = windowsOf(await readKimi('sk-kimi-5'));
    expect(windows?.map((w) => w.name)).toEqual(['5h', 'month', 'month-code']);
    expect(windows?.[0]).toEqual(counted('5h', 100, 2, 1796729653));
    expect(windows?.[1]).toMatchObject({ unit: 'percent', limit: 100, resetsAt: 1799280000 });
    expect(windows?.[1]?.percentUsed).toBeCloseTo(9.98, 10);
    expect(windows?.[1]?.remaining).toBeCloseTo(90.02, 10);
    expect(windows?.[2]).toMatchObject({ unit: 'percent', resetsAt: 1799280000 });
    expect(windows?.[2]?.percentUsed).toBeCloseTo(9.68, 10);
  });

  it('6: a pool at used_ratio 1 caps the key until its reset', async () => {
    const outcome = await readKimi('sk-kimi-6');
    expect(windowsOf(outcome)?.[1]).toEqual(percent('month', 100, 1799280000));
    expect(judged(outcome)).toEqual({ state: 'capped', resumesAt: 1799280000 });
  });

  it('7: 401 is a refused key', async () => {
    const outcome = await readKimi('sk-kimi-7');
    expect(outcome).toMatchObject({
      ok: false,
      error: { kind: 'auth', message: 'HTTP 401: Authorization failed. Please check your API key' },
    });
    expect(judged(outcome).state).toBe('invalid');
  });

  it('8: 404 is no usage endpoint', async () => {
    expect(await readKimi('sk-kimi-8')).toMatchObject({
      ok: false,
      error: { kind: 'not-supported', message: 'HTTP 404: Usage endpoint not available' },
    });
  });

  it('9: 429 with Retry-After 600: rate-limited, the last reading kept, not asked again for 600 s', async () => {
    let clock = SPEC_NOW;
    const secret = 'sk-kimi-9b';
    const accounts = kimi.options.provider?.accounts as Record<string, unknown>;
    accounts[secret] = KIMI_FIRST;
    const key: KeyConfig = { ...keyOf('kimi-code', secret, kimi), intervalMinutes: 5 };
    const store = memoryStore([key]);
    const engine = createEngine({
      fetch: (...a) => fetch(...a),
      now: () => clock,
      hasHostAccess: async () => true,
      timeoutMs: 2000,
      ...store.deps,
    });
    const asked = () => kimi.requests.filter((r) => r.headers.authorization === `Bearer ${secret}`).length;
    await engine.refresh('all');
    accounts[secret] = KIMI['sk-kimi-9'];
    clock += 6 * 60_000;
    await engine.pollDue();
    expect(asked()).toBe(2);
    const held = store.data.statuses[key.id];
    expect(held?.error).toMatchObject({ kind: 'rate-limited', retryAt: clock + 600_000 });
    expect(held?.reading?.windows).toEqual([WEEK_1, FIVE_1]);
    const limitedAt = clock;
    clock = limitedAt + 599_000;
    await engine.pollDue();
    expect(asked()).toBe(2);
    clock = limitedAt + 600_000;
    await engine.pollDue();
    expect(asked()).toBe(3);
  });
});

describe('auto and the site root (relays.md §6, §7.1)', () => {
  it('auto takes an sk-kimi- key to the Kimi route and asks nothing else', async () => {
    const before = kimi.requests.length;
    const key = makeKey({ baseUrl: kimi.url, secret: 'sk-kimi-1' });
    expect(recognise(key)).toBe('kimi-code');
    const outcome = await readKey(
      key,
      liveContext(kimi.url, () => SPEC_NOW),
    );
    expect(outcome).toMatchObject({ ok: true, reading: { kind: 'kimi-code' } });
    expect(kimi.requests.slice(before).map((r) => r.path)).toEqual(['/coding/v1/usages']);
  });

  it.each([
    ['api.z.ai', 'glm-coding'],
    ['open.bigmodel.cn', 'glm-coding'],
    ['dev.bigmodel.cn', 'glm-coding'],
    ['api.kimi.com', 'kimi-code'],
  ])('auto takes a key on %s as %s without asking', (host, kind) => {
    expect(recognise({ secret: 'c0ffee.abc', baseUrl: `https://${host}` })).toBe(kind);
  });

  it.each([
    ['https://api.kimi.com', 'https://api.kimi.com/coding/v1/usages'],
    ['https://api.kimi.com/coding', 'https://api.kimi.com/coding/v1/usages'],
    ['https://api.kimi.com/coding/v1', 'https://api.kimi.com/coding/v1/usages'],
  ])('a Kimi base %s is read at %s', (base, url) => {
    expect(usagesUrl(base)).toBe(url);
  });
});

describe('All API Hub profiles (imports.md §D.1.5)', () => {
  it('telemetry modes glmQuota and kimiQuota name the coding-plan kinds', () => {
    const profile = (name: string, mode: string, baseUrl: string) => ({
      name,
      apiType: 'openai',
      baseUrl,
      apiKey: `sk-${name}`,
      telemetryConfig: { mode },
    });
    const analysis = analyseImport(
      JSON.stringify({
        version: '2.0',
        apiCredentialProfiles: {
          version: 3,
          profiles: [profile('glm', 'glmQuota', 'https://open.bigmodel.cn'), profile('kimi', 'kimiQuota', 'https://api.kimi.com')],
        },
      }),
    );
    expect(analysis.status === 'ready' && analysis.keys.map((k) => [k.label, k.kind])).toEqual([
      ['glm', 'glm-coding'],
      ['kimi', 'kimi-code'],
    ]);
  });
});
