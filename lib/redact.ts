import type { ReadError, Reading, ReadOutcome } from './model';

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
/**
 * Credentials mix in digits (a 24-letter random run has none about 1 time in 70, a 48-letter
 * one 1 in 5,000); a token named `production-backend-server` does not, and stays readable.
 * A run of 40+ is taken as a credential either way. The key's own secret is matched by its forms.
 */
const credentialRun = (run: string) => (/\d/.test(run) || run.length >= 40 ? REDACTED : run);

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

// Characters that can disguise text: C0/C1 controls and line or paragraph separators
// (each run becomes one space), and invisible format characters (\p{Cf}: the bidi
// marks, embeddings, overrides and isolates U+200E/F, U+202A–202E, U+2066–2069,
// zero-width spaces and joiners, soft hyphens, tag characters…), which are removed.
const BREAKS = /[\p{Cc}\p{Zl}\p{Zp}]+/gu;
const INVISIBLE = /\p{Cf}+/gu;

/** Text with the characters that can disguise it gone: a `U+202E` name no longer draws reversed. */
export function stripControls(text: string): string {
  return text.replace(INVISIBLE, '').replace(BREAKS, ' ');
}

/**
 * The shortest piece of a secret taken as the secret: 12 letters and digits of a key are
 * never there by chance, and a gateway that cuts, splits or spaces out a key still shows
 * pieces at least this long (or too little of it to matter).
 */
export const SECRET_PIECE = 12;

/** A character folded for matching: compatibility forms (fullwidth `ｓｋ`) and case gone, letters and digits only. */
const folded = (char: string) => [...char.normalize('NFKC').toLowerCase()].filter((c) => /[a-z0-9]/.test(c));

/** Every run of `SECRET_PIECE` letters and digits of each secret (its `Bearer ` and `sk-` aside). */
function secretPieces(secrets: readonly string[]): Set<string> {
  const pieces = new Set<string>();
  for (const secret of secrets) {
    const core = [
      ...secret
        .trim()
        .replace(/^bearer\s+/i, '')
        .replace(/^sk-/i, ''),
    ]
      .flatMap(folded)
      .join('');
    for (let i = 0; i + SECRET_PIECE <= core.length; i++) pieces.add(core.slice(i, i + SECRET_PIECE));
  }
  return pieces;
}

/**
 * Every stretch of text that spells a piece of a secret, in any case or width, across any
 * separators (spaces, dots, invisible characters), replaced: a secret the gateway cut at
 * its length limit, split into parts or spaced out is gone too, not only a whole one.
 */
function withoutSecretPieces(text: string, secrets: readonly string[]): string {
  const pieces = secretPieces(secrets);
  if (pieces.size === 0) return text;
  // The text's letters and digits, folded, with where each came from in the text.
  const letters: string[] = [];
  const from: [number, number][] = [];
  let index = 0;
  for (const char of text) {
    for (const c of folded(char)) {
      letters.push(c);
      from.push([index, index + char.length]);
    }
    index += char.length;
  }
  const flat = letters.join('');
  const hit = new Uint8Array(letters.length);
  for (let i = 0; i + SECRET_PIECE <= flat.length; i++) if (pieces.has(flat.slice(i, i + SECRET_PIECE))) hit.fill(1, i, i + SECRET_PIECE);
  let out = '';
  let kept = 0;
  for (let i = 0; i < hit.length; i++) {
    if (!hit[i]) continue;
    let j = i;
    while (j + 1 < hit.length && hit[j + 1]) j++;
    out += `${text.slice(kept, from[i]?.[0])}${REDACTED}`;
    kept = from[j]?.[1] ?? kept;
    i = j;
  }
  return out + text.slice(kept);
}

/** Every form of the secrets replaced, in any letter case, and every piece of them (`withoutSecretPieces`). */
function withoutSecrets(text: string, secrets: readonly string[], keepScheme = false): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of secretForms(secret)) {
      if (keepScheme && /^bearer /i.test(form)) continue;
      out = out.replace(new RegExp(escapeRegExp(form), 'gi'), REDACTED);
    }
  }
  return withoutSecretPieces(out, secrets);
}

