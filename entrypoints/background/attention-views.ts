import { browser } from 'wxt/browser';
import { countConcerns } from '@/lib/attention';
import { patternsWithoutAccess, permissionPattern } from '@/lib/site';
import { type KeyView, rankKeys } from '@/lib/state';
import { keysItem, settingsItem, statusesItem } from '@/lib/storage/items';
import { allViewsBySeverity } from '@/lib/token-views';

/**
 * Every key as the popup shows it (watched accounts' tokens too, automation.md §3.3), and
 * which of them cannot be read because their site is not granted: what the badge and the
 * notifications judge with the one verdict (lib/attention.ts), so they count the same
 * keys as the popup's `data-attention-count`.
 */
export async function viewsNow(now: number): Promise<{ views: KeyView[]; needsAccess: (view: KeyView) => boolean }> {
  const [keys, statuses, settings, granted] = await Promise.all([
    keysItem.getValue(),
    statusesItem.getValue(),
    settingsItem.getValue(),
    browser.permissions.getAll().catch(() => ({ origins: undefined })),
  ]);
  const views = allViewsBySeverity(rankKeys(keys, statuses, settings, now), settings, now);
  // Unknown grants (the browser would not say): no key is said to lack access.
  const lacking = granted.origins ? patternsWithoutAccess(granted.origins, new Set(views.map((v) => v.key.baseUrl))) : new Set<string>();
  return { views, needsAccess: (view) => lacking.has(permissionPattern(view.key.baseUrl)) };
}

/** How many keys need attention now: the popup's headline and `data-attention-count`. */
export async function attentionCountNow(now: number): Promise<number> {
  const { views, needsAccess } = await viewsNow(now);
  return countConcerns(views, needsAccess).total;
}
