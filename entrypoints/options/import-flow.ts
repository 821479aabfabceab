import type { ImportTarget } from '@/components/ImportPanel';
import { listVersion } from '@/lib/key-store';
import { sendMessage } from '@/lib/messages';
import type { KeyConfig } from '@/lib/model';
import { keysItem } from '@/lib/storage';

// The list this page last read or wrote: an import (or its undo) replaces it only if
// nothing else changed it meanwhile (issue #7, item 11).
let seen: KeyConfig[] = [];

/** The options page's import target: the stored key list, written through the background, which then reads the imported keys. */
export const optionsImportTarget: ImportTarget = {
  readKeys: async () => {
    seen = await keysItem.getValue();
    return seen;
  },
  writeKeys: async (keys) => {
    const result = await sendMessage('changeKeys', { type: 'replace', keys, expected: listVersion(seen) });
    if (!result.ok) throw new Error(result.message);
    seen = result.keys;
  },
  refresh: async (ids) => {
    await sendMessage('refresh', { ids, reset: true });
  },
};
