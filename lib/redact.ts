import type { Reading, ReadOutcome } from './model';

/**
 * What a gateway says is never trusted with a secret or with storage space
 * (shared/spec/automation.md §5): every gateway-supplied string is scrubbed of the
 * key's secret and of anything that looks like a credential, and every stored string
 * and list is capped, so one hostile gateway can neither leak a key nor fill storage.
 */

/** Longest gateway text kept (an error detail, a key's name). */
export const MAX_TEXT = 200;
/** Longest model name kept. */
export const MAX_MODEL_NAME = 80;
/** Most model limits kept per reading. */
export const MAX_MODEL_LIMITS = 50;
/** Most per-model usage rows kept per reading (the largest ones). */
export const MAX_USAGE_MODELS = 20;

/** What stands where a secret or credential-like string was. */
export const REDACTED = '•••';

// A run of 24+ credential characters with no space: API keys, JWTs, hex tokens.
// Gateway prose never has words that long; a secret the gateway mangled still does.
const TOKEN_LIKE = /[A-Za-z0-9_-]{24,}/g;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every spelling of a secret a gateway might echo: as given, without and with `sk-`, after `Bearer`. */
export function secretForms(secret: string): string[] {
  const typed = secret.trim().replace(/^bearer\s+/i, '');
  const bare = typed.replace(/^sk-/i, '');
  if (typed.length < 4) return [];
  // A short remainder (`sk-page` → `page`) would be an ordinary word: only real keys' bare forms are matched.
  if (bare.length < 8) return [`Bearer ${typed}`, typed];
  return [`Bearer sk-${bare}`, `Bearer ${bare}`, `sk-${bare}`, bare];
}

/**
 * Removes every form of the secrets and every credential-like string from gateway
 * text, drops control characters, and caps its length.
 */
export function redactText(text: string, secrets: readonly string[], max = MAX_TEXT): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of secretForms(secret)) out = out.replace(new RegExp(escapeRegExp(form), 'gi'), REDACTED);
  }
  out = out.replace(TOKEN_LIKE, REDACTED);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
  out = out.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]+/g, ' ');
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/** A model name: secrets removed and capped (not the token-like rule: model ids can be long). */
function modelName(name: string, secrets: readonly string[]): string {
  let out = name;
  for (const secret of secrets) {
    for (const form of secretForms(secret)) out = out.split(form).join(REDACTED);
  }
  return out.length > MAX_MODEL_NAME ? `${out.slice(0, MAX_MODEL_NAME - 1)}…` : out;
}

/** A reading with every gateway string scrubbed and every list capped. */
export function sanitizeReading(reading: Reading, secrets: readonly string[]): Reading {
  const next: Reading = { ...reading };
  if (next.name !== undefined) next.name = redactText(next.name, secrets, 100);
  if (next.modelLimits) next.modelLimits = next.modelLimits.slice(0, MAX_MODEL_LIMITS).map((m) => modelName(m, secrets));
  if (next.usageByModel) {
    next.usageByModel = [...next.usageByModel]
      .sort((a, b) => b.tokens - a.tokens)
      .slice(0, MAX_USAGE_MODELS)
      .map((u) => ({ model: modelName(u.model, secrets), tokens: u.tokens }));
  }
  return next;
}

/** An outcome fit to store and show: secrets gone, strings and lists capped. */
export function sanitizeOutcome(outcome: ReadOutcome, secrets: readonly string[]): ReadOutcome {
  if (outcome.ok) return { ok: true, reading: sanitizeReading(outcome.reading, secrets) };
  const error = { ...outcome.error, message: redactText(outcome.error.message, secrets) };
  return outcome.reading ? { ok: false, error, reading: sanitizeReading(outcome.reading, secrets) } : { ok: false, error };
}
