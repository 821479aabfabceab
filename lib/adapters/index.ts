import type { KeyConfig, ReadOutcome, ResolvedKind } from '../model';
import { readNewApiToken } from './newapi-token';
import { readNewApiUser } from './newapi-user';
import { readOpenAiBilling } from './openai-billing';
import { readR9s } from './r9s';
import type { Adapter, AdapterContext } from './types';

export const ADAPTERS: Record<ResolvedKind, Adapter> = {
  'newapi-token': readNewApiToken,
  'openai-billing': readOpenAiBilling,
  'newapi-user': readNewApiUser,
  'r9s-manager': readR9s,
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
  if (isR9sManagementKey(key.secret)) return readR9s(key, context);
  if (remembered) {
    const outcome = await ADAPTERS[remembered](key, context);
    // Re-detect only when the remembered kind's route has gone.
    if (outcome.ok || outcome.error.kind !== 'not-supported') return outcome;
  }
  const token = await readNewApiToken(key, context);
  if (token.ok || token.error.kind !== 'not-supported') return token;
  return readOpenAiBilling(key, context);
}
