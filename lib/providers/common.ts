import { z } from 'zod';
import { errorForStatus, gatewayMessage, getJson } from '../http';
import type { KeyConfig, ReadError, Unit } from '../model';
import type { AdapterContext } from './adapter';
import { bareSecret } from './secret';

/**
 * An amount as providers send it: a number, or a decimal string (DeepSeek and
 * SiliconFlow send strings, shared/spec/providers.md §3, §5). Anything else fails.
 */
export const amount = z.union([
  z.number().finite(),
  z
    .string()
    .trim()
    .regex(/^[-+]?\d+(\.\d+)?$/)
    .transform(Number),
]);

/** The unit a key's own `currency` names (ISO 4217 or `tokens`), if it names one. */
export function keyUnit(key: KeyConfig): Unit | null {
  const code = key.currency?.trim();
  if (!code) return null;
  if (code.toLowerCase() === 'tokens') return { code: 'tokens' };
  return /^[A-Za-z]{3}$/.test(code) ? { code: code.toUpperCase() } : null;
}

/**
 * The unit of a provider whose answer does not state it (shared/spec/automation.md §2,
 * "Unit of a provider reading"): the key's `currency`; else, when `intlHosts` is set,
 * USD for hosts ending in `.ai` or `.com`; else CNY.
 */
export function hostUnit(key: KeyConfig, intlHosts: boolean): Unit {
  const own = keyUnit(key);
  if (own) return own;
  if (intlHosts) {
    try {
      if (/\.(ai|com)$/i.test(new URL(key.baseUrl).hostname)) return { code: 'USD' };
    } catch {
      // Not a URL: the request fails anyway; CNY is as good as any unit here.
    }
  }
  return { code: 'CNY' };
}

/** The Authorization header every provider of shared/spec/providers.md §2–6 takes. */
export const bearer = (key: KeyConfig) => ({ Authorization: `Bearer ${bareSecret(key.secret)}` });

/** What a refused or odd answer means: the status's generic meaning with the provider's own words. */
export function statusError(status: number, body: unknown): ReadError {
  // A bare JSON string body (SiliconFlow's 401, providers.md §5) is the message itself.
  const message = typeof body === 'string' ? body.slice(0, 2000) : gatewayMessage(body);
  return errorForStatus(status, message);
}

/**
 * GETs a provider's JSON answer and returns its body when the status is 200,
 * or the typed error of whatever else happened.
 */
export async function providerJson(
  url: string,
  headers: Record<string, string>,
  context: AdapterContext,
): Promise<{ ok: true; body: unknown } | { ok: false; error: ReadError }> {
  const result = await getJson(url, headers, context);
  if (!result.ok) return result;
  const { status, body } = result.response;
  if (status !== 200) return { ok: false, error: statusError(status, body) };
  return { ok: true, body };
}

/** Unix seconds from an ISO date, Unix seconds or Unix milliseconds; null for never or unreadable. */
export function toUnixSeconds(value: unknown): number | null {
  if (value === null || value === undefined || value === 0 || value === -1) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) return null;
    return Math.floor(value > 1e11 ? value / 1000 : value);
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const t = value.trim();
    if (/^\d+(\.\d+)?$/.test(t)) return toUnixSeconds(Number(t));
    const ms = Date.parse(t);
    return Number.isNaN(ms) || ms <= 0 ? null : Math.floor(ms / 1000);
  }
  return null;
}

/**
 * A public route's JSON answer, asked with no secret and no cookies (relays.md §7.1 rule 3):
 * the body and headers of a 200, else null (any failure only means "not this kind").
 */
export async function askPublicly(url: string, context: AdapterContext): Promise<{ body: unknown; headers: Headers } | null> {
  const result = await getJson(url, {}, context);
  return result.ok && result.response.status === 200 ? { body: result.response.body, headers: result.response.headers } : null;
}
