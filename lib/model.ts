/**
 * The domain vocabulary shared by every layer: what a stored key is, what one
 * reading of it says, and the ways a reading can fail.
 */

import { PROVIDER_IDS, type ProviderId } from './providers';

/** Kinds a user can choose, from the provider registry; `auto` is resolved on the first successful read. */
export const KEY_KINDS = ['auto', ...PROVIDER_IDS] as const;
export type ResolvedKind = ProviderId;
export type KeyKind = 'auto' | ResolvedKind;

/** Why a read produced no reading (shared/spec/automation.md §4, `data-error`). */
export const ERROR_KINDS = ['auth', 'forbidden', 'rate-limited', 'timeout', 'network', 'server', 'bad-response', 'not-supported'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** A row's state, as the popup's `data-state` shows it. */
export type KeyState = 'pending' | 'ok' | 'low' | 'exhausted' | 'expired' | 'invalid' | 'error';

/**
 * How a `custom` key reads any JSON endpoint (shared/spec/automation.md §3.1). Paths
 * starting with `/` are JSON Pointers; others are dot paths (digits index arrays).
 */
export interface CustomMapping {
  /** Appended to `baseUrl`; the request is a GET. */
  path: string;
  /** Header name → value; `{secret}` is replaced by the secret. Default: `Authorization: Bearer {secret}`. */
  headers?: Record<string, string>;
  remaining?: string;
  granted?: string;
  used?: string;
  unlimited?: string;
  expiresAt?: string;
  /** Every amount is divided by it (default 1). */
  scale?: number;
}

/** Low-balance threshold: a percentage of granted, or an amount in the key's unit. */
export interface Threshold {
  type: 'percent' | 'amount';
  value: number;
}

/** A key as the user stored it. Config only: readings live elsewhere, so a poll never overwrites an edit. */
export interface KeyConfig {
  id: string;
  label: string;
  /** Site root: scheme + host + optional port + optional path prefix, no trailing slash. */
  baseUrl: string;
  kind: KeyKind;
  secret: string;
  /** new-api account id, sent as `New-Api-User` (kind `newapi-user`). */
  userId?: number;
  /** Unit of the amounts for providers whose answer does not say (moonshot, siliconflow, stepfun, custom): ISO 4217 or `tokens`. */
  currency?: string;
  /** How to read a `custom` key's endpoint. */
  custom?: CustomMapping;
  /** `newapi-user`: also watch every token of the account (automation.md §3.3). */
  watchTokens?: boolean;
  /** An expiry the user set (or an import carried over), Unix seconds; used when the gateway does not say. */
  expiresAt?: number;
  /** Overrides the global default low threshold. */
  threshold?: Threshold;
  /** Overrides the global read interval, in minutes (at least 1). */
  intervalMinutes?: number;
  /** Unix ms until which this key's notifications are silenced. */
  snoozedUntil?: number;
  createdAt: number;
  updatedAt: number;
}

/**
 * `data-unit`: an ISO 4217 code, `tokens` (raw quota units) or `custom`
 * (a site-defined currency shown with its symbol).
 */
export interface Unit {
  code: string;
  symbol?: string;
}

/** Whose money a figure is: the key's own cap, the account wallet, or a figure the gateway does not qualify. */
export type ReadingScope = 'key' | 'account' | 'unqualified';

/** One named part of a balance, in the reading's unit. */
export interface BalancePart {
  part: 'granted' | 'paid' | 'voucher' | 'cash';
  amount: number;
}

/** One normalised, successful reading of a key. Amounts are in `unit`. */
export interface Reading {
  /** Remaining amount; null when unlimited or unknown. Never NaN or infinite. */
  remaining: number | null;
  /** Total granted (remaining + used); null when unknown or unlimited. Never negative. */
  granted: number | null;
  used: number | null;
  unit: Unit;
  unlimited: boolean;
  /** Unix seconds; null when it never expires or the gateway does not say. */
  expiresAt: number | null;
  scope: ReadingScope;
  /** The key's own name on the gateway, if it says. */
  name?: string;
  /** Models the key is limited to, when the gateway enforces a list. */
  modelLimits?: string[];
  /** r9s.ai: coupon balance, shown apart from the balance (shared/spec/providers.md §1). */
  couponBalance?: number;
  /** r9s.ai: tokens used per model over the last 7 days. */
  usageByModel?: { model: string; tokens: number }[];
  /** `newapi-user` with `watchTokens`: every token of the account (new-api-accounts.md §A). */
  tokens?: import('./account-tokens').TokenReading[];
  /** The token list could not be read this time (the account's own figures are fresh). */
  tokensError?: ReadError;
  /** The list was longer than what is kept. */
  tokensTruncated?: boolean;
  /** `newapi-user`: active subscription plans; absent when the server has none (§B). */
  plans?: import('./plans').PlanReading[];
  plansError?: ReadError;
  /** Named parts of a balance: granted (bonus) and paid, voucher and cash (shared/spec/providers.md §3–5). */
  parts?: BalancePart[];
  /** Balances in other currencies than `unit` (DeepSeek reports one entry per currency, providers.md §3). */
  otherBalances?: { unit: Unit; amount: number }[];
  /** OpenRouter: when the key's cap resets (providers.md §2). */
  resetPeriod?: 'daily' | 'weekly' | 'monthly';
  /** OpenRouter: spend in the current UTC day, week (from Monday) and month (providers.md §2). */
  usageWindows?: { day: number; week: number; month: number };
  /** StepFun: how the account pays (providers.md §6). */
  billing?: 'prepaid' | 'postpaid';
  /** The kind that produced this reading (resolves `auto`). */
  kind: ResolvedKind;
  /** Unix milliseconds. */
  fetchedAt: number;
}

/**
 * A failed read, typed. `message` is a short detail shown after the (localised)
 * description of `kind`: the HTTP status and the gateway's own words, if any.
 */
export interface ReadError {
  kind: ErrorKind;
  message: string;
  /** A more precise reason with its own localised text: a redirect to another origin (automation.md §5). */
  code?: 'cross-origin-redirect' | 'storage';
  /** Unix ms before which this key should not be asked again (429 Retry-After, budget). */
  retryAt?: number;
  /** Set when Quota Glance itself held the request back to stay within a site's budget. */
  heldBack?: boolean;
}

/**
 * A read's result. A failure may still carry fresh figures: a disabled new-api key
 * still reports its quota on the token route while the gateway refuses to use it.
 */
export type ReadOutcome = { ok: true; reading: Reading } | { ok: false; error: ReadError; reading?: Reading };

/** What the extension knows about a key right now. Written only by the background. */
export interface KeyStatus {
  /** Last good reading, kept across failures. */
  reading: Reading | null;
  /** The last attempt's failure; null when the last attempt succeeded or none was made. */
  error: (ReadError & { at: number }) | null;
  /** Unix ms of the last attempt. */
  attemptedAt: number | null;
  /** Consecutive failed attempts, for backoff. */
  failures: number;
  /** Kind that answered, for `auto` keys. */
  detectedKind?: ResolvedKind;
  /** Burn rate, forecast and sparkline from the key's history. */
  trend?: import('./history').Trend;
  /** What has been announced about this key. */
  alert?: import('./alerts').AlertMemory;
  /** Alert memory and trend of each watched token and plan of an account, by virtual id (lib/token-views.ts). */
  children?: Record<string, { alert?: import('./alerts').AlertMemory; trend?: import('./history').Trend }>;
}

export const emptyStatus = (): KeyStatus => ({ reading: null, error: null, attemptedAt: null, failures: 0 });
