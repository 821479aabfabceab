import type { ImportedKey } from '../backup';
import { suggestSiteRoot } from '../site-suggest';
import { hostOf } from '../url';
import { type LinkKey, parseCcSwitchLink, parseConnectionJson, parseProviderLink } from './links';
import type { ImportBatch, Skipped } from './types';
import { toImportedKey } from './validate';

const PROVIDER_LINK = /^(cherrystudio|aionui|deepchat):\/\//i;
/** new-api's bulk copies without an address: `name<TAB>sk-…`, `name<4 spaces>sk-…`, or a bare `sk-…` (imports.md §D.4.1). */
const KEY_WITHOUT_SITE = /^(?:(.*?)(?:\t| {4}))?(sk-[A-Za-z0-9]+)$/;

function keysOfLine(line: string): LinkKey[] | Skipped['reason'] {
  if (PROVIDER_LINK.test(line)) {
    const key = parseProviderLink(line);
    return key ? [key] : 'bad-link';
  }
  if (/^ccswitch:/i.test(line)) return parseCcSwitchLink(line) ?? 'bad-link';
  if (line.startsWith('{')) {
    const conn = parseConnectionJson(line);
    return conn ? [conn] : 'unrecognised';
  }
  if (KEY_WITHOUT_SITE.test(line)) return 'no-base-url';
  const [first = '', secret, ...rest] = line.split(/\s+/);
  if (!/^https?:\/\//i.test(first)) return 'unrecognised';
  if (!secret) return 'missing-fields';
  const label = rest.join(' ');
  // An API route pasted for the site (`…/v1/chat/completions`) is cut to the site root, as the key form offers (issue #19, item 4).
  const offer = suggestSiteRoot(first);
  const baseUrl = offer?.reason === 'api-path' ? offer.root : first;
  return [{ baseUrl, secret, ...(label ? { label } : {}) }];
}

/**
 * Reads a text file of keys, one per line (automation.md §3.2): `baseUrl secret [label…]`,
 * a Cherry Studio / AionUI / DeepChat or CC Switch link, or new-api's connection JSON.
 * Blank lines and `#` comments are skipped silently; any other line that holds no key
 * is listed by its number (never by its text, which may hold a secret).
 */
export function parseLines(text: string): ImportBatch {
  const keys: ImportedKey[] = [];
  const skipped: Skipped[] = [];
  for (const [index, raw] of text.split(/\r\n|\n|\r/).entries()) {
    const line = raw.trim();
    const at = { line: index + 1 };
    if (!line || line.startsWith('#')) continue;
    const found = keysOfLine(line);
    if (typeof found === 'string') {
      skipped.push({ at, reason: found });
      continue;
    }
    for (const item of found) {
      const label = item.label || hostOf(item.baseUrl);
      const checked = toImportedKey(
        { label, baseUrl: item.baseUrl, kind: item.kind ?? 'auto', secret: item.secret, ...(item.userId ? { userId: item.userId } : {}) },
        at,
        !item.label,
      );
      if ('key' in checked) keys.push(checked.key);
      else skipped.push(checked.skipped);
    }
  }
  return { keys, skipped };
}
