import { hostOf } from '../url';
import { clip } from './types';

/** A key found in a link or a pasted snippet, before validation. `label` is undefined when the source names nothing. */
export interface LinkKey {
  baseUrl: string;
  secret: string;
  label?: string;
  kind?: 'auto' | 'newapi-user';
  userId?: number;
}

/** Bytes of standard base64, with or without padding; null if it is not base64. */
function base64Bytes(s: string): Uint8Array | null {
  let t = s;
  while (t.length % 4) t += '=';
  try {
    return Uint8Array.from(atob(t), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

const utf8 = (bytes: Uint8Array) => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
};

/**
 * The JSON of a Cherry Studio, AionUI or DeepChat provider link (imports.md §D.2.2).
 * `data` is read by hand: URLSearchParams would turn All API Hub's raw `+` into a space.
 */
export function decodeProviderLinkData(link: string): unknown {
  const query = link.slice(link.indexOf('?') + 1).split('#')[0] ?? '';
  const part = query.split('&').find((p) => p.startsWith('data='));
  if (!part) return null;
  let s = part.slice(5).replace(/ /g, '+'); // a form-decoded paste turned + into spaces
  try {
    s = decodeURIComponent(s).replace(/\s+/g, ''); // %2B→+ %2F→/ %3D→=; a literal + stays (§D.2.1)
  } catch {
    return null;
  }
  if (/[-_]/.test(s) && !/[+/]/.test(s)) s = s.replace(/-/g, '+').replace(/_/g, '/'); // URL-safe alphabet
  const bytes = base64Bytes(s);
  const text = bytes && utf8(bytes);
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    try {
      // Cherry's own reader turns ' into " and drops parentheses (§D.2.1).
      return JSON.parse(text.replaceAll("'", '"').replaceAll('(', '').replaceAll(')', ''));
    } catch {
      return null;
    }
  }
}

const field = (obj: unknown, name: string) => {
  const v = obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v.trim() : '';
};

/**
 * A link's label: its name with the host of the key's own `baseUrl`, so a name can never
 * pass for another site (a link named "api.example.com" that sends the key elsewhere).
 */
function labelFor(name: string, baseUrl: string): string {
  const host = hostOf(baseUrl);
  if (!name) return host;
  return host ? `${clip(name, 120)} (${host})` : name;
}

/** A Cherry Studio / AionUI / DeepChat link as a key (imports.md §D.2, §D.2.4); null if it carries none. */
export function parseProviderLink(link: string): LinkKey | null {
  const data = decodeProviderLinkData(link);
  const baseUrl = field(data, 'baseUrl');
  const secret = field(data, 'apiKey');
  if (!baseUrl || !secret) return null;
  const name = field(data, 'name');
  return { baseUrl, secret, ...(name ? { label: labelFor(name, baseUrl) } : {}) };
}

/** CC Switch's base64 parameters: `+` restored from spaces, then standard or URL-safe, padded or not (imports.md §D.3.1). */
function decodeParam(value: string): string | null {
  const s = value.replace(/ /g, '+').trim();
  const bytes = base64Bytes(s) ?? base64Bytes(s.replace(/-/g, '+').replace(/_/g, '/'));
  return bytes ? utf8(bytes) : null;
}

/** Key and endpoint from CC Switch's `config` parameter, per app (imports.md §D.3.1). */
function fromConfig(text: string): { secret: string; endpoint: string } {
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // TOML (configFormat=toml): only the two values are wanted.
  }
  const obj = json && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  const { env, auth } = obj;
  const toml = field(json, 'config') || (json ? '' : text);
  const tomlValue = (name: string) => new RegExp(`^\\s*${name}\\s*=\\s*"([^"]*)"`, 'm').exec(toml)?.[1]?.trim() ?? '';
  const secret =
    field(env, 'ANTHROPIC_AUTH_TOKEN') ||
    field(env, 'ANTHROPIC_API_KEY') ||
    field(auth, 'OPENAI_API_KEY') ||
    field(json, 'GEMINI_API_KEY') ||
    tomlValue('OPENAI_API_KEY');
  const endpoint =
    field(env, 'ANTHROPIC_BASE_URL') || tomlValue('base_url') || field(json, 'GOOGLE_GEMINI_BASE_URL') || field(json, 'GEMINI_BASE_URL');
  return { secret, endpoint };
}

/**
 * A CC Switch provider link as keys (imports.md §D.3.3): the API key, and when the
 * link carries new-api usage credentials, the account too. `usageScript` is never run.
 */
export function parseCcSwitchLink(link: string): LinkKey[] | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== 'ccswitch:' || url.host !== 'v1' || url.pathname !== '/import') return null;
  const q = url.searchParams;
  if (q.get('resource') !== 'provider') return null;
  const config = q.get('config');
  const fromCfg = config ? fromConfig(decodeParam(config) ?? '') : { secret: '', endpoint: '' };
  const secret = (q.get('apiKey') ?? '').trim() || fromCfg.secret;
  const endpoint = (q.get('endpoint') ?? '').split(',')[0]?.trim() || fromCfg.endpoint;
  if (!secret || !endpoint) return null;
  const homepage = (q.get('homepage') ?? '').trim().replace(/\/+$/, '');
  const root = homepage && endpoint.startsWith(homepage) ? homepage : endpoint;
  const name = (q.get('name') ?? '').trim();
  const keys: LinkKey[] = [{ baseUrl: root, secret, label: labelFor(name, root) }];
  const token = (q.get('usageAccessToken') ?? '').trim();
  const user = Number((q.get('usageUserId') ?? '').trim());
  if (token && Number.isSafeInteger(user) && user > 0) {
    const usageRoot = (q.get('usageBaseUrl') ?? '').trim() || root;
    // The account is read at the usage address: its label names that host, not the endpoint's.
    keys.push({ baseUrl: usageRoot, secret: token, label: `${labelFor(name, usageRoot)} account`, kind: 'newapi-user', userId: user });
  }
  return keys;
}

/** new-api's "copy connection info" JSON (imports.md §D.4.1); null if the text is not one. */
export function parseConnectionJson(text: string): LinkKey | null {
  let json: unknown;
  try {
    json = JSON.parse(text.trim());
  } catch {
    return null;
  }
  if (!json || typeof json !== 'object' || (json as { _type?: unknown })._type !== 'newapi_channel_conn') return null;
  const secret = field(json, 'key');
  const baseUrl = field(json, 'url');
  return secret && baseUrl ? { baseUrl, secret } : null;
}
