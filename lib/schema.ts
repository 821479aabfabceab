/**
 * The shapes Quota Glance keeps in `storage.local`, as zod schemas: the single source
 * of the stored types (issue #7, item 15). lib/model.ts, lib/state.ts, lib/alerts.ts,
 * lib/history.ts, lib/account-tokens.ts and lib/plans.ts re-export these types under
 * their usual names. This module imports nothing of theirs (nor the provider
 * registry), so the types form no cycle.
 *
 * Bundles: only type imports of this module reach the popup; zod itself runs in the
 * background and the options page (lib/storage/check.ts), never in the popup.
 */
import { z } from 'zod';
import { STORED_KINDS, type StoredResolvedKind } from './schema-kinds';

/** A kind the registry reads. */
const resolvedKind = z.enum(
  STORED_KINDS.filter((k): k is StoredResolvedKind => k !== 'auto') as [StoredResolvedKind, ...StoredResolvedKind[]],
);
const keyKind = z.enum(STORED_KINDS);

const finite = z.number().finite();
const finiteOrNull = finite.nullable();

export const keyStateSchema = z.enum(['pending', 'ok', 'low', 'capped', 'exhausted', 'expired', 'invalid', 'error']);
export const errorKindSchema = z.enum([
  'auth',
  'forbidden',
  'rate-limited',
  'timeout',
  'network',
  'server',
  'bad-response',
  'not-supported',
]);

/** How a `custom` key reads any JSON endpoint, as stored (the editor's stricter rules: lib/providers/fields.ts). */
export const storedCustomMappingSchema = z.object({
  /** Appended to `baseUrl`; the request is a GET. */
  path: z.string(),
  /** Header name → value; `{secret}` is replaced by the secret. Default: `Authorization: Bearer {secret}`. */
  headers: z.record(z.string(), z.string()).optional(),
  remaining: z.string().optional(),
  granted: z.string().optional(),
  used: z.string().optional(),
  unlimited: z.string().optional(),
  expiresAt: z.string().optional(),
  /** Every amount is divided by it (default 1). */
  scale: finite.optional(),
});

/** Low-balance threshold: a percentage of granted, or an amount in the key's unit. */
export const thresholdSchema = z.object({ type: z.enum(['percent', 'amount']), value: finite });

/** A key as the user stored it (`keys`). Config only: readings live elsewhere. */
export const keyConfigSchema = z.object({
  id: z.string().min(1),
  label: z.string(),
  /** Site root: scheme + host + optional port + optional path prefix, no trailing slash. */
  baseUrl: z.string(),
  kind: keyKind,
  secret: z.string(),
  /** new-api account id, sent as `New-Api-User` (kind `newapi-user`). */
  userId: finite.optional(),
  /** Unit of the amounts for providers whose answer does not say: ISO 4217 or `tokens`. */
  currency: z.string().optional(),
  /** How to read a `custom` key's endpoint. */
  custom: storedCustomMappingSchema.optional(),
  /** `newapi-user`: also watch every token of the account (automation.md §3.3). */
  watchTokens: z.boolean().optional(),
  /** An expiry the user set (or an import carried over), Unix seconds. */
  expiresAt: finite.optional(),
  /** Overrides the global default low threshold. */
  threshold: thresholdSchema.optional(),
  /** Overrides the global read interval, in minutes (at least 1). */
  intervalMinutes: finite.optional(),
  /** Unix ms until which this key's notifications are silenced. */
  snoozedUntil: finite.optional(),
  /** Still read and shown, but never alerts nor needs attention (automation.md §3.1, version 3); absent is false. */
  muted: z.boolean().optional(),
  /** Shown first, before the urgency order (automation.md §3.1, version 3); absent is false. */
  pinned: z.boolean().optional(),
  createdAt: finite,
  updatedAt: finite,
});

/** `data-unit`: an ISO 4217 code, `tokens` or `custom` (a site-defined currency shown with its symbol). */
export const unitSchema = z.object({ code: z.string(), symbol: z.string().optional() });

/** One named part of a balance, in the reading's unit. */
export const balancePartSchema = z.object({ part: z.enum(['granted', 'paid', 'voucher', 'cash']), amount: finite });

