/**
 * A local imitation of new-api, one-api, one-hub and r9s.ai, written from
 * shared/spec/new-api.md and shared/spec/providers.md. Listens on 127.0.0.1 only.
 * Used by the unit tests (through real HTTP), the end-to-end tests and the benchmark.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AccountOptions, handleAccountRoute } from './accounts.ts';
import { CODING_PLAN_FLAVORS, type CodingPlanFlavor, handleCodingPlan } from './coding-plans.ts';
import { type FakeProviderOptions, handleProvider, PROVIDER_FLAVORS, type ProviderFlavor } from './providers.ts';

export type Flavor = 'new-api' | 'new-api-strict' | 'one-api' | 'one-hub' | 'r9s' | 'proxy-502' | 'spa' | ProviderFlavor | CodingPlanFlavor;

export interface FakeToken {
  /** Stored without `sk-`, as new-api does (§0). */
  key: string;
  name?: string;
  remain: number;
  used: number;
  unlimited?: boolean;
  /** Unix seconds, -1 = never. */
  expiresAt?: number;
  /** 1 enabled, 2 disabled (§0). */
  status?: 1 | 2;
  modelLimits?: string[];
  ownerBanned?: boolean;
  /** Owner's wallet, for DisplayTokenStatEnabled=false and one-hub unlimited keys. */
  owner?: { quota: number; used: number };
}

export interface FakeUser {
  id: number;
  accessToken: string;
  quota: number;
  usedQuota: number;
  username?: string;
}

export interface FakeR9sAccount {
  key: string;
  balance: number;
  coupon?: number;
  currency?: string;
  records?: { timestamp: number; tokens: number; model: string }[];
  /** Use the paginated `list` shape instead of `records`. */
  paginated?: boolean;
  metaCode?: 0 | 200;
}

export interface GatewayOptions {
  flavor: Flavor;
  /** Path prefix the site is served under, e.g. `/relay`. */
  prefix?: string;
  tokens?: FakeToken[];
  users?: FakeUser[];
  r9s?: FakeR9sAccount[];
  /** Provider and custom-endpoint flavours (./providers.ts). */
  provider?: FakeProviderOptions;
  display?: {
    type?: 'USD' | 'CNY' | 'TOKENS' | 'CUSTOM';
    quotaPerUnit?: number;
    rate?: number;
    customSymbol?: string;
    customRate?: number;
  };
  /** one-api's legacy switch; false means raw quota everywhere. */
  displayInCurrency?: boolean;
  /** new-api's DisplayTokenStatEnabled (§2.2); default true. */
  displayTokenStat?: boolean;
  /** Enforce new-api's default rate limits (§6.1): GA 180/180 s, CT 20/1200 s. */
  rateLimits?: boolean | { ga: [number, number]; ct: [number, number] };
  /**
   * The gateway's clock (ms): expiry, rate limits, usage windows and plans are judged
   * by it. Required, so no test depends on today's date (tests pass their fixed NOW;
   * the demo and the CLI pass Date.now).
   */
  now: () => number;
  /** Answer the token route with a 301 to another origin (FRONTEND_BASE_URL, §1.5). */
  tokenRouteRedirect?: string;
  /** Delay before each answer, ms. */
  latencyMs?: number;
  /** Token lists and subscriptions of the users (new-api-accounts.md), see accounts.ts. */
  accounts?: AccountOptions;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  status: number;
  /** When it was answered, by the gateway's clock (ms). */
  at: number;
}

const QUOTA_PER_UNIT = 500_000;

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'X-Oneapi-Request-Id': 'req-test', ...headers });
  res.end(text);
};
const html = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
  res.end(body);
};
const empty = (res: ServerResponse, status: number) => {
  res.writeHead(status);
  res.end();
};

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
const SPA =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>New API</title></head><body><div id="root"></div></body></html>';

/** Alphabetical keys, as Go maps are sent (§9.13). */
const sorted = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

/** A sliding-log limiter like new-api's: refused requests do not count. */
class SlidingLog {
  private log: number[] = [];
  private readonly limit: number;
  private readonly windowMs: number;
  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }
  take(now: number): boolean {
    this.log = this.log.filter((t) => t > now - this.windowMs);
    if (this.log.length >= this.limit) return false;
    this.log.push(now);
    return true;
  }
}

