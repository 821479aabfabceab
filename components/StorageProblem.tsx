import { i18n } from '#i18n';
import { storageProblemItem } from '@/lib/storage';
import { useStored } from '@/lib/use-stored';

/**
 * A banner while the browser refuses to store Quota Glance's data (storage full):
 * readings are not being saved, so nothing shown may be current. Gone with the next
 * good write. Renders nothing otherwise.
 */
export function StorageProblem() {
  const problem = useStored(storageProblemItem);
  if (!problem) return null;
  return (
    <div class="problem-box storage-problem" role="alert">
      {i18n.t('storageFailed', [problem.message])}
    </div>
  );
}