/** A failed read, typed; `message` is shown after the localised description of `kind`. */
export const readErrorSchema = z.object({
  kind: errorKindSchema,
  message: z.string(),
  /** A more precise reason with its own localised text (automation.md §5). */
  code: z.enum(['cross-origin-redirect', 'redirect', 'storage', 'stopped', 'account']).optional(),
  /** Unix ms before which this key should not be asked again (429 Retry-After, budget). */
  retryAt: finite.optional(),
  /** Set when Quota Glance itself held the request back to stay within a site's budget. */
  heldBack: z.boolean().optional(),
});

/** One token of a watched account, amounts in the site's display unit (new-api-accounts.md §A). */
export const tokenReadingSchema = z.object({
  id: finite,
  /** The token's name on the gateway (capped), may be empty. */
  name: z.string(),
  /** new-api's stored status: 1 enabled, 2 disabled, 3 expired, 4 exhausted (may be stale, §A.4). */
  status: finite,
  /** Remaining amount, never negative; null when unlimited. */
  remaining: finiteOrNull,
  granted: finiteOrNull,
  used: finite,
  unlimited: z.boolean(),
  /** Unix seconds; null when it never expires. */
  expiresAt: finiteOrNull,
  modelLimits: z.array(z.string()).optional(),
});

/** One active subscription plan, amounts in the site's display unit (new-api-accounts.md §B). */
export const planReadingSchema = z.object({
  /** The subscription's id. */
  id: finite,
  planId: finite,
  /** The plan's title, or null when the site does not list it (then "Plan #id"). */
  title: z.string().nullable(),
  /** Left in the current window; null when unlimited. */
  remaining: finiteOrNull,
  /** Allowance per window; null when unlimited. */
  total: finiteOrNull,
  used: finite,
  unlimited: z.boolean(),
  /** Unix seconds of the next window reset; null when it never resets again. */
  resetsAt: finiteOrNull,
  /** Unix seconds when the plan ends. */
  endsAt: finite,
});

/**
 * A quota window that resets (5 hours, a day, a week), a lifetime `total`, or a plan's
 * (shared/spec/relays.md §1.1; derivation: lib/windows.ts). Figures are in `unit`;
 * null means not stated and not derivable, never 0.
 */
export const windowSchema = z.object({
  /** `5h`, `day`, `week`, `month`, `total`, or the gateway's own name (`60m`, a plan's title). */
  name: z.string(),
  /** Whose allowance it is. */
  scope: z.enum(['key', 'user', 'plan']),
  /** `USD` (or another ISO 4217 code), `tokens`, `requests` or `percent`. */
  unit: z.string(),
  limit: finiteOrNull,
  used: finiteOrNull,
  remaining: finiteOrNull,
  /** 0–100. */
  percentUsed: finiteOrNull,
  /** Unix seconds of the next reset; null when unknown, rolling or never. */
  resetsAt: finiteOrNull,
  /** False only for a lifetime allowance (`total`). */
  resets: z.boolean(),
  /** A sliding window, with no single reset moment. */
  rolling: z.boolean(),
});

