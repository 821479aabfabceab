/**
 * What a figure may be to be taken at face value: one place for the sanity gate on
 * readings (lib/providers/read.ts) and for the words that say an amount of time
 * (lib/format.ts, lib/expiry.ts). Beyond these a gateway's number is a broken or hostile
 * answer: `1.8e308` is finite to JSON and zod, but no money, date or span of time.
 *
 * - an amount (remaining, granted, used, parts, balances, a plan's allowance, tokens used): |v| ≤ 1e15;
 * - a moment (an expiry, a plan's reset or end), Unix seconds: 0 ≤ s < 1e11 (the year 5138);
 * - a span of time put into words ("in 3 days", "read 5 minutes ago"): |ms| < 1e14 (about 3,000 years).
 */

/** Largest amount taken at face value; anything beyond is a broken answer, not money. */
export const MAX_AMOUNT = 1e15;
/** Unix seconds: the first moment that is no longer a date (the year 5138). */
export const MAX_MOMENT_S = 1e11;
/** The longest span of time said in words, in milliseconds. */
export const MAX_SPAN_MS = MAX_MOMENT_S * 1000;

/** An amount of money or tokens that can be taken at face value. */
export const isAmount = (v: number) => Number.isFinite(v) && Math.abs(v) <= MAX_AMOUNT;
/** A moment, Unix seconds, that can be taken at face value (0 included: new-api's "stored 0" is a moment long past). */
export const isMoment = (s: number) => Number.isFinite(s) && s >= 0 && s < MAX_MOMENT_S;
/** A span of milliseconds that can be said in words. */
export const isSpan = (ms: number) => Number.isFinite(ms) && Math.abs(ms) < MAX_SPAN_MS;
