/**
 * The account side of the fake gateway (shared/spec/new-api-accounts.md): the token
 * list in every server version's envelope and paging (§A.3, §A.7, §A.8, §A.10), the
 * key-reveal routes (§A.6, so a test can see they are never called) and subscriptions
 * (§B). Registered from gateway.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Which server's token list to imitate. */
export type TokenListVersion =
  /** ≥ 2026-04-06: §A.3/§A.4 paging, masked keys, both reveal routes. */
  | 'new-api'
  /** 2025-07-14 … 2026-03-07: the same paging, full keys, no reveal routes. */
  | 'new-api-2025-07'
  /** 2025-06-12 … 2025-07-13: 1-based `p`, `size` only, alphabetical map (§A.7). */
  | 'new-api-2025-06'
  /** 2023-11 … 2025-06-11: 0-based `p`, `size` only, plain array (§A.7). */
  | 'new-api-legacy'
  /** one-api: 0-based `p`, fixed 10 per page, plain array (§A.8). */
  | 'one-api'
  /** one-hub: `page`/`size`, DataResult (§A.10). */
  | 'one-hub';

export interface FakeAccountToken {
  id: number;
  userId: number;
  /** Stored without `sk-`. */
  key: string;
  name: string;
  /** 1 enabled, 2 disabled, 3 expired, 4 exhausted. */
  status?: number;
  remain: number;
  used: number;
  unlimited?: boolean;
  /** Unix seconds, -1 = never (default). */
  expiresAt?: number;
  modelLimits?: string;
}

export interface FakeSubscription {
  id: number;
  userId: number;
  planId: number;
  total: number;
  used: number;
  startTime: number;
  endTime: number;
  status?: 'active' | 'expired' | 'cancelled';
  nextReset?: number;
  lastReset?: number;
}

export interface AccountOptions {
  listVersion?: TokenListVersion;
  tokens: FakeAccountToken[];
  /** Absent: the server predates subscriptions (404 `Invalid URL`, §B.1). */
  subscriptions?: FakeSubscription[];
  plans?: { id: number; title: string; period?: string }[];
  /**
   * A hostile gateway's refusals, for the redaction tests: the token list or the
   * subscription list answers with this status and `{ message, success: false }`.
   * In these messages, token names, model limits and plan titles, `{auth}` stands for
   * the access token the request carried, so the gateway echoes the account's credential.
   */
  refuseTokenList?: { status: number; message: string };
  refuseSubscriptions?: { status: number; message: string };
}

interface Context {
  options: AccountOptions;
  users: { id: number; accessToken: string }[];
  /** one-api and one-hub send no `New-Api-User`. */
  legacy: boolean;
  nowS: () => number;
  json: (res: ServerResponse, status: number, body: unknown) => void;
}

const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
const mask = (key: string) => (key.length > 8 ? `${key.slice(0, 4)}**********${key.slice(-4)}` : '*'.repeat(key.length));
/** `{auth}` replaced by the access token the request carried (a hostile echo, see AccountOptions). */
const echo = (text: string, accessToken: string) => text.split('{auth}').join(accessToken);
const int = (value: string | null) => {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? n : 0;
};

function tokenJson(t: FakeAccountToken, version: TokenListVersion, accessToken: string) {
  const base: Record<string, unknown> = {
    id: t.id,
    user_id: t.userId,
    key: version === 'new-api' ? mask(t.key) : t.key,
    status: t.status ?? 1,
    name: echo(t.name, accessToken),
    created_time: 1767139200,
    accessed_time: 1767225012,
    expired_time: t.expiresAt ?? -1,
    remain_quota: t.remain,
    unlimited_quota: !!t.unlimited,
  };
  const models = t.modelLimits === undefined ? undefined : echo(t.modelLimits, accessToken);
  if (version === 'one-api' || version === 'one-hub') return { ...base, used_quota: t.used, models: models ?? null, subnet: '' };
  return {
    ...base,
    model_limits_enabled: !!models,
    model_limits: models ?? '',
    allow_ips: '',
    used_quota: t.used,
    group: '',
    ...(version === 'new-api' ? { cross_group_retry: false } : {}),
    DeletedAt: null,
  };
}

/** UserAuth (new-api.md §4.3, §A.2); answers the refusal itself and returns null. */
function authUser(req: IncomingMessage, res: ServerResponse, ctx: Context) {
  const auth = (req.headers.authorization ?? '').replace(/^Bearer /, '');
  if (!auth) {
    ctx.json(res, 401, { message: 'Unauthorized, not logged in and no access token provided', success: false });
    return null;
  }
  const user = ctx.users.find((u) => u.accessToken === auth);
  if (!user) {
    ctx.json(res, 200, { message: 'Unauthorized, invalid access token', success: false });
    return null;
  }
  if (!ctx.legacy && String(req.headers['new-api-user'] ?? '') !== String(user.id)) {
    ctx.json(res, 401, { message: 'Unauthorized, New-Api-User does not match logged in user', success: false });
    return null;
  }
  return user;
}

