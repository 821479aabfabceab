import { z } from 'zod';
import { clean } from '../../units';
import type { Adapter } from '../adapter';
import { failure } from '../adapter';
import { amount, bearer, hostUnit, providerJson } from '../common';
import { currencyField } from '../fields';
import type { Provider } from '../types';
import { manifest } from './manifest';

// shared/spec/providers.md §6: `balance` is what is available now; the totals are lifetime figures.
const accountSchema = z.object({
  balance: amount,
  type: z.enum(['prepaid', 'postpaid']).optional().catch(undefined),
});

/** A StepFun account: `balance`, prepaid or postpaid. */
export const readStepFun: Adapter = async (key, context) => {
  const answer = await providerJson(`${key.baseUrl}/v1/accounts`, bearer(key), context);
  if (!answer.ok) return answer;
  const parsed = accountSchema.safeParse(answer.body);
  if (!parsed.success) return failure('bad-response', 'HTTP 200, not a StepFun account');
  const d = parsed.data;
  return {
    ok: true,
    reading: {
      kind: 'stepfun',
      scope: 'account',
      unit: hostUnit(key, false),
      unlimited: false,
      remaining: clean(d.balance),
      granted: null,
      used: null,
      expiresAt: null,
      ...(d.type ? { billing: d.type } : {}),
      fetchedAt: context.now(),
    },
  };
};

export const stepfun = {
  ...manifest,
  unit: { from: 'key', otherwise: 'CNY' },
  fields: currencyField,
  read: readStepFun,
} satisfies Provider;

/** This folder's kind, for the registry (lib/providers/index.ts). */
export const provider = stepfun;