export interface FakeGateway {
  url: string;
  origin: string;
  requests: RecordedRequest[];
  options: GatewayOptions;
  /** Counts of 429 answers. */
  refused: number;
  /** 429 answers to the user's own logins. */
  loginsRefused: number;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions, port = 0): Promise<FakeGateway> {
  const prefix = options.prefix ?? '';
  const now = options.now;
  const limits: { ga: [number, number]; ct: [number, number] } | null =
    options.rateLimits === true ? { ga: [180, 180_000], ct: [20, 1_200_000] } : options.rateLimits || null;
  const ga = limits ? new SlidingLog(limits.ga[0], limits.ga[1]) : null;
  const ct = limits ? new SlidingLog(limits.ct[0], limits.ct[1]) : null;
  const requests: RecordedRequest[] = [];
  const state = { refused: 0, loginsRefused: 0 };

  const display = {
    type: options.display?.type ?? 'USD',
    quotaPerUnit: options.display?.quotaPerUnit ?? QUOTA_PER_UNIT,
    rate: options.display?.rate ?? 7.3,
    customSymbol: options.display?.customSymbol ?? '¤',
    customRate: options.display?.customRate ?? 1,
  };
  const legacy = options.flavor === 'one-api' || options.flavor === 'one-hub';

  /** Billing conversion (§2.2): the `*_usd` fields follow the display type; CUSTOM is USD. */
  const billingAmount = (quota: number) => {
    if (legacy) return options.displayInCurrency === false ? quota : quota / display.quotaPerUnit;
    if (display.type === 'TOKENS') return quota;
    if (display.type === 'CNY') return (quota / display.quotaPerUnit) * display.rate;
    return quota / display.quotaPerUnit;
  };

  const findToken = (raw: string | undefined) => options.tokens?.find((t) => t.key === raw);
  const nowS = () => Math.floor(now() / 1000);
  const usable = (t: FakeToken) =>
    (t.status ?? 1) === 1 && !(t.expiresAt !== undefined && t.expiresAt !== -1 && t.expiresAt < nowS()) && (t.unlimited || t.remain > 0);

  const openAiError = (res: ServerResponse, status: number, message: string, code = '') => {
    const type = options.flavor === 'one-hub' ? 'one_hub_error' : legacy ? 'one_api_error' : 'new_api_error';
    json(res, status, { error: sorted({ code, message: `${message} (request id: req-test)`, type }) });
  };

  /** Strict relay auth (§5): Bearer cut, sk- cut, split on '-'. */
  const strictAuth = (req: IncomingMessage, res: ServerResponse): FakeToken | null => {
    let value = req.headers.authorization ?? '';
    // `bearer ` (lower case) is cut by new-api since 2025-12-24, never by one-api (§5, §7).
    if (value.startsWith('Bearer ') || (!legacy && value.startsWith('bearer '))) value = value.slice(7);
    value = value.replace(/^sk-/, '');
    const [key] = value.split(options.flavor === 'one-hub' ? '#' : '-');
    if (options.flavor === 'one-hub' && (key ?? '').length < 48) {
      openAiError(res, 401, 'Invalid token');
      return null;
    }
    const token = findToken(key);
    if (!token || !usable(token)) {
      openAiError(res, 401, 'Invalid token');
      return null;
    }
    if (token.ownerBanned) {
      openAiError(res, 403, 'User has been banned');
      return null;
    }
    return token;
  };

  const handleNewApiTokenRoute = (req: IncomingMessage, res: ServerResponse) => {
    // Layer 1 (§1.2): TokenAuthReadOnly.
    const header = req.headers.authorization ?? '';
    if (!header) return json(res, 401, { message: 'Token not provided', success: false });
    let value = header.startsWith('Bearer ') || header.startsWith('bearer ') ? header.slice(7).trim() : header;
    value = value.replace(/^sk-/, '');
    const layer1 = findToken(value.split('-')[0]);
    if (!layer1) return json(res, 401, { message: 'Invalid token', success: false });
    if (layer1.ownerBanned) return json(res, 403, { message: 'User has been banned', success: false });
    // Layer 2: exactly "bearer <key>", no suffix cut.
    const parts = header.split(' ');
    if (parts.length !== 2 || parts[0]?.toLowerCase() !== 'bearer')
      return json(res, 401, { message: 'Invalid Bearer token', success: false });
    const token = findToken((parts[1] ?? '').replace(/^sk-/, ''));
    if (!token) return json(res, 200, { message: 'Failed to get token info, please try again later', success: false });
    const expires = token.expiresAt === undefined || token.expiresAt === -1 ? 0 : token.expiresAt;
    json(res, 200, {
      code: true,
      data: sorted({
        expires_at: expires,
        model_limits: Object.fromEntries((token.modelLimits ?? []).map((m) => [m, true])),
        model_limits_enabled: (token.modelLimits ?? []).length > 0,
        name: token.name ?? '',
        object: 'token_usage',
        total_available: token.remain,
        total_granted: token.remain + token.used,
        total_used: token.used,
        unlimited_quota: !!token.unlimited,
      }),
      message: 'ok',
    });
  };

  const handleBilling = (req: IncomingMessage, res: ServerResponse, which: 'subscription' | 'usage') => {
    const token = strictAuth(req, res);
    if (!token) return;
    const walletMode = options.displayTokenStat === false || (options.flavor === 'one-hub' && token.unlimited);
    const owner = token.owner ?? { quota: 0, used: 0 };
    if (which === 'subscription') {
      let limit: number;
      if (walletMode) limit = billingAmount(options.flavor === 'one-api' ? owner.quota : owner.quota + owner.used);
      else if (token.unlimited) limit = 100_000_000;
      else limit = billingAmount(token.remain + token.used);
      const expires = walletMode || token.expiresAt === undefined || token.expiresAt === -1 ? 0 : token.expiresAt;
      return json(res, 200, {
        object: 'billing_subscription',
        has_payment_method: true,
        soft_limit_usd: limit,
        hard_limit_usd: limit,
        system_hard_limit_usd: limit,
        access_until: expires,
      });
    }
    return json(res, 200, { object: 'list', total_usage: billingAmount(walletMode ? owner.used : token.used) * 100 });
  };

  const handleUserSelf = (req: IncomingMessage, res: ServerResponse) => {
    const auth = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!auth) return json(res, 401, { message: 'Unauthorized, not logged in and no access token provided', success: false });
    const user = options.users?.find((u) => u.accessToken === auth);
    if (!user) return json(res, 200, { message: 'Unauthorized, invalid access token', success: false });
    if (!legacy) {
      const id = req.headers['new-api-user'];
      if (!id) return json(res, 401, { message: 'Unauthorized, New-Api-User header not provided', success: false });
      if (!/^\d+$/.test(String(id))) return json(res, 401, { message: 'Unauthorized, New-Api-User header format error', success: false });
      if (Number(id) !== user.id)
        return json(res, 401, { message: 'Unauthorized, New-Api-User does not match logged in user', success: false });
    }
    json(res, 200, {
      data: {
        id: user.id,
        username: user.username ?? 'alice',
        display_name: user.username ?? 'alice',
        role: 1,
        status: 1,
        group: 'default',
        quota: user.quota,
        used_quota: user.usedQuota,
        request_count: 12,
        setting: '{}',
      },
      message: '',
      success: true,
    });
  };

  const handleStatus = (res: ServerResponse) => {
    const data: Record<string, unknown> = { quota_per_unit: display.quotaPerUnit, system_name: 'Fake API', version: 'v0.0.0' };
    if (legacy) data.display_in_currency = options.displayInCurrency !== false;
    else {
      data.quota_display_type = display.type;
      data.display_in_currency = display.type !== 'TOKENS';
      data.usd_exchange_rate = display.rate;
      data.custom_currency_symbol = display.customSymbol;
      data.custom_currency_exchange_rate = display.customRate;
    }
    json(res, 200, { data: sorted(data), message: '', success: true }, legacy ? {} : { 'X-New-Api-Version': 'v0.0.0' });
  };

  const handleR9s = (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => {
    const auth = req.headers.authorization ?? '';
    const key = auth.replace(/^Bearer /, '');
    const fail = (code: number, message: string) => json(res, code, { meta: { code, message, request_id: 'r-test' }, data: null });
    if (!/^sk_mg_[0-9a-f]+$/.test(key)) return fail(401, 'Invalid API key format');
    const account = options.r9s?.find((a) => a.key === key);
    if (!account) return fail(401, 'API key not found');
    const meta = { code: account.metaCode ?? 0, message: '', request_id: 'r-test' };
    if (path === '/api/v1/portal/management/balance') {
      return json(res, 200, {
        meta,
        data: {
          balance: account.balance,
          balance_str: account.balance.toFixed(6),
          coupon_balance: account.coupon ?? 0,
          currency_code: account.currency ?? 'USD',
          credit_limit: 0,
          total_coupon_amount: 0,
        },
      });
    }
    if (path === '/api/v1/portal/management/usage') {
      const start = Number(query.get('start_time'));
      const end = Number(query.get('end_time'));
      if (!Number.isInteger(start) || !Number.isInteger(end) || start > end) return fail(400, 'invalid time range');
      const records = (account.records ?? []).filter((r) => r.timestamp >= start && r.timestamp <= end);
      const total = records.reduce((s, r) => s + r.tokens, 0);
      const data = account.paginated
        ? {
            list: records.map((r, i) => ({
              id: i + 1,
              request_time: r.timestamp,
              model: r.model,
              input_tokens: r.tokens,
              output_tokens: 0,
              amount: 0,
            })),
            total: records.length,
          }
        : { records, total_tokens: total };
      return json(res, 200, { meta, data });
    }
    return fail(404, 'not found');
  };

  const route = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (options.flavor === 'proxy-502') return html(res, 502, NGINX_502);
    if (options.flavor === 'spa') return html(res, 200, SPA);
    if (!url.pathname.startsWith(prefix)) return html(res, 404, 'not here');
    const path = url.pathname.slice(prefix.length) || '/';

    if (options.flavor === 'r9s') return handleR9s(req, res, path, url.searchParams);
    if ((PROVIDER_FLAVORS as readonly string[]).includes(options.flavor))
      return handleProvider(options.flavor as ProviderFlavor, options.provider, req, res, path);
    if ((CODING_PLAN_FLAVORS as readonly string[]).includes(options.flavor))
      return handleCodingPlan(options.flavor as CodingPlanFlavor, options.provider, req, res, path);

    const isApi =
      (path.startsWith('/api/') && path !== '/api/user/login') ||
      path.startsWith('/dashboard/billing/') ||
      path.startsWith('/v1/dashboard/billing/');
    if (isApi && ga && !ga.take(now())) {
      state.refused++;
      return empty(res, 429);
    }
    const hasTokenRoute = options.flavor === 'new-api' || options.flavor === 'new-api-strict';
    if (path === '/api/usage/token' && hasTokenRoute) {
      // gin's trailing-slash redirect (§1.1): no handlers run.
      return html(res, 301, `<a href="${prefix}/api/usage/token/">Moved Permanently</a>.`, {
        Location: `${prefix}/api/usage/token/${url.search}`,
      });
    }
    if (path === '/api/usage/token/' && hasTokenRoute) {
      if (options.tokenRouteRedirect) return html(res, 301, 'moved', { Location: `${options.tokenRouteRedirect}${prefix}${path}` });
      if (ct && !ct.take(now())) {
        state.refused++;
        return empty(res, 429);
      }
      if (options.flavor === 'new-api-strict') {
        // 2025-08…2026-02 (§1.5): strict auth with Chinese reasons.
        const value = (req.headers.authorization ?? '').replace(/^Bearer /, '').replace(/^sk-/, '');
        const token = findToken(value);
        if (token && !usable(token)) return openAiError(res, 401, token.remain <= 0 ? '该令牌额度已用尽' : '该令牌已过期');
      }
      return handleNewApiTokenRoute(req, res);
    }
    if (path === '/api/status') return handleStatus(res);
    // The user's own logins share the CT bucket with the token route (§6.1).
    if (path === '/api/user/login') {
      if (ct && !ct.take(now())) {
        state.refused++;
        state.loginsRefused++;
        return empty(res, 429);
      }
      return json(res, 200, { message: '', success: true });
    }
    // §4.2: strict relay auth, no GA/CT limit.
    if (path === '/v1/models') {
      const token = strictAuth(req, res);
      if (!token) return;
      return json(res, 200, {
        data: [{ id: 'gpt-4o-mini', object: 'model', created: 1626777600, owned_by: 'custom' }],
        object: 'list',
        success: true,
      });
    }
    if (path === '/api/user/self') return handleUserSelf(req, res);
    const accountCtx = { options: options.accounts as AccountOptions, users: options.users ?? [], legacy, nowS, json };
    if (options.accounts && handleAccountRoute(req, res, path, url.searchParams, accountCtx)) return;
    const billing = /^(\/v1)?\/dashboard\/billing\/(subscription|usage)$/.exec(path);
    if (billing) return handleBilling(req, res, billing[2] as 'subscription' | 'usage');
    if (path.startsWith('/api/') || path.startsWith('/v1/')) {
      return json(res, 404, {
        error: { message: `Invalid URL (${req.method} ${path})`, type: 'invalid_request_error', param: '', code: '' },
      });
    }
    return html(res, 200, SPA);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const answer = () => {
      const writeHead = res.writeHead.bind(res);
      res.writeHead = ((status: number, ...rest: unknown[]) => {
        requests.push({ method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers, status, at: now() });
        return (writeHead as (...a: unknown[]) => ServerResponse)(status, ...rest);
      }) as typeof res.writeHead;
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Headers': '*',
          'Access-Control-Allow-Methods': 'GET,POST,PUT,DELETE,OPTIONS',
        });
        return res.end();
      }
      route(req, res, url);
    };
    if (options.latencyMs) setTimeout(answer, options.latencyMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${actual}`;
  return {
    url: `${origin}${prefix}`,
    origin,
    requests,
    options,
    get refused() {
      return state.refused;
    },
    get loginsRefused() {
      return state.loginsRefused;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
