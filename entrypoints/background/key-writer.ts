import { checkStored } from '@/lib/storage/check';
import { dropUnreadableKeys, keysItem, localArea, reportStoredProblems } from '@/lib/storage/items';
import { createKeyStore, type KeyChange, type KeyChangeResult } from '@/lib/storage/keys';
import { writeKeysWithTombstones } from '@/lib/sync/stored';

/**
 * The one writer of the key list (issue #7, item 11): the options page's changes arrive
 * as messages and the notification's snooze calls it directly; both are applied in order.
 * It gives every changed key a later `updatedAt`, refuses an edit made from an older
 * version of its key, and refuses to hold more than `MAX_STORED_KEYS` keys (lib/storage/keys.ts).
 */
export const keyWriter = createKeyStore(
  // A deletion writes its tombstone in the same storage write (sync, lib/sync/stored.ts).
  { ...keysItem, setValue: (keys, write) => writeKeysWithTombstones(keys, write, Date.now()), dropUnreadable: dropUnreadableKeys },
  Date.now,
);

/** A page's change to the key list (the `changeKeys` message). */
export async function changeKeys(change: KeyChange): Promise<KeyChangeResult> {
  const result = await keyWriter.change(change);
  // The note of unreadable stored data is checked again, so it no longer counts what was removed.
  if (change.type === 'dropUnreadable' && result.ok) await reportStoredProblems(await checkStored(localArea));
  return result;
}
