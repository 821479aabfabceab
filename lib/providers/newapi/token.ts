import { z } from 'zod';
import { errorForStatus, gatewayMessage, getJson, probeStatus } from '../../http';
import type { Reading } from '../../model';
import { clean } from '../../units';
import { type Adapter, failure } from '../adapter';
import { bareSecret } from '../secret';
import { quotaToDisplay, quotaUnit } from './units';

/**
 * An `sk-` relay key as the token and billing routes want it. new-api stores keys
 * without the prefix (48 alphanumerics, shared/spec/new-api.md §0) and both routes cut
 * it (§1.2, §5), but one-hub needs it before its 48-character check (§8): add it to a
 * bare new-api-format key, keep everything else as typed.
 */
export function relayKey(secret: string): string {
  const bare = bareSecret(secret);
  return /^[A-Za-z0-9]{48}$/.test(bare) ? `sk-${bare}` : bare;
}

const int = z.number().finite();

// shared/spec/new-api.md §1.3: success is `code: true` + `data.object == "token_usage"` (§9.1).
const usageSchema = z.object({
  data: z.object({
    object: z.literal('token_usage'),
    name: z.string().catch(''),
    total_granted: int,
    total_used: int,
    total_available: int,
    unlimited_quota: z.boolean(),
    // §9.14: an object of `true` values; stray commas can leave an empty entry.
    model_limits: z.record(z.string(), z.unknown()).catch({}),
    model_limits_enabled: z.boolean().catch(false),
    // §1.3: stored -1 (never) is sent as 0; past timestamps are sent as they are.
    expires_at: int.catch(0),
  }),
});

export const TOKEN_USAGE_PATH = '/api/usage/token/';
export const MODELS_PATH = '/v1/models';

/**
 * The token route answers for disabled keys as if they were fine (§1.3, §9.11). A key
 * that looks usable is checked against `/v1/models`, which uses the strict relay auth
 * and has no rate limit (§4.2): a 401 there means the gateway refuses the key, and the
 * figures are kept with the refusal. Other answers (403 for an IP allow-list, which
 * only says this browser is not where the key is used; errors) leave the reading as is.
 */
async function confirmUsable(baseUrl: string, secret: string, reading: Reading, context: Parameters<Adapter>[1]) {
  const spent = !reading.unlimited && reading.remaining !== null && reading.remaining <= 0;
  const expired = reading.expiresAt !== null && reading.expiresAt * 1000 <= context.now();
  if (spent || expired) return { ok: true as const, reading };
  const status = await probeStatus(`${baseUrl}${MODELS_PATH}`, { Authorization: `Bearer ${relayKey(secret)}` }, context);
  if (status === 401) {
    return { ok: false as const, error: { kind: 'auth' as const, message: 'HTTP 401 on /v1/models: the key is disabled' }, reading };
  }
  return { ok: true as const, reading };
}

/** new-api `GET /api/usage/token/`: the key's own quota, in raw quota units. */
export const readNewApiToken: Adapter = async (key, context) => {
  const result = await getJson(`${key.baseUrl}${TOKEN_USAGE_PATH}`, { Authorization: `Bearer ${relayKey(key.secret)}` }, context);
  if (!result.ok) return result;
  const { status, body } = result.response;

  if (status === 200) {
    const parsed = usageSchema.safeParse(body);
    if (parsed.success) {
      const d = parsed.data.data;
      const site = await context.siteDisplay();
      const toUnit = (quota: number) => clean(quotaToDisplay(quota, site));
      const modelLimits = d.model_limits_enabled ? Object.keys(d.model_limits).filter((m) => m.trim() !== '') : undefined;
      // §1.3: for unlimited keys total_available / total_granted are meaningless leftovers.
      const reading: Reading = {
        kind: 'newapi-token',
        scope: 'key',
        unit: quotaUnit(site),
        unlimited: d.unlimited_quota,
        remaining: d.unlimited_quota ? null : toUnit(d.total_available),
        granted: d.unlimited_quota ? null : Math.max(0, toUnit(d.total_granted)),
        used: Math.max(0, toUnit(d.total_used)),
        expiresAt: d.expires_at > 0 ? d.expires_at : null,
        name: d.name,
        ...(modelLimits ? { modelLimits } : {}),
        fetchedAt: context.now(),
      };
      return confirmUsable(key.baseUrl, key.secret, reading, context);
    }
    // §9.2: `success: false` with HTTP 200 is a failed key lookup (e.g. a `-channel` suffix).
    if (body && typeof body === 'object' && (body as { success?: unknown }).success === false) {
      return failure('auth', `HTTP 200: ${gatewayMessage(body) ?? 'success false'}`);
    }
    return failure('bad-response', 'HTTP 200, not a token usage reading');
  }
  return { ok: false, error: errorForStatus(status, gatewayMessage(body)) };
};
