/**
 * Whether a key for this site root would travel unencrypted: plain `http://` to a host
 * other than loopback (127.0.0.0/8, `localhost`, `[::1]`), where the traffic never leaves
 * the machine. The form and the import preview warn; saving still works.
 */
export function isPlainHttp(siteRoot: string): boolean {
  let url: URL;
  try {
    url = new URL(siteRoot);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:') return false;
  // The URL parser has already turned shorthand IPv4 forms (127.1, 0x7f.1) into dotted quads.
  const host = url.hostname.toLowerCase();
  return !(host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host));
}