/**
 * Text shown as it is but for the secrets (any form, case or piece) and the characters
 * that can disguise it; a `Bearer ` before a secret stays, to say what was there.
 */
export const withoutSecret = (text: string, secrets: readonly string[]): string => withoutSecrets(stripControls(text), secrets, true);

/** At most `max` characters, `…` last when cut; never half a surrogate pair. */
function capped(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/**
 * Removes every form of the secrets and every credential-like string from gateway
 * text, drops control and text-direction characters, and caps its length. The
 * invisible ones go first, so a secret split by a zero-width space is still found.
 */
export function redactText(text: string, secrets: readonly string[], max = MAX_TEXT): string {
  return capped(withoutSecrets(stripControls(text), secrets).replace(TOKEN_LIKE, credentialRun), max);
}

/** A model name: secrets and controls removed, capped (not the token-like rule: model ids can be long). */
function modelName(name: string, secrets: readonly string[]): string {
  return capped(withoutSecrets(stripControls(name), secrets), MAX_MODEL_NAME);
}

/**
 * Fields whose values are the extension's own words (zod enums in lib/schema.ts), not a
 * gateway's text: left as they are, so no secret that happens to spell one can break a
 * stored reading. Paths are dot-joined field names, list items sharing their list's path.
 * tests/redact-deep.test.ts checks that each is an enum in `readingSchema`.
 */
export const OWN_WORDS: ReadonlySet<string> = new Set([
  'kind',
  'scope',
  'resetPeriod',
  'billing',
  ...['tokensError', 'plansError'].flatMap((error) => [`${error}.kind`, `${error}.code`]),
]);
const ERROR_OWN_WORDS: ReadonlySet<string> = new Set(['kind', 'code']);

const isModelName = (path: string) => path === 'modelLimits' || path.endsWith('.modelLimits') || path === 'usageByModel.model';
const lastField = (path: string) => path.slice(path.lastIndexOf('.') + 1);

/**
 * Every string of a value, at any depth, scrubbed by the rule of its path: model names
 * keep long ids, names are capped at 100, any other text at `MAX_TEXT`. A walk over
 * the value, not a list of fields, so a field added later is scrubbed too. Lists of
 * model limits and usage rows are capped (the largest usage rows kept).
 */
function scrub(value: unknown, path: string, secrets: readonly string[], own: ReadonlySet<string>): unknown {
  if (typeof value === 'string') {
    if (own.has(path)) return value;
    if (isModelName(path)) return modelName(value, secrets);
    return redactText(value, secrets, lastField(path) === 'name' ? 100 : MAX_TEXT);
  }
  if (Array.isArray(value)) {
    let items = value;
    if (isModelName(path)) items = items.slice(0, MAX_MODEL_LIMITS);
    if (path === 'usageByModel')
      items = [...items].sort((a, b) => (b as { tokens: number }).tokens - (a as { tokens: number }).tokens).slice(0, MAX_USAGE_MODELS);
    return items.map((item) => scrub(item, path, secrets, own));
  }
  if (value === null || typeof value !== 'object') return value;
  // Field names are the extension's own (readingSchema has no record keyed by gateway text; the test checks).
  return Object.fromEntries(
    Object.entries(value).map(([field, item]) => [field, scrub(item, path ? `${path}.${field}` : field, secrets, own)]),
  );
}

/** A reading with every gateway string, at any depth, scrubbed and every list capped. */
export function sanitizeReading(reading: Reading, secrets: readonly string[]): Reading {
  return scrub(reading, '', secrets, OWN_WORDS) as Reading;
}

/** A read error (with whatever else it carries, such as `at`) with its gateway text scrubbed. */
export function sanitizeError<E extends ReadError>(error: E, secrets: readonly string[]): E {
  return scrub(error, '', secrets, ERROR_OWN_WORDS) as E;
}

/** An outcome fit to store and show: secrets gone, strings and lists capped. */
export function sanitizeOutcome(outcome: ReadOutcome, secrets: readonly string[]): ReadOutcome {
  if (outcome.ok) return { ok: true, reading: sanitizeReading(outcome.reading, secrets) };
  const error = sanitizeError(outcome.error, secrets);
  return outcome.reading ? { ok: false, error, reading: sanitizeReading(outcome.reading, secrets) } : { ok: false, error };
}
