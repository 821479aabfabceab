import { type RemoveOutcome, UnreadableKeys } from '@/components/UnreadableKeys';
import { downloadJson } from '@/lib/download';
import { sendMessage } from '@/lib/messages';
import { storedProblemsItem, unreadableKeys } from '@/lib/storage/items';
import { useStored } from '@/lib/storage/use-stored';

/** The options page's side of the unreadable stored keys: it reads how many, saves them to a file, and asks the background to drop them. */
export function UnreadableKeysSection() {
  const count = useStored(storedProblemsItem)?.keys ?? 0;
  const save = async () => downloadJson(JSON.stringify(await unreadableKeys(), null, 2), 'quota-glance-unreadable');
  const remove = async (): Promise<RemoveOutcome> => {
    const result = await sendMessage('changeKeys', { type: 'dropUnreadable' });
    return result.ok ? { ok: true } : { ok: false, message: result.message };
  };
  return <UnreadableKeys count={count} onSave={() => void save()} onRemove={remove} />;
}
