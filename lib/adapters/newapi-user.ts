import { z } from 'zod';
import { errorForStatus, gatewayMessage, getJson } from '../http';
import { clean, quotaToDisplay, quotaUnit } from '../units';
import { type Adapter, bareSecret, failure } from './types';

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
 */
export const readNewApiUser: Adapter = async (key, context) => {
  if (key.userId === undefined) return failure('auth', 'no user id');
  const result = await getJson(
    `${key.baseUrl}/api/user/self`,
    { Authorization: bareSecret(key.secret), 'New-Api-User': String(key.userId) },
    context,
  );
  if (!result.ok) return result;
  const { status, body } = result.response;
  if (status === 200) {
    const parsed = selfSchema.safeParse(body);
    if (parsed.success) {
      const d = parsed.data.data;
      const site = await context.siteDisplay();
      const remaining = clean(quotaToDisplay(d.quota, site));
      const used = Math.max(0, clean(quotaToDisplay(d.used_quota, site)));
      return {
        ok: true,
        reading: {
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
