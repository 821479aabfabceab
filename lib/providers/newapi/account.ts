import { z } from 'zod';
import { errorForStatus, gatewayMessage, getJson } from '../../http';
import type { Reading } from '../../model';
import { clean } from '../../units';
import { type Adapter, failure } from '../adapter';
import { bareSecret } from '../secret';
import { readTokenList, tokenReadings } from './account-tokens';
import { readPlans } from './plans';
import { quotaToDisplay, quotaUnit } from './units';

const selfSchema = z.object({
  success: z.literal(true),
  data: z.object({
    quota: z.number().finite(),
    used_quota: z.number().finite().catch(0),
    username: z.string().catch(''),
    display_name: z.string().catch(''),
  }),
});

/**
 * A new-api account's wallet: `GET /api/user/self` with the system access token and
 * `New-Api-User` (shared/spec/new-api.md §4.3). Remaining = `quota / quota_per_unit`.
 * Then, with `watchTokens`, one pass over the token list (new-api-accounts.md §A.9;
 * never the token route nor a key-reveal route), and the active subscription plans (§B).
 */
export const readNewApiUser: Adapter = async (key, context) => {
  if (key.userId === undefined) return failure('auth', 'no user id');
  const headers = { Authorization: bareSecret(key.secret), 'New-Api-User': String(key.userId) };
  const result = await getJson(`${key.baseUrl}/api/user/self`, headers, context);
  if (!result.ok) return result;
  const { status, body } = result.response;
  if (status === 200) {
    const parsed = selfSchema.safeParse(body);
    if (parsed.success) {
      const d = parsed.data.data;
      const site = await context.siteDisplay();
      const remaining = clean(quotaToDisplay(d.quota, site));
      const used = Math.max(0, clean(quotaToDisplay(d.used_quota, site)));
      const extra: Partial<Reading> = {};
      if (key.watchTokens) {
        const list = await readTokenList(key.baseUrl, headers, context, key.userId);
        if (list.ok) {
          extra.tokens = tokenReadings(list.tokens, site);
          if (list.truncated || list.tokens.length > extra.tokens.length) extra.tokensTruncated = true;
        } else extra.tokensError = list.error;
      }
      const plans = await readPlans(key.baseUrl, headers, context, site);
      if (!plans.ok) extra.plansError = plans.error;
      else if (plans.plans) extra.plans = plans.plans;
      return {
        ok: true,
        reading: {
          ...extra,
          kind: 'newapi-user',
          scope: 'account',
          unit: quotaUnit(site),
          unlimited: false,
          remaining,
          granted: Math.max(0, clean(remaining + used)),
          used,
          expiresAt: null,
          name: d.display_name || d.username,
          fetchedAt: context.now(),
        },
      };
    }
    // §4.3, §9.2: an unknown access token or a banned user is HTTP 200 with success: false.
    if (body && typeof body === 'object' && (body as { success?: unknown }).success === false) {
      return failure('auth', `HTTP 200: ${gatewayMessage(body) ?? 'success false'}`);
    }
    return failure('bad-response', 'HTTP 200, not an account');
  }
  return { ok: false, error: errorForStatus(status, gatewayMessage(body)) };
};
