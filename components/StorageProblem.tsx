import { i18n } from '#i18n';
import type { Settings } from '@/lib/schema';
import { type StoredProblems, storageProblemItem, storedProblemsItem, storedSettingsItem } from '@/lib/storage';
import { SETTING_CHECKS } from '@/lib/stored-shape';
import { useStored } from '@/lib/use-stored';

/**
 * Banners while the browser refuses to store Quota Glance's data (storage full):
 * readings are not being saved, so nothing shown may be current; gone with the next
 * good write. And a note of stored data that could not be read (issue #7, item 15):
 * what was kept, what fell back. Renders nothing otherwise.
 */
export function StorageProblem() {
  const problem = useStored(storageProblemItem);
  const unreadable = useStored(storedProblemsItem);
  const stillBad = stillUnreadable(unreadable, useStored(storedSettingsItem));
  const lines = unreadable
    ? [
        unreadable.keys > 0 && i18n.t('storedKeysUnreadable', unreadable.keys, [String(unreadable.keys)]),
        stillBad.length > 0 && i18n.t('storedSettingsUnreadable', [stillBad.join(', ')]),
        unreadable.statuses > 0 && i18n.t('storedStatusesUnreadable', unreadable.statuses, [String(unreadable.statuses)]),
        unreadable.caches > 0 && i18n.t('storedCachesUnreadable', unreadable.caches, [String(unreadable.caches)]),
      ].filter((line): line is string => !!line)
    : [];
  if (!problem && lines.length === 0) return null;
  return (
    <>
      {problem && (
        <div class="problem-box storage-problem" role="alert">
          {i18n.t('storageFailed', [problem.message])}
        </div>
      )}
      {lines.length > 0 && (
        <div class="problem-box stored-problem" role="status">
          {lines.map((line) => (
            <p key={line}>{line}</p>
          ))}
        </div>
      )}
    </>
  );
}

/** The reported settings that are still stored wrong: one the user saved since is fixed. */
function stillUnreadable(problems: StoredProblems | null | undefined, stored: Settings | undefined): string[] {
  if (!problems || stored === undefined) return problems?.settings ?? [];
  const raw = stored as unknown as Record<string, Record<string, unknown> | undefined>;
  return problems.settings.filter((name) => {
    const [field, unit] = name.split('.') as [keyof Settings, string | undefined];
    if (unit) return !(typeof raw[field]?.[unit] === 'number' && Number.isFinite(raw[field]?.[unit]));
    return !(SETTING_CHECKS[field]?.(raw[field]) ?? false);
  });
}
