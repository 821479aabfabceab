/**
 * The encrypted vault file of sync (shared/spec/automation.md §6): its envelope, and
 * the WebCrypto that seals and opens it. PBKDF2-SHA256 (600,000 iterations, a 16-byte
 * salt) derives a non-extractable AES-256-GCM key; every write has a fresh 12-byte IV.
 * Pure: nothing here stores or sends anything.
 */

export const VAULT_TYPE = 'quota-glance-vault';
export const VAULT_VERSION = 1;
export const VAULT_ITERATIONS = 600_000;
export const SALT_BYTES = 16;
export const IV_BYTES = 12;
/** The sentence the options page shows for a passphrase that does not open the vault (automation.md §6). */
export const WRONG_PASSPHRASE = 'This passphrase does not open the vault';

export interface VaultEnvelope {
  type: typeof VAULT_TYPE;
  v: typeof VAULT_VERSION;
  kdf: 'PBKDF2';
  hash: 'SHA-256';
  iter: number;
  cipher: 'AES-GCM';
  salt: string;
  iv: string;
  ct: string;
}

/** A key derived from the passphrase, with the salt and iterations it was derived with. */
export interface VaultKey {
  key: CryptoKey;
  salt: string;
  iter: number;
}

/** Why a vault could not be opened: each has its own sentence for the person. */
export type VaultProblem = 'wrong-passphrase' | 'damaged' | 'newer' | 'rekeyed';

export class VaultError extends Error {
  constructor(
    readonly problem: VaultProblem,
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

const MESSAGES: Record<VaultProblem, string> = {
  'wrong-passphrase': WRONG_PASSPHRASE,
  damaged: 'The vault file is damaged or is not a Quota Glance vault',
  newer: 'The vault file was written by a newer version of Quota Glance; update this one first',
  rekeyed: 'The vault was made anew with another salt since sync was turned on here; turn sync off and on again with the passphrase',
};
const problem = (kind: VaultProblem) => new VaultError(kind, MESSAGES[kind]);

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** Whether a parsed JSON value looks like a vault at all (the Import input tells files apart by this). */
export const isVaultLike = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === VAULT_TYPE;

/**
 * Reads an envelope from the file's text. A file of a later `v` is `newer`; anything that
 * is not a well-formed envelope (bad JSON, missing field, a salt or IV of the wrong size,
 * fewer iterations than this version writes) is `damaged`. Throws a VaultError.
 */
export function parseEnvelope(text: string): VaultEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw problem('damaged');
  }
  if (!isVaultLike(json)) throw problem('damaged');
  const e = json as Record<string, unknown>;
  if (typeof e.v !== 'number') throw problem('damaged');
  if (e.v > VAULT_VERSION) throw problem('newer');
  if (e.v !== VAULT_VERSION || e.kdf !== 'PBKDF2' || e.hash !== 'SHA-256' || e.cipher !== 'AES-GCM') throw problem('damaged');
  // A vault with fewer iterations than this version writes is refused, not opened with a weaker key.
  if (typeof e.iter !== 'number' || !Number.isSafeInteger(e.iter) || e.iter < VAULT_ITERATIONS || e.iter > 10_000_000)
    throw problem('damaged');
  for (const field of ['salt', 'iv', 'ct'] as const) if (typeof e[field] !== 'string') throw problem('damaged');
  if (fromBase64(e.salt as string)?.length !== SALT_BYTES || fromBase64(e.iv as string)?.length !== IV_BYTES) throw problem('damaged');
  const ct = fromBase64(e.ct as string);
  // AES-GCM's tag alone is 16 bytes.
  if (!ct || ct.length < 16) throw problem('damaged');
  return json as VaultEnvelope;
}

/** A fresh random salt, base64. */
export const newSalt = (): string => toBase64(crypto.getRandomValues(new Uint8Array(SALT_BYTES)));

/** Derives the vault key from a passphrase: a non-extractable AES-GCM key (it can be kept in IndexedDB, never read back). */
export async function deriveVaultKey(passphrase: string, salt: string, iter = VAULT_ITERATIONS): Promise<VaultKey> {
  const saltBytes = fromBase64(salt);
  if (!saltBytes || saltBytes.length !== SALT_BYTES) throw problem('damaged');
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: saltBytes, iterations: iter },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  return { key, salt, iter };
}

/** Encrypts `plain` into an envelope, with a fresh IV. */
export async function seal(vaultKey: VaultKey, plain: string): Promise<VaultEnvelope> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, vaultKey.key, new TextEncoder().encode(plain)));
  return {
    type: VAULT_TYPE,
    v: VAULT_VERSION,
    kdf: 'PBKDF2',
    hash: 'SHA-256',
    iter: vaultKey.iter,
    cipher: 'AES-GCM',
    salt: vaultKey.salt,
    iv: toBase64(iv),
    ct: toBase64(ct),
  };
}

/**
 * Decrypts an envelope. A GCM tag that does not check out on a well-formed envelope is a
 * wrong passphrase; a vault made anew (another salt or iteration count than the key was
 * derived with: the file was deleted and another browser wrote a new one) says so, since
 * only the passphrase, typed again, can open it.
 */
export async function open(vaultKey: VaultKey, envelope: VaultEnvelope): Promise<string> {
  if (envelope.salt !== vaultKey.salt || envelope.iter !== vaultKey.iter) throw problem('rekeyed');
  const iv = fromBase64(envelope.iv) as Uint8Array<ArrayBuffer>;
  const ct = fromBase64(envelope.ct) as Uint8Array<ArrayBuffer>;
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, vaultKey.key, ct);
  } catch {
    throw problem('wrong-passphrase');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    throw problem('damaged');
  }
}

/** Opens an envelope's text with a passphrase (Import of a vault file): derives with the file's own salt. */
export async function openWithPassphrase(text: string, passphrase: string): Promise<{ plain: string; key: VaultKey }> {
  const envelope = parseEnvelope(text);
  const key = await deriveVaultKey(passphrase, envelope.salt, envelope.iter);
  return { plain: await open(key, envelope), key };
}

/** The envelope as the file holds it. */
export const envelopeText = (envelope: VaultEnvelope) => `${JSON.stringify(envelope)}\n`;
