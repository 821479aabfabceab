import { DEFAULT_TIMEOUT_MS, STOPPED } from '../http';
import type { KeyConfig, KeyStatus, ReadOutcome } from '../model';
import type { AdapterContext } from '../providers/adapter';
import { DEFAULT_SITE_DISPLAY } from '../providers/newapi/units';
import type { ReadPolicy } from '../providers/policy';
import { ADAPTERS, readKey } from '../providers/read';
import type { EngineDeps } from './types';

/** The detail of a read skipped because the user has not granted access to the site. */
export const NO_ACCESS = 'no permission for this site yet: grant it on the options page';

/** Reads one key once, as its status and the moment allow. */
export type Attempt = (
  key: KeyConfig,
  previous: KeyStatus | undefined,
  onDemand: boolean,
  onAnswer?: (body: unknown) => void,
  /** Aborted when the person stops the read (Refresh's or Test's Stop). */
  signal?: AbortSignal,
) => Promise<ReadOutcome>;

/**
 * One read of one key: the gateway's Retry-After and the site permission are honoured
 * first; the policies shape the read's context and may read the key another way after.
 */
export function createAttempt(deps: EngineDeps, policy: Required<ReadPolicy>): Attempt {
  async function contextFor(
    key: KeyConfig,
    onDemand: boolean,
    onAnswer?: (body: unknown) => void,
    signal?: AbortSignal,
  ): Promise<AdapterContext> {
    const rules = await policy.context(key, onDemand);
    return {
      ...(onAnswer ? { onAnswer } : {}),
      ...(signal ? { signal } : {}),
      ...(deps.watchRedirect ? { watchRedirect: deps.watchRedirect } : {}),
      fetch: deps.fetch,
      now: deps.now,
      timeoutMs: deps.timeoutMs,
      // One limit for the whole read, however many requests it takes.
      deadline: deps.now() + (deps.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      siteDisplay: async () => DEFAULT_SITE_DISPLAY,
      ...rules,
    };
  }

  return async (key, previous, onDemand, onAnswer, signal) => {
    if (signal?.aborted) return { ok: false, error: STOPPED };
    const retryAt = previous?.error?.retryAt;
    // Scheduled polling honours the gateway's Retry-After; a person's Refresh always asks again.
    if (!onDemand && previous?.error?.kind === 'rate-limited' && !previous.error.heldBack && retryAt && retryAt > deps.now()) {
      return { ok: false, error: previous.error };
    }
    if (!(await deps.hasHostAccess(key.baseUrl))) return { ok: false, error: { kind: 'network', message: NO_ACCESS } };
    try {
      const context = { ...(await contextFor(key, onDemand, onAnswer, signal)), previous: previous?.reading ?? null };
      const outcome = await readKey(key, context, previous?.detectedKind);
      return await policy.fallback(key, previous, outcome, (kind) => ADAPTERS[kind](key, context));
    } catch (cause) {
      // Adapters never throw by design; this guards the stored state if one ever does.
      return { ok: false, error: { kind: 'bad-response', message: `unreadable answer (${(cause as Error)?.name ?? 'error'})` } };
    }
  };
}
