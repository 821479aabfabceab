import { z } from 'zod';
import { clean } from '../../units';
import type { Adapter } from '../adapter';
import { failure } from '../adapter';
import { amount, bearer, hostUnit, providerJson } from '../common';
import { currencyField } from '../fields';
import type { Provider } from '../types';
import { manifest } from './manifest';

// shared/spec/providers.md §4: `code` 0 is success; cash may be negative (arrears).
const balanceSchema = z.object({
  code: z.literal(0).optional(),
  data: z.object({
    available_balance: amount,
    voucher_balance: amount.optional().catch(undefined),
    cash_balance: amount.optional().catch(undefined),
  }),
});

/** A Moonshot / Kimi account: `available_balance`, with voucher and cash apart. */
export const readMoonshot: Adapter = async (key, context) => {
  const answer = await providerJson(`${key.baseUrl}/v1/users/me/balance`, bearer(key), context);
  if (!answer.ok) return answer;
  const parsed = balanceSchema.safeParse(answer.body);
  if (!parsed.success) return failure('bad-response', 'HTTP 200, not a Moonshot balance');
  const d = parsed.data.data;
  const parts = [
    ...(d.voucher_balance !== undefined ? [{ part: 'voucher' as const, amount: clean(d.voucher_balance) }] : []),
    ...(d.cash_balance !== undefined ? [{ part: 'cash' as const, amount: clean(d.cash_balance) }] : []),
  ];
  return {
    ok: true,
    reading: {
      kind: 'moonshot',
      scope: 'account',
      unit: hostUnit(key, true),
      unlimited: false,
      remaining: clean(d.available_balance),
      granted: null,
      used: null,
      expiresAt: null,
      ...(parts.length ? { parts } : {}),
      fetchedAt: context.now(),
    },
  };
};

export const moonshot = {
  ...manifest,
  unit: { from: 'key', otherwise: 'host' },
  fields: currencyField,
  read: readMoonshot,
} satisfies Provider;

/** This folder's kind, for the registry (lib/providers/index.ts). */
export const provider = moonshot;
