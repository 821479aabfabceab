import { z } from 'zod';

/** The encrypted WebDAV copy of an All API Hub backup (shared/spec/imports.md §D.1.7). */
export const ENVELOPE_TYPE = 'all-api-hub-webdav-backup-encrypted';
/** A hostile file must not freeze the page with a huge PBKDF2 count (imports.md §D.1.7). */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

const envelopeSchema = z.object({
  type: z.literal(ENVELOPE_TYPE),
  v: z.literal(1),
  kdf: z.literal('PBKDF2'),
  cipher: z.literal('AES-GCM'),
  iter: z.number().int().min(1).max(MAX_PBKDF2_ITERATIONS),
  salt: base64,
  iv: base64,
  ct: base64.min(24),
});

export type Envelope = z.infer<typeof envelopeSchema>;

/** True when a parsed JSON value claims to be the encrypted envelope (whether or not it is well formed). */
export const looksEncrypted = (value: unknown): boolean =>
  !!value && typeof value === 'object' && (value as { type?: unknown }).type === ENVELOPE_TYPE;

/** The envelope if it is well formed and its iteration count is within the cap; null otherwise. */
export function readEnvelope(value: unknown): Envelope | null {
  const parsed = envelopeSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

/**
 * Decrypts the envelope locally (PBKDF2-SHA-256 → AES-GCM-256, imports.md §D.1.7).
 * The password is trimmed as All API Hub trims it. Returns null for a wrong password
 * or a damaged file: the two cannot be told apart.
 */
export async function decryptEnvelope(envelope: Envelope, password: string, subtle: SubtleCrypto = crypto.subtle): Promise<string | null> {
  try {
    const pwKey = await subtle.importKey('raw', new TextEncoder().encode(password.trim()), 'PBKDF2', false, ['deriveKey']);
    const key = await subtle.deriveKey(
      { name: 'PBKDF2', hash: 'SHA-256', salt: bytes(envelope.salt), iterations: envelope.iter },
      pwKey,
      { name: 'AES-GCM', length: 256 },
      false,
      ['decrypt'],
    );
    const plain = await subtle.decrypt({ name: 'AES-GCM', iv: bytes(envelope.iv) }, key, bytes(envelope.ct));
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    return null;
  }
}
