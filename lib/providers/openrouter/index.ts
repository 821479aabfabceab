import { z } from 'zod';
import { clean } from '../../units';
import type { Adapter } from '../adapter';
import { failure } from '../adapter';
import { amount, bearer, providerJson, toUnixSeconds } from '../common';
import { noFields } from '../fields';
import type { Provider } from '../types';
import { manifest } from './manifest';

const money = amount;
const optionalMoney = money.optional().catch(undefined);

// shared/spec/providers.md §2: GET /api/v1/key, the calling key's own cap and usage.
const keySchema = z.object({
  data: z.object({
    label: z.string().optional().catch(undefined),
    limit: money.nullable().optional(),
    limit_remaining: money.nullable().optional().catch(undefined),
    limit_reset: z.enum(['daily', 'weekly', 'monthly']).nullable().optional().catch(undefined),
    usage: optionalMoney,
    usage_daily: optionalMoney,
    usage_weekly: optionalMoney,
    usage_monthly: optionalMoney,
    expires_at: z.union([z.string(), z.number()]).nullable().optional().catch(undefined),
  }),
});

/** An OpenRouter key: `limit_remaining` of `limit` (null = unlimited), reset period, usage windows, expiry. */
export const readOpenRouter: Adapter = async (key, context) => {
  let answer = await providerJson(`${key.baseUrl}/api/v1/key`, bearer(key), context);
  // providers.md §2: the older path `/api/v1/auth/key` is still served where the new one is not.
  if (!answer.ok && answer.error.kind === 'not-supported' && /^HTTP 404\b/.test(answer.error.message)) {
    answer = await providerJson(`${key.baseUrl}/api/v1/auth/key`, bearer(key), context);
  }
  if (!answer.ok) return answer;
  const parsed = keySchema.safeParse(answer.body);
  if (!parsed.success) return failure('bad-response', 'HTTP 200, not an OpenRouter key answer');
  const d = parsed.data.data;
  // `limit: null` is no cap; an answer without `limit` is uncapped unless it states what remains.
  const unlimited = d.limit === null || (d.limit === undefined && (d.limit_remaining ?? null) === null);
  const remaining = unlimited ? null : (d.limit_remaining ?? null);
  const granted = unlimited ? null : (d.limit ?? null);
  const used = granted !== null && remaining !== null ? clean(granted - remaining) : (d.usage ?? null);
  const { usage_daily: day, usage_weekly: week, usage_monthly: month } = d;
  return {
    ok: true,
    reading: {
      kind: 'openrouter',
      scope: 'key',
      unit: { code: 'USD' },
      unlimited,
      remaining: remaining === null ? null : clean(remaining),
      granted,
      used: used === null ? null : clean(used),
      expiresAt: toUnixSeconds(d.expires_at),
      ...(d.limit_reset ? { resetPeriod: d.limit_reset } : {}),
      ...(day !== undefined && week !== undefined && month !== undefined ? { usageWindows: { day, week, month } } : {}),
      fetchedAt: context.now(),
    },
  };
};

export const openrouter = { ...manifest, unit: { from: 'fixed', code: 'USD' }, fields: noFields, read: readOpenRouter } satisfies Provider;

/** This folder's kind, for the registry (lib/providers/index.ts). */
export const provider = openrouter;
