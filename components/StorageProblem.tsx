import { i18n } from '#i18n';
import type { StoredProblems } from '@/lib/storage/items';

export interface StorageProblemProps {
  /** The last storage write that failed, if any (`session:storageProblem`). */
  problem: { at: number; message: string } | null | undefined;
  /** What the check after the migrations found (`session:storedProblems`), kept current by the background. */
  unreadable: StoredProblems | null | undefined;
}

/**
 * Banners while the browser refuses to store Quota Glance's data (storage full):
 * readings are not being saved, so nothing shown may be current; gone with the next
 * good write. And a note of stored data that could not be read (issue #7, item 15):
 * what was kept, what fell back, kept current by the background (a setting saved since
 * is no longer listed), or of stored data of a newer layout, left alone. Renders nothing otherwise.
 */
export function StorageProblem({ problem, unreadable }: StorageProblemProps) {
  const lines = unreadable
    ? [
        unreadable.newer && i18n.t('storedNewer', [String(unreadable.newer.layout), String(unreadable.newer.reads)]),
        unreadable.keys > 0 && i18n.t('storedKeysUnreadable', unreadable.keys, [String(unreadable.keys)]),
        unreadable.settings.length > 0 && i18n.t('storedSettingsUnreadable', [unreadable.settings.join(', ')]),
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
