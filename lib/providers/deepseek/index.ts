import { z } from 'zod';
import type { BalancePart, Unit } from '../../model';
import { clean } from '../../units';
import type { Adapter } from '../adapter';
import { failure } from '../adapter';
import { amount, bearer, keyUnit, providerJson } from '../common';
import { noFields } from '../fields';
import type { Provider } from '../types';
import { manifest } from './manifest';

// shared/spec/providers.md §3: amounts are decimal strings (an older revision sent numbers); one entry per currency.
const entrySchema = z.object({
  currency: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/),
  total_balance: amount,
  granted_balance: amount.optional().catch(undefined),
  topped_up_balance: amount.optional().catch(undefined),
});
const balanceSchema = z.object({
  // Absent means nothing said against it: available.
  is_available: z.boolean().optional(),
  balance_infos: z.array(z.unknown()),
});

/**
 * A DeepSeek account balance. The row shows the entry in the key's `currency` when it
 * names one of the reported currencies, else the first entry; the others ride along
 * in `otherBalances`. `is_available: false` means calls are refused: the row is
 * exhausted (remaining at most 0), with the reported parts kept.
 */
export const readDeepSeek: Adapter = async (key, context) => {
  const answer = await providerJson(`${key.baseUrl}/user/balance`, bearer(key), context);
  if (!answer.ok) return answer;
  const parsed = balanceSchema.safeParse(answer.body);
  if (!parsed.success) return failure('bad-response', 'HTTP 200, not a DeepSeek balance');
  const entries = parsed.data.balance_infos.flatMap((raw) => {
    const entry = entrySchema.safeParse(raw);
    return entry.success ? [entry.data] : [];
  });
  const wanted = keyUnit(key)?.code;
  const chosen = entries.find((e) => e.currency === wanted) ?? entries[0];
  const available = parsed.data.is_available !== false;
  if (!chosen && available) return failure('bad-response', 'HTTP 200, no balance entry');
  const unit: Unit = chosen ? { code: chosen.currency } : (keyUnit(key) ?? { code: 'CNY' });
  const total = chosen ? clean(chosen.total_balance) : 0;
  const parts: BalancePart[] = [];
  if (chosen?.granted_balance !== undefined) parts.push({ part: 'granted', amount: clean(chosen.granted_balance) });
  if (chosen?.topped_up_balance !== undefined) parts.push({ part: 'paid', amount: clean(chosen.topped_up_balance) });
  const others = entries.filter((e) => e !== chosen).map((e) => ({ unit: { code: e.currency }, amount: clean(e.total_balance) }));
  return {
    ok: true,
    reading: {
      kind: 'deepseek',
      scope: 'account',
      unit,
      unlimited: false,
      remaining: available ? total : Math.min(total, 0),
      granted: null,
      used: null,
      expiresAt: null,
      ...(parts.length ? { parts } : {}),
      ...(others.length ? { otherBalances: others } : {}),
      fetchedAt: context.now(),
    },
  };
};

export const deepseek = { ...manifest, unit: { from: 'answer' }, fields: noFields, read: readDeepSeek } satisfies Provider;

/** This folder's kind, for the registry (lib/providers/index.ts). */
export const provider = deepseek;
