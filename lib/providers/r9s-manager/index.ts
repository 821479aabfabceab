import { z } from 'zod';
import { errorForStatus, gatewayMessage, getJson } from '../../http';
import { clean } from '../../units';
import { type Adapter, failure } from '../adapter';
import { noFields } from '../fields';
import { bareSecret } from '../secret';
import type { Provider } from '../types';
import { manifest } from './manifest';

const ROOT = '/api/v1/portal/management';

// shared/spec/providers.md §1: success is HTTP 200 with `meta.code` 0 or 200.
const meta = z.object({ code: z.union([z.literal(0), z.literal(200)]) });
const finite = z.number().finite();

const balanceSchema = z.object({
  meta,
  data: z.object({
    balance: finite,
    balance_str: z.string().optional().catch(undefined),
    coupon_balance: finite.optional().catch(undefined),
    currency_code: z.string().optional().catch(undefined),
  }),
});

// Both shapes are accepted: `records`/`total_tokens` (SDK) and the paginated `list`/`total`.
const usageSchema = z.object({
  meta,
  data: z.object({
    records: z
      .array(z.object({ model: z.string().catch('?'), tokens: finite.catch(0) }))
      .optional()
      .catch(undefined),
    list: z
      .array(
        z.object({
          model: z.string().catch('?'),
          input_tokens: finite.optional().catch(undefined),
          output_tokens: finite.optional().catch(undefined),
          total_tokens: finite.optional().catch(undefined),
          tokens: finite.optional().catch(undefined),
        }),
      )
      .optional()
      .catch(undefined),
  }),
});

const WEEK_S = 7 * 24 * 3600;

function usageByModel(body: unknown): { model: string; tokens: number }[] | undefined {
  const parsed = usageSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const rows =
    parsed.data.data.records ??
    parsed.data.data.list?.map((row) => ({
      model: row.model,
      tokens: row.total_tokens ?? row.tokens ?? (row.input_tokens ?? 0) + (row.output_tokens ?? 0),
    }));
  if (!rows) return undefined;
  const totals = new Map<string, number>();
  for (const row of rows) totals.set(row.model, (totals.get(row.model) ?? 0) + Math.max(0, row.tokens));
  return [...totals].map(([model, tokens]) => ({ model, tokens })).sort((a, b) => b.tokens - a.tokens);
}

/** r9s.ai management API: account balance, plus tokens per model over the last 7 days. */
export const readR9s: Adapter = async (key, context) => {
  const headers = { Authorization: `Bearer ${bareSecret(key.secret)}` };
  const result = await getJson(`${key.baseUrl}${ROOT}/balance`, headers, context);
  if (!result.ok) return result;
  const { status, body } = result.response;
  if (status !== 200) return { ok: false, error: errorForStatus(status, gatewayMessage(body)) };
  const parsed = balanceSchema.safeParse(body);
  if (!parsed.success) {
    const code = (body as { meta?: { code?: unknown } } | null)?.meta?.code;
    if (typeof code === 'number' && code >= 400) return { ok: false, error: errorForStatus(code, gatewayMessage(body)) };
    return failure('bad-response', 'HTTP 200, not a balance');
  }
  const d = parsed.data.data;
  // balance_str avoids float rounding when it is a plain decimal.
  const exact = d.balance_str && /^-?\d+(\.\d+)?$/.test(d.balance_str.trim()) ? Number(d.balance_str) : d.balance;
  const currency = d.currency_code?.trim().toUpperCase();

  const end = Math.floor(context.now() / 1000);
  const usage = await getJson(`${key.baseUrl}${ROOT}/usage?start_time=${end - WEEK_S}&end_time=${end}`, headers, context);
  // Usage is extra detail: a failure there does not hide the balance.
  const perModel = usage.ok && usage.response.status === 200 ? usageByModel(usage.response.body) : undefined;

  return {
    ok: true,
    reading: {
      kind: 'r9s-manager',
      scope: 'account',
      unit: currency && /^[A-Z]{3}$/.test(currency) ? { code: currency } : { code: 'USD' },
      unlimited: false,
      remaining: clean(exact),
      granted: null,
      used: null,
      expiresAt: null,
      ...(d.coupon_balance !== undefined ? { couponBalance: clean(d.coupon_balance) } : {}),
      ...(perModel ? { usageByModel: perModel } : {}),
      fetchedAt: context.now(),
    },
  };
};

export const r9sManager = { ...manifest, unit: { from: 'answer' }, fields: noFields, read: readR9s } satisfies Provider;

/** This folder's kind, for the registry (lib/providers/index.ts). */
export const provider = r9sManager;
