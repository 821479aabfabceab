import { z } from 'zod';
import { clean } from '../../units';
import type { Adapter } from '../adapter';
import { failure } from '../adapter';
import { amount, bearer, hostUnit, providerJson } from '../common';
import { currencyField } from '../fields';
import type { Provider } from '../types';
import { manifest } from './manifest';

// shared/spec/providers.md §5: `code` 20000 is OK; amounts are decimal strings.
const infoSchema = z.object({
  code: z.literal(20000).optional(),
  data: z.object({
    totalBalance: amount,
    balance: amount.optional().catch(undefined),
    chargeBalance: amount.optional().catch(undefined),
  }),
});

/** A SiliconFlow account: `totalBalance`, with the bonus (`balance`) and paid (`chargeBalance`) parts. */
export const readSiliconFlow: Adapter = async (key, context) => {
  const answer = await providerJson(`${key.baseUrl}/v1/user/info`, bearer(key), context);
  if (!answer.ok) {
    // providers.md §5: a refused key is a 401 whose body is a bare JSON string, which some
    // proxies label text/plain; a 401 is a refused key whatever its body.
    if (/^HTTP 401\b/.test(answer.error.message) && answer.error.kind === 'bad-response') {
      return failure('auth', answer.error.message);
    }
    return answer;
  }
  const parsed = infoSchema.safeParse(answer.body);
  if (!parsed.success) return failure('bad-response', 'HTTP 200, not a SiliconFlow user info');
  const d = parsed.data.data;
  const parts = [
    ...(d.balance !== undefined ? [{ part: 'granted' as const, amount: clean(d.balance) }] : []),
    ...(d.chargeBalance !== undefined ? [{ part: 'paid' as const, amount: clean(d.chargeBalance) }] : []),
  ];
  return {
    ok: true,
    reading: {
      kind: 'siliconflow',
      scope: 'account',
      unit: hostUnit(key, true),
      unlimited: false,
      remaining: clean(d.totalBalance),
      granted: null,
      used: null,
      expiresAt: null,
      ...(parts.length ? { parts } : {}),
      fetchedAt: context.now(),
    },
  };
};

export const siliconflow = {
  ...manifest,
  unit: { from: 'key', otherwise: 'host' },
  fields: currencyField,
  read: readSiliconFlow,
} satisfies Provider;

/** This folder's kind, for the registry (lib/providers/index.ts). */
export const provider = siliconflow;
