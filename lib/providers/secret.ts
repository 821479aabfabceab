/** The secret as typed, without a pasted `Bearer ` scheme or surrounding space. */
export function bareSecret(secret: string): string {
  return secret
    .trim()
    .replace(/^bearer\s+/i, '')
    .trim();
}
