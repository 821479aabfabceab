import { z } from 'zod';
import { errorForStatus, gatewayMessage, getJson, type HttpResult } from '../../http';
import type { ReadOutcome } from '../../model';
import { clean } from '../../units';
import { type Adapter, type AdapterContext, failure } from '../adapter';
import { relayKey } from './token';
import { billingUnit } from './units';

const amount = z.number().finite();

const subscriptionSchema = z.object({
  hard_limit_usd: amount,
  access_until: z.number().finite().catch(0),
});
const usageSchema = z.object({ total_usage: amount });

/** shared/spec/new-api.md §2.2, §9.9: this limit means "unlimited key", whatever the currency. */
export const UNLIMITED_SENTINEL = 100_000_000;

const PREFIXES = ['/v1', ''] as const;

type Parsed<T> = { ok: true; value: T } | { ok: false; outcome: ReadOutcome; missing: boolean };

function interpret<T>(result: HttpResult, schema: z.ZodType<T>): Parsed<T> {
  if (!result.ok) return { ok: false, outcome: result, missing: false };
  const { status, body } = result.response;
  if (status === 200) {
    const parsed = schema.safeParse(body);
    if (parsed.success) return { ok: true, value: parsed.data };
    // §2.4, §9.3: handler errors arrive as HTTP 200 with an `error` object (new-api, one-api)
    // or `success: false` (one-hub, §8).
    const record = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    if (record.error !== undefined || record.success === false) {
      return { ok: false, outcome: failure('server', `HTTP 200: ${gatewayMessage(body) ?? 'error'}`), missing: false };
    }
    return { ok: false, outcome: failure('bad-response', 'HTTP 200, not a billing reading'), missing: false };
  }
  return { ok: false, outcome: { ok: false, error: errorForStatus(status, gatewayMessage(body)) }, missing: status === 404 };
}

async function fetchBilling(base: string, headers: Record<string, string>, context: AdapterContext) {
  let last: ReadOutcome = failure('not-supported', 'no billing endpoints');
  for (const prefix of PREFIXES) {
    const subscription = interpret(await getJson(`${base}${prefix}/dashboard/billing/subscription`, headers, context), subscriptionSchema);
    if (!subscription.ok) {
      last = subscription.outcome;
      // Only a missing route is worth the other prefix; a refusal is final.
      if (subscription.missing) continue;
      return { ok: false as const, outcome: last };
    }
    const usage = interpret(await getJson(`${base}${prefix}/dashboard/billing/usage`, headers, context), usageSchema);
    if (!usage.ok) return { ok: false as const, outcome: usage.outcome };
    return { ok: true as const, subscription: subscription.value, usage: usage.value };
  }
  return { ok: false as const, outcome: last };
}

/**
 * OpenAI-style billing (`/v1/dashboard/billing/subscription` + `/usage`), served by
 * new-api, one-api, one-hub, done-hub and Veloera (shared/spec/new-api.md §2, §7, §8).
 * `hard_limit_usd` is the total granted, `total_usage` is ×100 of the display amount.
 */
export const readOpenAiBilling: Adapter = async (key, context) => {
  const headers = { Authorization: `Bearer ${relayKey(key.secret)}` };
  const billing = await fetchBilling(key.baseUrl, headers, context);
  if (!billing.ok) return billing.outcome;

  const site = await context.siteDisplay();
  const limit = billing.subscription.hard_limit_usd;
  const used = Math.max(0, clean(billing.usage.total_usage / 100));
  const unlimited = limit >= UNLIMITED_SENTINEL;
  const granted = Math.max(0, clean(limit));
  const accessUntil = billing.subscription.access_until;
  return {
    ok: true,
    reading: {
      kind: 'openai-billing',
      // §2.2: with DisplayTokenStatEnabled off (not published anywhere) these are the
      // owner's wallet, and one-hub reports the wallet for unlimited keys (§8).
      scope: 'unqualified',
      unit: billingUnit(site),
      unlimited,
      remaining: unlimited ? null : clean(granted - used),
      granted: unlimited ? null : granted,
      used,
      expiresAt: accessUntil > 0 ? accessUntil : null,
      fetchedAt: context.now(),
    },
  };
};
