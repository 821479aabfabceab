import { channelForFile } from '@/lib/channels';
import { downloadJson } from '@/lib/download';
import { settingsForFile } from '@/lib/settings-v3';
import { keysItem } from '@/lib/storage/items';
import { vaultKeysOf, vaultPlain } from '@/lib/sync/content';
import { liveTombstones } from '@/lib/sync/merge';
import { stampsItem, tombstonesItem } from '@/lib/sync/stored';
import { deriveVaultKey, envelopeText, newSalt, seal } from '@/lib/sync/vault';
import { backupExtras } from './import-flow';

/**
 * "Export encrypted" (automation.md §6): the same envelope as the sync vault, with a fresh
 * salt and the passphrase given; Import opens it with that passphrase.
 */
export async function encryptedExport(passphrase: string, now = Date.now()): Promise<string> {
  const [keys, tombstones, extras, stamps] = await Promise.all([
    keysItem.getValue(),
    tombstonesItem.getValue(),
    backupExtras(),
    stampsItem.getValue(),
  ]);
  const plain = vaultPlain(
    {
      keys: vaultKeysOf(keys),
      deleted: liveTombstones([tombstones], now),
      settings: { value: settingsForFile(extras.settings, extras.alerts), updatedAt: stamps.settings?.at ?? 0 },
      channels: { value: extras.channels.map((c) => channelForFile(c, true)), updatedAt: stamps.channels?.at ?? 0 },
    },
    now,
  );
  return envelopeText(await seal(await deriveVaultKey(passphrase, newSalt()), plain));
}

export async function downloadEncrypted(passphrase: string): Promise<void> {
  downloadJson(await encryptedExport(passphrase), 'quota-glance-encrypted');
}
