/**
 * A new-api account's token list (shared/spec/new-api-accounts.md §A): read page by
 * page on every server version, mapped to per-token readings. Never asks for a full
 * key: the list's `key` field (masked or not) is dropped on parsing.
 */
import { z } from 'zod';
import { errorForStatus, gatewayMessage, getJson, type HttpOptions } from '../../http';
import type { ReadError } from '../../model';
import type { TokenReading } from '../../schema';
import { clean } from '../../units';
import { quotaToDisplay, type SiteDisplay } from './units';

/** One token of a watched account (stored shape: lib/schema.ts). */
export type { TokenReading } from '../../schema';

/** How many pages one pass reads at most (§A.9: the GA budget is shared with every `/api` call). */
export const MAX_TOKEN_PAGES = 50;
/** How many tokens are kept per account, and how long a name may be. */
export const MAX_TOKENS = 300;
export const MAX_NAME_LENGTH = 64;
/** The list's path; always the exact form with the trailing slash (§A.1). */
export const TOKEN_LIST_PATH = '/api/token/';

const tokenSchema = z.object({
  id: z.number().int(),
  user_id: z.number().optional().catch(undefined),
  name: z.string().nullish().catch(''),
  status: z.number().catch(1),
  expired_time: z.number().catch(-1),
  remain_quota: z.number().finite().catch(0),
  unlimited_quota: z.boolean().catch(false),
  used_quota: z.number().finite().catch(0),
  model_limits_enabled: z.boolean().optional().catch(undefined),
  model_limits: z.string().nullish().catch(null),
});
export type RawToken = z.infer<typeof tokenSchema>;

const itemsSchema = z.array(z.unknown()).nullable();
const pageSchema = z.object({ items: itemsSchema, total: z.number().optional() });
const oneHubSchema = z.object({ data: itemsSchema, total_count: z.number().optional() });

export type TokenListResult = { ok: true; tokens: RawToken[]; truncated: boolean } | { ok: false; error: ReadError };

type Page = { mode: 'array' | 'object' | 'one-hub'; items: unknown[]; total?: number };

function parsePage(status: number, body: unknown): Page | ReadError {
  if (status !== 200) return errorForStatus(status, gatewayMessage(body));
  const envelope = body as { success?: unknown; data?: unknown } | null;
  if (!envelope || typeof envelope !== 'object') return { kind: 'bad-response', message: 'HTTP 200, not a token list' };
  if (envelope.success === false) {
    // §A.2: an unknown access token is HTTP 200 with success: false.
    const message = gatewayMessage(body) ?? 'success false';
    const kind = /unauthori|access token|无权|not logged/i.test(message) ? 'auth' : 'bad-response';
    return { kind, message: `HTTP 200: ${message}` };
  }
  const data = envelope.data;
  if (data === null || Array.isArray(data)) return { mode: 'array', items: data ?? [] }; // §A.7, §A.8: a plain array (or null)
  const page = pageSchema.safeParse(data);
  if (page.success) return { mode: 'object', items: page.data.items ?? [], total: page.data.total };
  const oneHub = oneHubSchema.safeParse(data); // §A.10 DataResult
  if (oneHub.success) return { mode: 'one-hub', items: oneHub.data.data ?? [], total: oneHub.data.total_count };
  return { kind: 'bad-response', message: 'HTTP 200, not a token list' };
}

/**
 * Reads every token of the account in one pass (§A.9): first
 * `?p=0&size=100&page_size=100`; an object answer pages on with `p=2,3,…` until
 * `total` is reached or a page is empty; an array answer with `p=1,2,…` (0-based)
 * until an empty page, stopping when a page's first id repeats. At most
 * `MAX_TOKEN_PAGES` requests. Tokens of other users (§Z, root) are left out.
 */
export async function readTokenList(
  baseUrl: string,
  headers: Record<string, string>,
  http: HttpOptions,
  userId?: number,
): Promise<TokenListResult> {
  const byId = new Map<number, RawToken>();
  let mode: Page['mode'] | null = null;
  let total: number | undefined;
  let fetched = 0;
  for (let n = 0; n < MAX_TOKEN_PAGES; n++) {
    let query: string;
    if (n === 0) query = 'p=0&size=100&page_size=100';
    else if (mode === 'array') query = `p=${n}&size=100&page_size=100`;
    else if (mode === 'object') query = `p=${n + 1}&size=100&page_size=100`;
    else query = `page=${n + 1}&size=100`; // §A.10: one-hub reads `page`, not `p`
    const result = await getJson(`${baseUrl}${TOKEN_LIST_PATH}?${query}`, headers, http);
    if (!result.ok) return result;
    const page = parsePage(result.response.status, result.response.body);
    if ('kind' in page) return { ok: false, error: page };
    if (mode !== null && page.mode !== mode) return { ok: false, error: { kind: 'bad-response', message: 'token list changed shape' } };
    mode = page.mode;
    total = page.total ?? total;
    if (page.items.length === 0) return { ok: true, tokens: [...byId.values()], truncated: false };
    const tokens: RawToken[] = [];
    for (const item of page.items) {
      const parsed = tokenSchema.safeParse(item);
      if (!parsed.success) return { ok: false, error: { kind: 'bad-response', message: 'HTTP 200, unreadable token in the list' } };
      tokens.push(parsed.data);
    }
    // A server that ignores the page number sends the same page again.
    if (byId.has((tokens[0] as RawToken).id)) return { ok: true, tokens: [...byId.values()], truncated: false };
    fetched += tokens.length;
    for (const token of tokens)
      if (userId === undefined || token.user_id === undefined || token.user_id === userId) byId.set(token.id, token);
    if (mode !== 'array' && total !== undefined && fetched >= total) return { ok: true, tokens: [...byId.values()], truncated: false };
  }
  return { ok: true, tokens: [...byId.values()], truncated: true };
}

/** The token fields mapped to a reading, by the relay's own rules (§A.4 "Derived state"). */
export function tokenReading(token: RawToken, site: SiteDisplay): TokenReading {
  const unlimited = token.unlimited_quota;
  const remain = clean(quotaToDisplay(Math.max(0, token.remain_quota), site));
  const used = Math.max(0, clean(quotaToDisplay(token.used_quota, site)));
  const limits = token.model_limits_enabled && token.model_limits ? token.model_limits.split(',').filter(Boolean).slice(0, 20) : [];
  return {
    id: token.id,
    name: (token.name ?? '').slice(0, MAX_NAME_LENGTH),
    status: token.status,
    remaining: unlimited ? null : remain,
    granted: unlimited ? null : Math.max(0, clean(quotaToDisplay(token.remain_quota + token.used_quota, site))),
    used,
    unlimited,
    // -1 = never; any other value (0 included) is a moment, expired once past.
    expiresAt: token.expired_time === -1 ? null : token.expired_time,
    ...(limits.length ? { modelLimits: limits.map((m) => m.slice(0, MAX_NAME_LENGTH)) } : {}),
  };
}

/** Every token as a reading, newest first, at most `MAX_TOKENS`. */
export function tokenReadings(tokens: readonly RawToken[], site: SiteDisplay): TokenReading[] {
  return [...tokens]
    .sort((a, b) => b.id - a.id)
    .slice(0, MAX_TOKENS)
    .map((t) => tokenReading(t, site));
}
