import fc from 'fast-check';
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
