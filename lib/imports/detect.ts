import { type BackupContents, MAX_IMPORT_BYTES, MAX_IMPORT_KEYS, parseBackup } from '../backup';
import { isVaultLike, openWithPassphrase, parseEnvelope, VAULT_TYPE, type VaultEnvelope, VaultError } from '../sync/vault';
import { looksLikeAllApiHub, parseAllApiHub } from './all-api-hub';
import { decryptEnvelope, type Envelope, looksEncrypted, readEnvelope } from './envelope';
import { parseLines } from './lines';
import { parseConnectionJson } from './links';
import type { ImportBatch } from './types';

/** Which kind of file the text was recognised as. */
export type ImportSource = 'quota-glance' | 'all-api-hub' | 'lines';

/** Why a whole file was refused; nothing of it is imported. */
export type FileProblem = 'too-large' | 'too-many' | 'invalid-backup' | 'unrecognised' | 'bad-envelope' | 'wrong-password' | 'no-keys';

/** A Quota Glance backup's settings and channels (version 3, automation.md §3.4). */
export type BackupExtrasFound = Pick<BackupContents, 'settings' | 'channels' | 'unknownChannels'>;

/** What a file holds, recognised by its content (automation.md §3, §3.2). */
export type Analysis =
  | ({ status: 'ready'; source: ImportSource; newer: boolean; extras?: BackupExtrasFound } & ImportBatch)
  | { status: 'password'; envelope: Envelope | VaultEnvelope }
  | { status: 'failed'; problem: FileProblem; details: string[]; count?: number };

const failed = (problem: FileProblem, details: string[] = [], count?: number): Analysis => ({
  status: 'failed',
  problem,
  details,
  ...(count !== undefined ? { count } : {}),
});

function limited(batch: Analysis): Analysis {
  if (batch.status !== 'ready') return batch;
  if (batch.keys.length > MAX_IMPORT_KEYS) return failed('too-many', [], batch.keys.length);
  const extras = batch.extras;
  const more = extras && (extras.settings || extras.channels.length || extras.unknownChannels.length);
  if (batch.keys.length === 0 && batch.skipped.length === 0 && !more) return failed('no-keys');
  return batch;
}

/**
 * Recognises a file or pasted text by its content and reads it: a Quota Glance
 * backup (all or nothing), an All API Hub backup (§D.1), its encrypted copy (asks
 * for the password), or a text file of lines and links. Never throws.
 */
export function analyseImport(text: string): Analysis {
  if (text.length > MAX_IMPORT_BYTES) return failed('too-large', [], text.length);
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  let json: unknown;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = undefined;
    }
  }
  if (json !== undefined && json !== null && typeof json === 'object') {
    if ((json as { format?: unknown }).format === 'quota-glance' || 'format' in json) {
      const listed = (json as { keys?: unknown }).keys;
      if (Array.isArray(listed) && listed.length > MAX_IMPORT_KEYS) return failed('too-many', [], listed.length);
      const parsed = parseBackup(trimmed);
      if (!parsed.ok) return failed('invalid-backup', parsed.problems);
      const { keys, settings, channels, unknownChannels } = parsed;
      return limited({
        status: 'ready',
        source: 'quota-glance',
        newer: false,
        keys,
        skipped: [],
        extras: { ...(settings ? { settings } : {}), channels, unknownChannels },
      });
    }
    // A sync vault or an encrypted export (automation.md §6): opened with its passphrase.
    if (isVaultLike(json)) {
      try {
        return { status: 'password', envelope: parseEnvelope(trimmed) };
      } catch (cause) {
        return (cause as VaultError).problem === 'newer' ? failed('invalid-backup', [(cause as Error).message]) : failed('bad-envelope');
      }
    }
    if (looksEncrypted(json)) {
      const envelope = readEnvelope(json);
      return envelope ? { status: 'password', envelope } : failed('bad-envelope');
    }
    if (looksLikeAllApiHub(json)) {
      const { keys, skipped, newer } = parseAllApiHub(json as Record<string, unknown>);
      return limited({ status: 'ready', source: 'all-api-hub', newer, keys, skipped });
    }
    if ((json as { _type?: unknown })._type !== 'newapi_channel_conn') return failed('unrecognised');
  } else if (trimmed.startsWith('{') && !parseConnectionJson(trimmed.split(/\r?\n|\r/)[0] ?? '')) {
    // Text starting with `{` that is not JSON, nor lines opening with new-api's connection info: a broken backup.
    return failed('unrecognised', ['The file is not valid JSON.']);
  }
  const batch = parseLines(text);
  if (batch.keys.length === 0 && batch.skipped.length > 0 && batch.skipped.every((s) => s.reason === 'unrecognised'))
    return failed('unrecognised');
  return limited({ status: 'ready', source: 'lines', newer: false, ...batch });
}

/** Opens a sync vault (or an encrypted export) with its passphrase and reads the backup inside. */
async function unlockVault(envelope: VaultEnvelope, passphrase: string): Promise<Analysis> {
  let plain: string;
  try {
    plain = (await openWithPassphrase(JSON.stringify(envelope), passphrase)).plain;
  } catch (cause) {
    if (!(cause instanceof VaultError)) throw cause;
    return cause.problem === 'wrong-passphrase' ? failed('wrong-password', [cause.message]) : failed('bad-envelope', [cause.message]);
  }
  const inner = analyseImport(plain);
  return inner.status === 'password' ? failed('bad-envelope') : inner;
}

/** Decrypts an encrypted All API Hub copy (imports.md §D.1.7) or a Quota Glance vault locally and reads what is inside. */
export async function unlockImport(envelope: Envelope | VaultEnvelope, password: string, subtle?: SubtleCrypto): Promise<Analysis> {
  if (envelope.type === VAULT_TYPE) return unlockVault(envelope, password);
  const plain = await decryptEnvelope(envelope, password, subtle);
  if (plain === null) return failed('wrong-password');
  const inner = analyseImport(plain);
  // An envelope inside an envelope is not something All API Hub writes.
  return inner.status === 'password' ? failed('bad-envelope') : inner;
}
