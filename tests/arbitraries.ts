import fc from 'fast-check';
import { type Channel, type ChannelType, DEFAULT_SERVERS } from '@/lib/channels';
import type { ResolvedKind } from '@/lib/model';

/** Arbitrary answers for the property tests (tests/property.test.ts), one entry per kind of the registry. */

const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e8, -1, 0, 1e-7, 29.999999999999996, Number.MAX_VALUE));

/** JSON shaped like the gateways' answers, with every field possibly wrong. */
export const gatewayish = fc.record(
  {
    code: fc.oneof(fc.boolean(), fc.integer()),
    success: fc.boolean(),
    message: fc.string(),
    object: fc.constantFrom('token_usage', 'list', 'billing_subscription', 'x'),
    meta: fc.record({ code: fc.constantFrom(0, 200, 401, 500), message: fc.string() }, { requiredKeys: [] }),
    hard_limit_usd: number,
    total_usage: number,
    access_until: number,
    data: fc.record(
      {
        object: fc.constantFrom('token_usage', 'nope'),
        total_available: number,
        total_granted: number,
        total_used: number,
        unlimited_quota: fc.boolean(),
        expires_at: number,
        model_limits: fc.oneof(fc.dictionary(fc.string(), fc.boolean()), fc.array(fc.string()), fc.constant(null)),
        name: fc.oneof(fc.string(), fc.integer()),
        quota: number,
        used_quota: number,
        balance: number,
        balance_str: fc.oneof(fc.string(), fc.constant('1e400')),
        coupon_balance: number,
        currency_code: fc.string(),
        records: fc.array(fc.record({ model: fc.string(), tokens: number }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

const amountish = fc.oneof(number, fc.constantFrom('7.08', '-1', '1e400', '', 'NaN', ' 3.5 ', '0.00'), fc.constant(null));

/**
 * Answers shaped like each kind's documented answer (shared/spec/providers.md §2–6,
 * automation.md §3.1), every field possibly missing or of the wrong type. Keyed by
 * kind, so a new provider cannot be added without its arbitraries.
 */
export const ANSWERS: Record<ResolvedKind, fc.Arbitrary<unknown>> = {
  'newapi-token': gatewayish,
  'openai-billing': gatewayish,
  'newapi-user': gatewayish,
  'r9s-manager': gatewayish,
  openrouter: fc.record(
    {
      data: fc.record(
        {
          limit: fc.oneof(amountish, fc.constant(null)),
          limit_remaining: amountish,
          limit_reset: fc.constantFrom('daily', 'weekly', 'monthly', null, 'hourly'),
          usage: amountish,
          usage_daily: amountish,
          usage_weekly: amountish,
          usage_monthly: amountish,
          expires_at: fc.oneof(fc.string(), number, fc.constant('2026-12-31T00:00:00Z'), fc.constant(null)),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  ),
  deepseek: fc.record(
    {
      is_available: fc.oneof(fc.boolean(), fc.string()),
      balance_infos: fc.array(
        fc.record(
          {
            currency: fc.constantFrom('CNY', 'USD', 'usd', 'X', ''),
            total_balance: amountish,
            granted_balance: amountish,
            topped_up_balance: amountish,
          },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: [] },
  ),
  moonshot: fc.record(
    {
      code: fc.constantFrom(0, 1, '0'),
      data: fc.record({ available_balance: amountish, voucher_balance: amountish, cash_balance: amountish }, { requiredKeys: [] }),
    },
    { requiredKeys: [] },
  ),
  siliconflow: fc.oneof(
    fc.record(
      {
        code: fc.constantFrom(20000, 40001),
        data: fc.record({ totalBalance: amountish, balance: amountish, chargeBalance: amountish }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    ),
    fc.string(),
  ),
  stepfun: fc.record(
    { object: fc.constant('account'), type: fc.constantFrom('prepaid', 'postpaid', 'x'), balance: amountish },
    { requiredKeys: [] },
  ),
  'glm-coding': fc.record(
    {
      code: fc.constantFrom(200, 200, 401, 500, '200'),
      success: fc.oneof(fc.constant(true), fc.boolean()),
      data: fc.record(
        {
          level: fc.oneof(fc.string(), number),
          limits: fc.array(
            fc.record(
              {
                type: fc.constantFrom('TOKENS_LIMIT', 'CREDIT_LIMIT', 'TIME_LIMIT', 'X'),
                unit: fc.constantFrom(1, 3, 5, 6, 9, '3'),
                number: fc.oneof(fc.constantFrom(1, 5, 0, -1), number),
                percentage: amountish,
                nextResetTime: fc.oneof(number, fc.string()),
                usage: amountish,
                currentValue: amountish,
                remaining: amountish,
              },
              { requiredKeys: [] },
            ),
            { maxLength: 4 },
          ),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  ),
  'kimi-code': fc.record(
    {
      usage: fc.record(
        { limit: amountish, used: amountish, remaining: amountish, resetTime: fc.oneof(fc.string(), number) },
        { requiredKeys: [] },
      ),
      limits: fc.array(
        fc.record({
          window: fc.record(
            { duration: amountish, timeUnit: fc.constantFrom('TIME_UNIT_MINUTE', 'TIME_UNIT_HOUR', 'MINUTE', 'X') },
            { requiredKeys: [] },
          ),
          detail: fc.record({ limit: amountish, used: amountish, remaining: amountish, reset_in: amountish }, { requiredKeys: [] }),
        }),
        { maxLength: 3 },
      ),
      usages: fc.dictionary(
        fc.constantFrom('limit_5h', 'limit_7d', 'limit_month_total', 'limit_month_code', 'other'),
        fc.oneof(fc.constant(null), fc.record({ used_ratio: amountish, reset_time: fc.oneof(fc.string(), number) }, { requiredKeys: [] })),
      ),
    },
    { requiredKeys: [] },
  ),
  custom: fc.record(
    {
      data: fc.record(
        {
          balance: amountish,
          total: amountish,
          used: amountish,
          unlimited: fc.oneof(fc.boolean(), fc.anything()),
          expire_at: fc.anything(),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  ),
};

/** A custom mapping drawn from plausible and broken paths into `ANSWERS.custom`. */
export const customMapping = fc.record(
  {
    path: fc.constant('/api/balance'),
    remaining: fc.constantFrom('/data/balance', 'data.balance', '/data/nothing', 'data.0', '/'),
    granted: fc.constantFrom('/data/total', 'data.total', 'x.y'),
    used: fc.constantFrom('/data/used', 'data.used'),
    unlimited: fc.constantFrom('/data/unlimited', 'data.unlimited'),
    expiresAt: fc.constantFrom('/data/expire_at', 'data.expire_at'),
    scale: fc.constantFrom(1, 500_000, 0.01, 1e-300),
  },
  { requiredKeys: ['path'] },
);

/** Text a channel field may hold: no spaces at the ends, no control characters. */
const word = fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/);
const httpUrl = fc
  .tuple(
    fc.constantFrom('https://hooks.example.com', 'http://192.168.1.5:8080', 'https://oapi.dingtalk.com'),
    fc.array(word, { maxLength: 3 }),
    fc.option(word, { nil: undefined }),
  )
  .map(([origin, path, token]) => `${origin}${path.map((p) => `/${p}`).join('')}${token ? `?access_token=${token}` : ''}`);
const server = fc.option(fc.constantFrom('https://ntfy.example.org', 'https://api.day.app', 'http://10.0.0.2:8080/sub'), {
  nil: undefined,
});
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/**
 * Alert channels of every type (automation.md §3.4) as stored: `server` filled in, optional
 * secrets sometimes absent. Keyed by type, so a new type cannot be added without them.
 */
export const CHANNELS: Record<ChannelType, fc.Arbitrary<Channel>> = {
  webhook: fc.record({ type: fc.constant('webhook' as const), label: word, url: httpUrl }),
  ntfy: fc.record({ label: word, server, topic: word, token: optional(word) }).map(({ server, token, ...rest }) => ({
    type: 'ntfy' as const,
    ...rest,
    server: server ?? DEFAULT_SERVERS.ntfy,
    ...(token ? { token } : {}),
  })),
  telegram: fc
    .record({ label: word, server, botToken: word, chatId: fc.oneof(word, fc.integer().map(String)) })
    .map(({ server, ...rest }) => ({ type: 'telegram' as const, ...rest, server: server ?? DEFAULT_SERVERS.telegram })),
  bark: fc
    .record({ label: word, server, deviceKey: word })
    .map(({ server, ...rest }) => ({ type: 'bark' as const, ...rest, server: server ?? DEFAULT_SERVERS.bark })),
  dingtalk: fc
    .record({ label: word, url: httpUrl, signSecret: optional(word) })
    .map(({ signSecret, ...rest }) => ({ type: 'dingtalk' as const, ...rest, ...(signSecret ? { signSecret } : {}) })),
  feishu: fc
    .record({ label: word, url: httpUrl, signSecret: optional(word) })
    .map(({ signSecret, ...rest }) => ({ type: 'feishu' as const, ...rest, ...(signSecret ? { signSecret } : {}) })),
  wecom: fc.record({ type: fc.constant('wecom' as const), label: word, url: httpUrl }),
  serverchan: fc.record({ type: fc.constant('serverchan' as const), label: word, sendKey: word }),
};

/** A list of channels, at most one per type and label (the merge's identity). */
export const channelList = fc.uniqueArray(fc.oneof(...Object.values(CHANNELS)), {
  selector: (c) => `${c.type}\n${c.label}`,
  maxLength: 6,
});

const amount = fc.integer({ min: 0, max: 1_000_000 });

/** Stored settings and version 3's alert settings, every field within what a backup file accepts. */
export const storedSettings = fc.record({
  settings: fc.record({
    intervalMinutes: fc.integer({ min: 1, max: 1440 }),
    defaultThreshold: fc.record({ type: fc.constantFrom('percent' as const, 'amount' as const), value: amount }),
    defaultLowAmounts: fc.record({ USD: amount, CNY: amount, tokens: amount, other: amount }),
    notifications: fc.boolean(),
    expiryWarningDays: fc.array(fc.integer({ min: 0, max: 365 }), { maxLength: 5 }),
    forecastWarningDays: fc.integer({ min: 0, max: 365 }),
    windowLowPercent: fc.integer({ min: 0, max: 100 }),
  }),
  alerts: fc.record({ notifyRestored: fc.boolean(), digestHour: fc.option(fc.integer({ min: 0, max: 23 }), { nil: null }) }),
});
