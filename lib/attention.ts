import type { KeyConfig, KeyState, KeyStatus } from './model';
import { isExpiringSoon, keyState, type Settings, STATE_SEVERITY } from './state';

/**
 * What a key's row, chip, badge, headline, notifications and the options page say about
 * it, decided once (issue #19, item 1): its state, or `expiring` for a key that works
 * but expires inside the expiry warning window, or `no-access` for a key the extension
 * may not read yet (its site is not granted) and so has no fresh reading.
 */
export type Concern = KeyState | 'expiring' | 'no-access';

export interface Verdict {
  concern: Concern;
  /**
   * Whether the key needs attention (automation.md §4 `data-attention`): not muted, and
   * its state is none of `ok` and `pending`, or it is `ok` but expires soon.
   */
  attention: boolean;
  muted: boolean;
}

/** The facts a verdict needs: a key's state and whether it expires soon (lib/state.ts `KeyView`). */
export interface Judged {
  key: Pick<KeyConfig, 'muted'>;
  state: KeyState;
  expiringSoon?: boolean;
}

/**
 * The one verdict for a key already judged. `needsAccess`: its site is not granted; a
 * key in trouble for that reason says "Needs access" rather than "Unreadable".
 */
export function verdictOf({ key, state, expiringSoon }: Judged, needsAccess = false): Verdict {
  const muted = key.muted === true;
  const concern: Concern =
    needsAccess && (state === 'error' || state === 'pending') ? 'no-access' : state === 'ok' && expiringSoon ? 'expiring' : state;
  return { concern, muted, attention: !muted && state !== 'pending' && (state !== 'ok' || !!expiringSoon) };
}

/** The verdict for a key from its stored status, settings and the time (for pages that have not ranked keys). */
export function judgeKey(key: KeyConfig, status: KeyStatus | undefined, settings: Settings, now: number, needsAccess = false): Verdict {
  const state = keyState(key, status, settings, now);
  return verdictOf({ key, state, expiringSoon: isExpiringSoon(status?.reading ?? null, settings, now) }, needsAccess);
}

/** Whether a judged key needs attention: `verdictOf(view).attention`. */
export const needsAttention = (view: Judged): boolean => verdictOf(view).attention;

/** Most severe first, an expiring key between `low` and `error`, keys the extension may not read with the unreadable ones. */
export const CONCERN_SEVERITY: Record<Concern, number> = { ...STATE_SEVERITY, expiring: 4.5, 'no-access': STATE_SEVERITY.error };

/** Concerns in the order the headline and the badge's tooltip count them. */
export const CONCERN_ORDER: readonly Concern[] = ['expired', 'exhausted', 'invalid', 'capped', 'low', 'expiring', 'error', 'no-access'];

/** How many keys needing attention have each concern, and how many in all. */
export function countConcerns<V extends Judged>(
  views: readonly V[],
  needsAccess: (view: V) => boolean = () => false,
): { total: number; by: Partial<Record<Concern, number>> } {
  const by: Partial<Record<Concern, number>> = {};
  let total = 0;
  for (const view of views) {
    const verdict = verdictOf(view, needsAccess(view));
    if (!verdict.attention) continue;
    total++;
    by[verdict.concern] = (by[verdict.concern] ?? 0) + 1;
  }
  return { total, by };
}
