/**
 * new-api subscription plans (shared/spec/new-api-accounts.md §B): each active plan's
 * allowance in its current window, when the window resets and when the plan ends.
 */
import { z } from 'zod';
import { errorForStatus, gatewayMessage, getJson, type HttpOptions } from '../../http';
import type { ReadError } from '../../model';
import type { PlanReading } from '../../schema';
import { clean } from '../../units';
import { quotaToDisplay, type SiteDisplay } from './units';

/** One active plan (stored shape: lib/schema.ts). */
export type { PlanReading } from '../../schema';

export const MAX_PLANS = 20;
const MAX_TITLE = 64;
export const SUBSCRIPTION_PATH = '/api/subscription/self';
export const PLANS_PATH = '/api/subscription/plans';

const rowSchema = z.object({
  subscription: z.object({
    id: z.number().int(),
    plan_id: z.number().int().catch(0),
    amount_total: z.number().finite().catch(0),
    amount_used: z.number().finite().catch(0),
    end_time: z.number(),
    status: z.string().catch('active'),
    next_reset_time: z.number().catch(0),
  }),
});
const selfSchema = z.object({
  success: z.literal(true),
  data: z.object({ subscriptions: z.array(z.unknown()).nullable().catch([]) }),
});
const plansSchema = z.object({
  success: z.literal(true),
  data: z.array(z.object({ plan: z.object({ id: z.number(), title: z.string().catch('') }) }).catch({ plan: { id: -1, title: '' } })),
});

type Row = z.infer<typeof rowSchema>['subscription'];

/** A subscription row as a plan reading; null when it is not active now (§B.2: `end_time <= now` is expired). */
export function planReading(row: Row, title: string | null, site: SiteDisplay, nowS: number): PlanReading | null {
  if (row.status !== 'active' || row.end_time <= nowS) return null;
  const unlimited = row.amount_total === 0; // §B.2: 0 = unlimited
  const resetsAt = row.next_reset_time > 0 ? row.next_reset_time : null;
  // §B.3: resets are lazy; once the reset time has passed the window starts afresh.
  const usedQuota = resetsAt !== null && nowS >= resetsAt ? 0 : Math.max(0, row.amount_used);
  const total = clean(quotaToDisplay(row.amount_total, site));
  const used = clean(quotaToDisplay(usedQuota, site));
  return {
    id: row.id,
    planId: row.plan_id,
    title: title ? title.slice(0, MAX_TITLE) : null,
    remaining: unlimited ? null : Math.max(0, clean(total - used)),
    total: unlimited ? null : total,
    used,
    unlimited,
    resetsAt,
    endsAt: row.end_time,
  };
}

export type PlansResult = { ok: true; plans: PlanReading[] | null } | { ok: false; error: ReadError };

/**
 * Reads the account's active plans: `GET /api/subscription/self`, and the plan titles
 * from `/api/subscription/plans` when there is an active one. `plans: null` means the
 * server has no subscription feature (404 `Invalid URL`, §B.1): show no section.
 */
export async function readPlans(
  baseUrl: string,
  headers: Record<string, string>,
  http: HttpOptions,
  site: SiteDisplay,
): Promise<PlansResult> {
  const result = await getJson(`${baseUrl}${SUBSCRIPTION_PATH}`, headers, http);
  if (!result.ok) return result;
  const { status, body } = result.response;
  if (status === 404) return { ok: true, plans: null };
  if (status !== 200) return { ok: false, error: errorForStatus(status, gatewayMessage(body)) };
  const parsed = selfSchema.safeParse(body);
  if (!parsed.success)
    return {
      ok: false,
      error: {
        kind: 'bad-response',
        message: `HTTP 200, not a subscription list${gatewayMessage(body) ? `: ${gatewayMessage(body)}` : ''}`,
      },
    };
  const rows: Row[] = [];
  for (const item of parsed.data.data.subscriptions ?? []) {
    const row = rowSchema.safeParse(item);
    if (!row.success) return { ok: false, error: { kind: 'bad-response', message: 'HTTP 200, unreadable subscription' } };
    rows.push(row.data.subscription);
  }
  const nowS = Math.floor(http.now() / 1000);
  const active = rows.filter((r) => r.status === 'active' && r.end_time > nowS);
  const titles = new Map<number, string>();
  if (active.length) {
    // Titles are a nicety: a failure or an empty list (§B.4, compliance) leaves "Plan #id".
    const list = await getJson(`${baseUrl}${PLANS_PATH}`, headers, http);
    const plans = list.ok && list.response.status === 200 ? plansSchema.safeParse(list.response.body) : null;
    if (plans?.success) for (const { plan } of plans.data.data) if (plan.title) titles.set(plan.id, plan.title);
  }
  const plans = active
    .slice(0, MAX_PLANS)
    .map((r) => planReading(r, titles.get(r.plan_id) ?? null, site, nowS))
    .filter((p): p is PlanReading => p !== null);
  return { ok: true, plans };
}