/** One normalised, successful reading of a key. Amounts are in `unit`. */
export const readingSchema = z.object({
  /** Remaining amount; null when unlimited or unknown. Never NaN or infinite. */
  remaining: finiteOrNull,
  /** Total granted (remaining + used); null when unknown or unlimited. */
  granted: finiteOrNull,
  used: finiteOrNull,
  unit: unitSchema,
  unlimited: z.boolean(),
  /** Unix seconds; null when it never expires or the gateway does not say. */
  expiresAt: finiteOrNull,
  /** Whose money a figure is: the key's own cap, the account wallet, or unqualified. */
  scope: z.enum(['key', 'account', 'unqualified']),
  /** The key's own name on the gateway, if it says. */
  name: z.string().optional(),
  /** The plan or group the key is on, as the gateway names it (Sub2API `planName`, GLM `level`). */
  plan: z.string().optional(),
  /** How the site took the key when not as its kind first tries (GLM: `Bearer `, relays.md §5). */
  authScheme: z.enum(['bearer']).optional(),
  /** Models the key is limited to, when the gateway enforces a list. */
  modelLimits: z.array(z.string()).optional(),
  /** r9s.ai: coupon balance, shown apart from the balance (shared/spec/providers.md §1). */
  couponBalance: finite.optional(),
  /** r9s.ai: tokens used per model over the last 7 days. */
  usageByModel: z.array(z.object({ model: z.string(), tokens: finite })).optional(),
  /** `newapi-user` with `watchTokens`: every token of the account (new-api-accounts.md §A). */
  tokens: z.array(tokenReadingSchema).optional(),
  /** The token list could not be read this time (the account's own figures are fresh). */
  tokensError: readErrorSchema.optional(),
  /** The list was longer than what is kept. */
  tokensTruncated: z.boolean().optional(),
  /** `newapi-user`: active subscription plans; absent when the server has none (§B). */
  plans: z.array(planReadingSchema).optional(),
  plansError: readErrorSchema.optional(),
  /** Quota windows that limit the key besides (or instead of) a balance (relays.md §1, automation.md §4.1). */
  windows: z.array(windowSchema).optional(),
  /** Named parts of a balance (shared/spec/providers.md §3–5). */
  parts: z.array(balancePartSchema).optional(),
  /** Balances in other currencies than `unit` (providers.md §3). */
  otherBalances: z.array(z.object({ unit: unitSchema, amount: finite })).optional(),
  /** OpenRouter: when the key's cap resets (providers.md §2). */
  resetPeriod: z.enum(['daily', 'weekly', 'monthly']).optional(),
  /** OpenRouter: spend in the current UTC day, week and month (providers.md §2). */
  usageWindows: z.object({ day: finite, week: finite, month: finite }).optional(),
  /** StepFun: how the account pays (providers.md §6). */
  billing: z.enum(['prepaid', 'postpaid']).optional(),
  /**
   * Lists shortened (or left out) to keep the key's stored status within its byte budget
   * (lib/reading-budget.ts); the row's details say so. Absent when nothing was cut.
   */
  cut: z.array(z.enum(['otherBalances', 'parts', 'usageByModel', 'tokens', 'plans', 'modelLimits', 'windows'])).optional(),
  /** The kind that produced this reading (resolves `auto`). */
  kind: resolvedKind,
  /** Unix milliseconds. */
  fetchedAt: finite,
});

/** [unix minutes, remaining] */
export const pointSchema = z.tuple([finite, finite]);
/** A stored history series (`history:<id>`, `today:<id>`). */
export const seriesSchema = z.array(pointSchema);

/** Burn rate, forecast and sparkline of a key's history. */
export const trendSchema = z.object({
  /** Units of the key's currency used per day, over the recent stretch without top-ups; null when unknown. */
  burnPerDay: finiteOrNull,
  /** Unix ms when it runs out at that rate; null when not burning or unknown. */
  runsOutAt: finiteOrNull,
  /** Up to 28 points of the last 7 days, for a sparkline. */
  sparkline: z.array(pointSchema),
});

/** What was last announced for a key, so each crossing is announced once. */
export const alertMemorySchema = z.object({
  /** The state last notified; cleared when the key recovers. */
  state: keyStateSchema.optional(),
  /** The smallest expiry warning stage (days) already announced for `expiresAt`. */
  expiryStage: finite.optional(),
  expiresAt: finiteOrNull.optional(),
  /** The forecast warning was announced (cleared when the forecast recovers). */
  forecast: z.boolean().optional(),
});

/** What the extension knows about a key right now (`status:<id>`). Written only by the background. */
export const keyStatusSchema = z.object({
  /** Last good reading, kept across failures. */
  reading: readingSchema.nullable(),
  /** The last attempt's failure; null when the last attempt succeeded or none was made. */
  error: readErrorSchema.extend({ at: finite }).nullable(),
  /** Unix ms of the last attempt. */
  attemptedAt: finiteOrNull,
  /** Consecutive failed attempts, for backoff. */
  failures: finite,
  /** Kind that answered, for `auto` keys. */
  detectedKind: resolvedKind.optional(),
  /** Burn rate, forecast and sparkline from the key's history. */
  trend: trendSchema.optional(),
  /** What has been announced about this key. */
  alert: alertMemorySchema.optional(),
  /**
   * Set when Quota Glance held the last due read back itself, to stay within the site's
   * budget (`at`), until its turn comes (`until`), Unix ms. No request was made, so it is no
   * attempt: `reading`, `error` and `failures` stay the last attempt's, and so does the verdict.
   */
  heldBack: z.object({ at: finite, until: finite }).optional(),
  /** Alert memory and trend of each watched token and plan of an account, by virtual id. */
  children: z.record(z.string(), z.object({ alert: alertMemorySchema.optional(), trend: trendSchema.optional() })).optional(),
});

