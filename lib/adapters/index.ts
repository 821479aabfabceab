import type { KeyConfig, Reading, ReadOutcome, ResolvedKind } from '../model';
import { PROVIDER_IDS, PROVIDERS, recognise } from '../providers';
import { hideSecret } from '../providers/redact';
import type { Adapter, AdapterContext } from './types';

/** Largest amount taken at face value; anything beyond is a broken answer, not money. */
const MAX_AMOUNT = 1e15;

/**
 * The last gate before a reading is stored: every figure finite and in range,
 * granted never negative. A gateway that sends `1.8e308` gets a typed error, not `Infinity`.
 */
function isSane(r: Reading): boolean {
  const extras = [
    ...(r.parts ?? []).map((p) => p.amount),
    ...(r.otherBalances ?? []).map((b) => b.amount),
    ...(r.usageWindows ? [r.usageWindows.day, r.usageWindows.week, r.usageWindows.month] : []),
  ];
  const amounts = [r.remaining, r.granted, r.used, r.couponBalance, ...extras].filter((v): v is number => v !== null && v !== undefined);
  const sane = amounts.every((v) => Number.isFinite(v) && Math.abs(v) <= MAX_AMOUNT) && (r.granted === null || r.granted >= 0);
  return sane && (r.expiresAt === null || (Number.isInteger(r.expiresAt) && r.expiresAt > 0 && r.expiresAt < 1e11));
}

/**
 * A gateway that echoes the secret back (in an error message, a key name) must not get
 * it stored or shown (shared/spec/automation.md §5).
 */
function withoutSecret(outcome: ReadOutcome, secret: string): ReadOutcome {
  const hide = (text: string) => hideSecret(text, secret);
  const reading = (r: Reading): Reading => (r.name === undefined ? r : { ...r, name: hide(r.name) });
  if (outcome.ok) return { ok: true, reading: reading(outcome.reading) };
  const error = { ...outcome.error, message: hide(outcome.error.message) };
  return outcome.reading ? { ok: false, error, reading: reading(outcome.reading) } : { ok: false, error };
}

function checked(adapter: Adapter): Adapter {
  return async (key, context) => {
    const outcome = withoutSecret(await adapter(key, context), key.secret);
    if (outcome.ok) {
      return isSane(outcome.reading)
        ? outcome
        : { ok: false, error: { kind: 'bad-response', message: 'figures out of any sensible range' } };
    }
    if (outcome.reading && !isSane(outcome.reading)) return { ok: false, error: outcome.error };
    return outcome;
  };
}

/** Every kind's adapter, from the provider registry, behind the sanity gate. */
export const ADAPTERS = Object.fromEntries(PROVIDER_IDS.map((id) => [id, checked(PROVIDERS[id].read)])) as Record<ResolvedKind, Adapter>;

/** Management keys are `sk_mg_` + 64 hex (shared/spec/providers.md §1). */
export const isR9sManagementKey = (secret: string) => /^\s*(bearer\s+)?sk_mg_/i.test(secret);

/**
 * Reads a key. `auto` keys use the kind remembered from an earlier read, and are
 * detected with as few requests as possible otherwise: `sk_mg_` means r9s, `sk-or-`
 * OpenRouter, a provider's host that provider (the registry's detection rules); a site
 * whose public `/api/status` says it is new-api gets the token route (falling back to
 * billing when that route is missing, new-api before 2025-08, §1.5); any other site
 * goes straight to billing, sparing the token route's small rate budget (§6.1).
 */
export async function readKey(key: KeyConfig, context: AdapterContext, remembered?: ResolvedKind): Promise<ReadOutcome> {
  if (key.kind !== 'auto') return ADAPTERS[key.kind](key, context);
  // A secret prefix or a provider's own host tells the kind without a request (automation.md §2).
  const known = recognise(key);
  if (known) return ADAPTERS[known](key, context);
  if (remembered) {
    const outcome = await ADAPTERS[remembered](key, context);
    // Re-detect only when the remembered kind's route has gone.
    if (outcome.ok || outcome.error.kind !== 'not-supported') return outcome;
  }
  const order: ResolvedKind[] = (await context.siteDisplay()).newApi
    ? ['newapi-token', 'openai-billing']
    : ['openai-billing', 'newapi-token'];
  const first = await ADAPTERS[order[0] as ResolvedKind](key, context);
  if (first.ok || first.error.kind !== 'not-supported') return first;
  return ADAPTERS[order[1] as ResolvedKind](key, context);
}
