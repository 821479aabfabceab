import { z } from 'zod';
import type { Adapter } from '../adapters/types';
import { failure } from '../adapters/types';
import { clean } from '../units';
import { amount, bearer, hostUnit, providerJson } from './common';
import { currencyField } from './fields';
import type { Provider } from './types';

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

export const stepfun: Provider = {
  id: 'stepfun',
  label: 'kindStepfun',
  defaultSite: 'https://api.stepfun.com',
  hosts: ['api.stepfun.com'],
  fields: currencyField,
  detect: { hosts: ['api.stepfun.com'] },
  read: readStepFun,
  unit: { from: 'key', otherwise: 'CNY' },
  expiry: 'no-expiry',
};