/** Default low amounts by unit: 1 USD, 7 CNY, 500,000 tokens, 1 in any other unit (automation.md §5). */
export const lowAmountsSchema = z.object({ USD: finite, CNY: finite, tokens: finite, other: finite });

/** Global defaults a user can change on the options page (`settings`, WXT item version 4). */
export const settingsSchema = z.object({
  /** Minutes between reads of one key. */
  intervalMinutes: finite.positive(),
  /** Low threshold for keys without their own. */
  defaultThreshold: thresholdSchema,
  /** Low amount, by unit, for a reading without a granted amount (automation.md §5). */
  defaultLowAmounts: lowAmountsSchema,
  notifications: z.boolean(),
  /** Days before expiry at which to warn. */
  expiryWarningDays: z.array(finite),
  /** Warn when the forecast says a key runs out within this many days; 0 is off. */
  forecastWarningDays: finite,
  /** A quota window with less than this share (%) left makes its key `low` (automation.md §4.1). */
  windowLowPercent: finite.min(0).max(100),
});

/** A site's `/api/status` display settings (lib/units.ts `SiteDisplay`). */
export const siteDisplaySchema = z.object({
  quotaPerUnit: finite,
  displayType: z.enum(['USD', 'CNY', 'TOKENS', 'CUSTOM']),
  usdExchangeRate: finite,
  customSymbol: z.string(),
  customRate: finite,
  newApi: z.boolean(),
});

/** `sites`: cached display settings per site root, with when they were read. */
export const siteCacheSchema = z.record(z.string(), z.object({ display: siteDisplaySchema, fetchedAt: finite }));
/** `tokenRouteBudget`: recent token-route request times per origin (Unix ms). */
export const budgetSchema = z.record(z.string(), z.array(finite));
/** A cycle under way, written before its first request so a successor knows what a dead worker was doing. */
export const cycleClaimSchema = z.object({ startedAt: finite, origins: z.array(z.string()) });
/** `cycles`: cycles under way, by id. */
export const cyclesSchema = z.record(z.string(), cycleClaimSchema);

export type ResolvedKind = z.infer<typeof resolvedKind>;
export type KeyKind = z.infer<typeof keyKind>;
export type ErrorKind = z.infer<typeof errorKindSchema>;
export type KeyState = z.infer<typeof keyStateSchema>;
export type CustomMapping = z.infer<typeof storedCustomMappingSchema>;
export type Threshold = z.infer<typeof thresholdSchema>;
export type KeyConfig = z.infer<typeof keyConfigSchema>;
export type Unit = z.infer<typeof unitSchema>;
export type ReadingScope = z.infer<typeof readingSchema>['scope'];
export type BalancePart = z.infer<typeof balancePartSchema>;
export type ReadError = z.infer<typeof readErrorSchema>;
export type TokenReading = z.infer<typeof tokenReadingSchema>;
export type PlanReading = z.infer<typeof planReadingSchema>;
export type QuotaWindow = z.infer<typeof windowSchema>;
export type Reading = z.infer<typeof readingSchema>;
export type Point = z.infer<typeof pointSchema>;
export type Trend = z.infer<typeof trendSchema>;
export type AlertMemory = z.infer<typeof alertMemorySchema>;
export type KeyStatus = z.infer<typeof keyStatusSchema>;
export type LowAmounts = z.infer<typeof lowAmountsSchema>;
export type Settings = z.infer<typeof settingsSchema>;
export type StoredSiteCache = z.infer<typeof siteCacheSchema>;
export type StoredCycleClaim = z.infer<typeof cycleClaimSchema>;
