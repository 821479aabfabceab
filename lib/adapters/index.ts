import type { KeyConfig, ReadOutcome, ResolvedKind } from '../model';
import { readNewApiToken } from './newapi-token';
import { readNewApiUser } from './newapi-user';
import { readOpenAiBilling } from './openai-billing';
import { readR9s } from './r9s';
import type { Adapter, AdapterContext } from './types';

/** Largest amount taken at face value; anything beyond is a broken answer, not money. */
const MAX_AMOUNT = 1e15;

/**
 * The last gate before a reading is stored: every figure finite and in range,
 * granted never negative. A gateway that sends `1.8e308` gets a typed error, not `Infinity`.
 */
function checked(adapter: Adapter): Adapter {
  return async (key, context) => {
    const outcome = await adapter(key, context);
    if (!outcome.ok) return outcome;
    const r = outcome.reading;
    const amounts = [r.remaining, r.granted, r.used, r.couponBalance].filter((v): v is number => v !== null && v !== undefined);
    const sane = amounts.every((v) => Number.isFinite(v) && Math.abs(v) <= MAX_AMOUNT) && (r.granted === null || r.granted >= 0);
    const expirySane = r.expiresAt === null || (Number.isInteger(r.expiresAt) && r.expiresAt > 0 && r.expiresAt < 1e11);
    if (!sane || !expirySane) return { ok: false, error: { kind: 'bad-response', message: 'figures out of any sensible range' } };
    return outcome;
  };
}

export const ADAPTERS: Record<ResolvedKind, Adapter> = {
  'newapi-token': checked(readNewApiToken),
  'openai-billing': checked(readOpenAiBilling),
  'newapi-user': checked(readNewApiUser),
  'r9s-manager': checked(readR9s),
};

/** Management keys are `sk_mg_` + 64 hex (shared/spec/providers.md §1). */
export const isR9sManagementKey = (secret: string) => /^\s*(bearer\s+)?sk_mg_/i.test(secret);

/**
 * Reads a key. `auto` keys use the kind remembered from an earlier read; otherwise
 * `sk_mg_` means r9s, else new-api's token route, falling back to billing when the
 * site has no such route (older new-api, one-api and forks answer 404, §1.5).
 */
export async function readKey(key: KeyConfig, context: AdapterContext, remembered?: ResolvedKind): Promise<ReadOutcome> {
  if (key.kind !== 'auto') return ADAPTERS[key.kind](key, context);
  if (isR9sManagementKey(key.secret)) return ADAPTERS['r9s-manager'](key, context);
  if (remembered) {
    const outcome = await ADAPTERS[remembered](key, context);
    // Re-detect only when the remembered kind's route has gone.
    if (outcome.ok || outcome.error.kind !== 'not-supported') return outcome;
  }
  const token = await ADAPTERS['newapi-token'](key, context);
  if (token.ok || token.error.kind !== 'not-supported') return token;
  return ADAPTERS['openai-billing'](key, context);
}
