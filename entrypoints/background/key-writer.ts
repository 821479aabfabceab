import { createKeyStore } from '@/lib/key-store';
import { keysItem } from '@/lib/storage';

/**
 * The one writer of the key list (issue #7, item 11): the options page's changes arrive
 * as messages and the notification's snooze calls it directly; both are applied in order.
 */
export const keyWriter = createKeyStore(keysItem);
