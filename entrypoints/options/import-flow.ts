import type { ImportTarget } from '@/components/ImportPanel';
import { sendMessage } from '@/lib/messages';
import { keysItem } from '@/lib/storage';

/** The options page's import target: the stored key list, and the background asked to read imported keys. */
export const optionsImportTarget: ImportTarget = {
  readKeys: () => keysItem.getValue(),
  writeKeys: (keys) => keysItem.setValue(keys),
  refresh: async (ids) => {
    await sendMessage('refresh', { ids, reset: true });
  },
};
