import { maskHead } from './providers/detect';

/** Masking and text checks shared by the backup file's keys and alert channels (lib/backup.ts, lib/channels.ts). */

/** Characters that hide or reorder text or split a line: C0 controls (NUL, CR, LF…), DEL and the bidi controls (issue #7.14). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/;
export const UNSAFE_MESSAGE = 'contains a control character (NUL, line break or text-direction mark)';

export const MASK_MARK = '…';

/** Whether a secret is one `maskSecret` wrote (an export without secrets), not a usable one. */
export const isMasked = (secret: string) => secret.includes(MASK_MARK) || /^•+$/.test(secret);

/** A secret as shown to people and in exports without secrets: first and last characters only. */
export function maskSecret(secret: string): string {
  const s = secret.trim();
  if (s.length <= 8) return '•'.repeat(Math.max(4, s.length));
  const head = maskHead(s);
  return `${s.slice(0, head)}…${s.slice(-4)}`;
}