function tokenList(res: ServerResponse, query: URLSearchParams, mine: FakeAccountToken[], ctx: Context, accessToken: string) {
  const version = ctx.options.listVersion ?? 'new-api';
  const refusal = ctx.options.refuseTokenList;
  if (refusal) return ctx.json(res, refusal.status, { message: echo(refusal.message, accessToken), success: false });
  const list = [...mine].sort((a, b) => b.id - a.id).map((t) => tokenJson(t, version, accessToken));
  const ok = (data: unknown) => ctx.json(res, 200, { data, message: '', success: true });
  if (version === 'new-api' || version === 'new-api-2025-07') {
    // §A.3: p 1-based (0 → 1); page_size, then ps, then size; default 10; > 100 → 100.
    const p = Math.max(1, int(query.get('p')) || 1);
    let size = int(query.get('page_size')) || int(query.get('ps')) || int(query.get('size')) || 10;
    if (size > 100) size = 100;
    return ok({ page: p, page_size: size, total: list.length, items: list.slice((p - 1) * size, p * size) });
  }
  if (version === 'new-api-2025-06') {
    const p = Math.max(1, int(query.get('p')));
    let size = int(query.get('size'));
    if (size <= 0) size = 10;
    if (size > 100) size = 100;
    return ok(sorted({ items: list.slice((p - 1) * size, p * size), page: p, page_size: size, total: list.length }));
  }
  if (version === 'new-api-legacy' || version === 'one-api') {
    const p = Math.max(0, int(query.get('p')));
    let size = version === 'one-api' ? 10 : int(query.get('size'));
    if (size <= 0) size = 10;
    if (size > 100) size = 100;
    return ok(list.slice(p * size, (p + 1) * size));
  }
  // one-hub: ignores `p`; `page` 1-based, `size` (> 100 refused).
  const page = Math.max(1, int(query.get('page')) || 1);
  const size = int(query.get('size')) || 10;
  if (size > 100) return ctx.json(res, 200, { message: 'size too large', success: false });
  return ok({ data: list.slice((page - 1) * size, page * size), page, size, total_count: list.length });
}

/**
 * Answers the account routes it knows; false lets the gateway go on (a missing
 * route then gets the gateway's 404 `Invalid URL`).
 */
export function handleAccountRoute(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, ctx: Context): boolean {
  const version = ctx.options.listVersion ?? 'new-api';
  if (path === '/api/token' && req.method === 'GET') {
    res.writeHead(301, { Location: `/api/token/?${query}` }); // gin RedirectTrailingSlash (§A.1)
    res.end();
    return true;
  }
  if (path === '/api/token/' && req.method === 'GET') {
    const user = authUser(req, res, ctx);
    if (user)
      tokenList(
        res,
        query,
        ctx.options.tokens.filter((t) => t.userId === user.id),
        ctx,
        user.accessToken,
      );
    return true;
  }
  const reveal = /^\/api\/token\/(\d+|batch)\/keys?$/.exec(path);
  if (reveal && req.method === 'POST' && version === 'new-api') {
    const user = authUser(req, res, ctx);
    if (!user) return true;
    const mine = ctx.options.tokens.filter((t) => t.userId === user.id);
    if (reveal[1] === 'batch') {
      ctx.json(res, 200, { data: { keys: Object.fromEntries(mine.map((t) => [String(t.id), t.key])) }, message: '', success: true });
    } else {
      const token = mine.find((t) => t.id === Number(reveal[1]));
      ctx.json(
        res,
        200,
        token ? { data: { key: token.key }, message: '', success: true } : { message: 'record not found', success: false },
      );
    }
    return true;
  }
  const subscriptions = ctx.options.subscriptions;
  if (subscriptions && !ctx.legacy && path === '/api/subscription/self' && req.method === 'GET') {
    const user = authUser(req, res, ctx);
    if (!user) return true;
    const refusal = ctx.options.refuseSubscriptions;
    if (refusal) {
      ctx.json(res, refusal.status, { message: echo(refusal.message, user.accessToken), success: false });
      return true;
    }
    const row = (s: FakeSubscription) => ({
      subscription: {
        id: s.id,
        user_id: s.userId,
        plan_id: s.planId,
        amount_total: s.total,
        amount_used: s.used,
        start_time: s.startTime,
        end_time: s.endTime,
        status: s.status ?? 'active',
        source: 'order',
        last_reset_time: s.lastReset ?? 0,
        next_reset_time: s.nextReset ?? 0,
        upgrade_group: '',
        prev_user_group: '',
        created_at: s.startTime,
        updated_at: s.startTime,
      },
    });
    const mine = subscriptions.filter((s) => s.userId === user.id).sort((a, b) => b.endTime - a.endTime || b.id - a.id);
    const active = mine.filter((s) => (s.status ?? 'active') === 'active' && s.endTime > ctx.nowS());
    ctx.json(res, 200, {
      data: { all_subscriptions: mine.map(row), billing_preference: 'subscription_first', subscriptions: active.map(row) },
      message: '',
      success: true,
    });
    return true;
  }
  if (subscriptions && !ctx.legacy && path === '/api/subscription/plans' && req.method === 'GET') {
    const user = authUser(req, res, ctx);
    if (!user) return true;
    const plans = (ctx.options.plans ?? []).map((p) => ({
      plan: { id: p.id, title: echo(p.title, user.accessToken), subtitle: '', quota_reset_period: p.period ?? 'daily', enabled: true },
    }));
    ctx.json(res, 200, { data: plans, message: '', success: true });
    return true;
  }
  return false;
}
