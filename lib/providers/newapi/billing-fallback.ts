import type { KeyConfig, KeyStatus, ReadOutcome } from '../../model';
import type { ReadAs } from '../policy';

/**
 * When the token route's budget is spent, a new-api key can still be read through
 * billing, which counts against the far larger GA bucket (shared/spec/new-api.md
 * §6.1). Billing may report the owner's wallet instead (§2.2), so its figures are
 * taken only when they match the key's last token-route reading (same unit, same
 * granted amount); otherwise the key waits for its turn. Billing refuses spent,
 * expired and disabled keys (§2.1): that refusal is news worth showing now.
 */
export async function billingFallback(
  _key: KeyConfig,
  previous: KeyStatus | undefined,
  heldBack: ReadOutcome,
  readAs: ReadAs,
): Promise<ReadOutcome> {
  const last = previous?.reading;
  if (heldBack.ok || !heldBack.error.heldBack || last?.kind !== 'newapi-token') return heldBack;
  const billing = await readAs('openai-billing');
  if (!billing.ok) return billing.error.kind === 'auth' ? billing : heldBack;
  const r = billing.reading;
  const sameGrant =
    r.unlimited === last.unlimited &&
    r.unit.code === last.unit.code &&
    (r.unlimited ||
      (r.granted !== null && last.granted !== null && Math.abs(r.granted - last.granted) <= Math.max(1e-6, last.granted * 0.005)));
  if (!sameGrant) return heldBack;
  const { name, modelLimits } = last;
  return {
    ok: true,
    reading: {
      ...r,
      kind: 'newapi-token',
      scope: 'key',
      ...(name !== undefined ? { name } : {}),
      ...(modelLimits ? { modelLimits } : {}),
    },
  };
}
