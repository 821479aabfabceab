import { i18n } from '#i18n';
import { standIn, windowLine } from '@/components/WindowList';
import { type Concern, judgeKey } from '@/lib/attention';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import { kindLabel } from '@/lib/providers/labels';
import { permissionPattern } from '@/lib/site';
import type { Settings } from '@/lib/state';
import type { KeyChange } from '@/lib/storage/keys';
import { expiresIn, outcomeSummary, readingSummary } from './summary';

/**
 * The options page's key list, each key with the popup's verdict (lib/attention.ts) and
 * words: an expired key is "Expired" with its last figures, never "The site refused this
 * key"; a key whose site is not granted is "Needs access", never "Could not reach the
 * site". The read's failure is said only where the popup says it: refused or unreadable.
 */
export function listedKeys(
  keys: readonly KeyConfig[],
  statuses: Readonly<Record<string, KeyStatus>>,
  settings: Settings,
  now: number,
  locale: string,
  missing: readonly string[],
): { key: KeyConfig; concern: Concern; summary: string; kind: string }[] {
  // Most pages have every site granted: no key's address is looked at then (2,000 keys re-render on each keystroke).
  const lacking = new Set(missing);
  return keys.map((key) => {
    const status = statuses[key.id];
    const { concern } = judgeKey(key, status, settings, now, lacking.size > 0 && lacking.has(permissionPattern(key.baseUrl)));
    const error = status?.error && (concern === 'invalid' || concern === 'error') ? status.error : null;
    const reading = status?.reading;
    // When a key expires, as a Test says it ("… · expires in 3 days"): an item marked "Expires soon" says when.
    const ahead = !error && reading?.expiresAt != null ? expiresIn(reading.expiresAt, now, locale) : null;
    // A key without a balance of its own says its tightest window, as the popup's row does (automation.md §4.1).
    const window = standIn(reading ?? null);
    const figures = reading && (window ? windowLine(window, reading.unit, now, locale) : readingSummary(reading, locale));
    const summary = error
      ? outcomeSummary({ ok: false, error }, locale)
      : figures
        ? [figures, ...(ahead ? [i18n.t('resultExpires', [ahead])] : [])].join(' · ')
        : '';
    // A key on "Detect automatically" says what its reads found, as its editor does.
    const found = key.kind === 'auto' ? status?.detectedKind : undefined;
    const kind = found ? i18n.t('detectedKind', [kindLabel(found)]) : kindLabel(key.kind);
    return { key, concern, summary, kind };
  });
}

/** Sets `muted` or `pinned` on keys through the background's one writer; `false` removes the field (absent is false). */
export async function setFlag(
  change: (change: KeyChange) => Promise<void>,
  field: 'muted' | 'pinned',
  on: boolean,
  ids: readonly string[],
): Promise<void> {
  for (const id of ids) await change({ type: 'patch', id, fields: { [field]: on ? true : null } });
}

/** The bulk actions on the selected keys: Mute, Unmute, Pin, Unpin. */
export function BulkFlags({ onFlag }: { onFlag: (field: 'muted' | 'pinned', on: boolean) => void }) {
  return (
    <>
      <button type="button" onClick={() => onFlag('muted', true)}>
        {i18n.t('muteSelected')}
      </button>
      <button type="button" onClick={() => onFlag('muted', false)}>
        {i18n.t('unmuteSelected')}
      </button>
      <button type="button" onClick={() => onFlag('pinned', true)}>
        {i18n.t('pinSelected')}
      </button>
      <button type="button" onClick={() => onFlag('pinned', false)}>
        {i18n.t('unpinSelected')}
      </button>
    </>
  );
}
