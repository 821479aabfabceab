import { isAmount, isMoment } from '../bounds';
import type { KeyConfig, ReadError, Reading, ReadOutcome, ResolvedKind } from '../model';
import type { PlanReading, TokenReading } from '../schema';
import { isSaneWindow } from '../window-facts';
import type { Adapter, AdapterContext } from './adapter';
import { PROVIDER_IDS, PROVIDERS, probeOrder, recognise } from './index';
import { hideSecret } from './redact';

/**
 * The key's own figures, in range (lib/bounds.ts), granted never negative, the expiry a
 * whole second. A reading that fails this is a typed error: a gateway that sends
 * `1.8e308` gets `bad-response`, not `Infinity`.
 */
function isSane(r: Reading): boolean {
  const extras = [
    ...(r.parts ?? []).map((p) => p.amount),
    ...(r.otherBalances ?? []).map((b) => b.amount),
    ...(r.usageWindows ? [r.usageWindows.day, r.usageWindows.week, r.usageWindows.month] : []),
  ];
  const amounts = [r.remaining, r.granted, r.used, r.couponBalance, ...extras].filter((v): v is number => v !== null && v !== undefined);
  // Quota windows are bounded like the key's own figures (lib/windows.ts).
  const sane = amounts.every(isAmount) && (r.granted === null || r.granted >= 0) && (r.windows ?? []).every(isSaneWindow);
  return sane && (r.expiresAt === null || (Number.isInteger(r.expiresAt) && r.expiresAt > 0 && isMoment(r.expiresAt)));
}

const isAmountOrNull = (v: number | null) => v === null || isAmount(v);

/**
 * A watched token out of range costs only itself, never the account's reading
 * (new-api-accounts.md §A.4): figures out of range become unknown (remaining and granted
 * null, used 0), an expiry that is no date takes the relay's own reading of it (expired
 * when `expired_time < now`: below 0 is long past, kept as 0; beyond any date it never
 * comes, null), a status out of range is 0 (refused, like any status but 1). Ids are safe
 * integers already (zod's `int()` in lib/account-tokens.ts and lib/plans.ts).
 */
function boundedToken(t: TokenReading): TokenReading {
  const figures = isAmountOrNull(t.remaining) && isAmountOrNull(t.granted) && isAmount(t.used);
  const expiresAt = t.expiresAt === null || isMoment(t.expiresAt) ? t.expiresAt : t.expiresAt < 0 ? 0 : null;
  const status = Number.isSafeInteger(t.status) ? t.status : 0;
  if (figures && expiresAt === t.expiresAt && status === t.status) return t;
  return { ...t, ...(figures ? {} : { remaining: null, granted: null, used: 0 }), expiresAt, status };
}

/** A plan with any figure out of range is left out (a plan has no "unknown" to show), and `plansError` says so (§B). */
const isSanePlan = (p: PlanReading) =>
  isAmountOrNull(p.remaining) &&
  isAmountOrNull(p.total) &&
  isAmount(p.used) &&
  (p.resetsAt === null || isMoment(p.resetsAt)) &&
  isMoment(p.endsAt);

/** The reading's lists bounded entry by entry: the account's own figures are kept whatever one entry says. */
function bounded(r: Reading): Reading {
  let out = r;
  if (r.tokens) out = { ...out, tokens: r.tokens.map(boundedToken) };
  if (r.plans && !r.plans.every(isSanePlan)) {
    const plansError: ReadError = { kind: 'bad-response', message: 'a plan with figures out of any sensible range was left out' };
    out = { ...out, plans: r.plans.filter(isSanePlan), plansError: r.plansError ?? plansError };
  }
  // r9s usage per model: no total is better than a false one; the balance stays.
  if (r.usageByModel && !r.usageByModel.every((u) => isAmount(u.tokens))) {
    const { usageByModel: _dropped, ...rest } = out;
    out = rest;
  }
  return out;
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
        ? { ok: true, reading: bounded(outcome.reading) }
        : { ok: false, error: { kind: 'bad-response', message: 'figures out of any sensible range' } };
    }
    if (!outcome.reading) return outcome;
    return isSane(outcome.reading) ? { ...outcome, reading: bounded(outcome.reading) } : { ok: false, error: outcome.error };
  };
}

/** Every kind's adapter, from the provider registry, behind the sanity gate (bounds: lib/bounds.ts). */
export const ADAPTERS = Object.fromEntries(PROVIDER_IDS.map((id) => [id, checked(PROVIDERS[id].read)])) as Record<ResolvedKind, Adapter>;

/** Management keys are `sk_mg_` + 64 hex (shared/spec/providers.md §1). */
export const isR9sManagementKey = (secret: string) => /^\s*(bearer\s+)?sk_mg_/i.test(secret);

/**
 * Reads a key. `auto` keys use the kind remembered from an earlier read, and are
 * detected with as few requests as possible otherwise: a secret prefix (`sk_mg_` r9s,
 * `sk-or-` OpenRouter) or a provider's host names that provider; else the relay kinds
 * are asked in their manifests' probe order: a site whose public `/api/status` says it
 * is new-api gets the token route first (falling back to billing when that route is
 * missing, new-api before 2025-08, §1.5); any other site goes straight to billing,
 * sparing the token route's small rate budget (§6.1).
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
  const { newApi } = await context.siteDisplay();
  // A site that is not new-api is asked who it is, without the secret (relays.md §7.1 rule 3).
  if (!newApi) {
    for (const kind of PROVIDER_IDS) {
      const probe = PROVIDERS[kind].siteProbe;
      if (probe && (await probe(key.baseUrl, context))) return ADAPTERS[kind](key, context);
    }
  }
  // The relay kinds in the order their manifests rank them for this site: a route that is missing passes to the next.
  let outcome: ReadOutcome = { ok: false, error: { kind: 'not-supported', message: 'no kind to try' } };
  for (const kind of probeOrder(newApi)) {
    outcome = await ADAPTERS[kind](key, context);
    if (outcome.ok || outcome.error.kind !== 'not-supported') return outcome;
  }
  return outcome;
}
