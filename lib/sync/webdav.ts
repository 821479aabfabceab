/**
 * The few WebDAV requests sync needs (RFC 4918; shared/spec/automation.md §6): the vault
 * file's GET and PUT, PROPFIND to see whether the folder is there, MKCOL to create it.
 *
 * - The `Authorization` header is set here, with `credentials: 'omit'`: the browser never
 *   adds its own, and never waits on its sign-in prompt for a 401 (which hangs headless).
 * - Redirects are not followed (`redirect: 'manual'`): the password goes to the address
 *   the person typed and nowhere else. A redirect is an error that says to use the final address.
 * - Every request has a deadline (15 s, like a read); nothing hangs.
 * Pure: `fetch` and the timeout are passed in.
 */

export const VAULT_FILE = 'quota-glance.vault.json';
export const DAV_TIMEOUT_MS = 15_000;
/** Largest vault this version reads (a full key list with settings is far below it). */
export const MAX_VAULT_BYTES = 8 * 1024 * 1024;

export interface DavConfig {
  /** The folder's URL, without a trailing slash. */
  address: string;
  user: string;
  password: string;
}

export interface DavDeps {
  fetch: typeof fetch;
  timeoutMs?: number;
}

export type DavErrorCode =
  | 'auth'
  | 'forbidden'
  | 'not-found'
  | 'no-parent'
  | 'full'
  | 'redirect'
  | 'network'
  | 'timeout'
  | 'server'
  | 'too-large';

export class DavError extends Error {
  constructor(
    readonly code: DavErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'DavError';
  }
}

/** The folder's URL as sync uses it: http(s), no query, no fragment, no credentials in it, no trailing slash; null when it is not one. */
export function normaliseAddress(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname || url.username || url.password) return null;
  if (url.search || url.hash) return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export const vaultUrl = (address: string) => `${address}/${VAULT_FILE}`;

function basic(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return `Basic ${btoa(text)}`;
}

/** The reason a status gives, in words the options page shows. */
function statusError(status: number, what: string): DavError {
  if (status === 401) return new DavError('auth', 'The WebDAV server refused the user or password (401)', status);
  if (status === 403) return new DavError('forbidden', `The WebDAV server does not allow this (403) for ${what}`, status);
  if (status === 404) return new DavError('not-found', `The WebDAV server has no ${what} (404)`, status);
  if (status === 409) return new DavError('no-parent', 'The folder above the WebDAV address does not exist (409); create it first', status);
  if (status === 507) return new DavError('full', 'The WebDAV server is full (507 Insufficient Storage)', status);
  if (status === 0 || (status >= 300 && status < 400))
    return new DavError('redirect', 'The WebDAV server redirects elsewhere; enter the address it redirects to', status);
  return new DavError('server', `The WebDAV server answered ${status} for ${what}`, status);
}

async function request(
  config: DavConfig,
  deps: DavDeps,
  method: string,
  url: string,
  init: { headers?: Record<string, string>; body?: string } = {},
) {
  const timeoutMs = deps.timeoutMs ?? DAV_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await deps.fetch(url, {
      method,
      headers: { Authorization: basic(config.user, config.password), ...init.headers },
      ...(init.body !== undefined ? { body: init.body } : {}),
      credentials: 'omit',
      redirect: 'manual',
      cache: 'no-store',
      signal,
    });
    return { response, signal };
  } catch (cause) {
    if (signal.aborted) throw new DavError('timeout', `The WebDAV server did not answer within ${Math.round(timeoutMs / 1000)} s`);
    throw new DavError('network', `The WebDAV server cannot be reached (${(cause as Error)?.name ?? 'network error'})`);
  }
}

/** Reads a body within the deadline and the size limit. */
async function bodyText(response: Response, signal: AbortSignal, timeoutMs: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_VAULT_BYTES) throw new DavError('too-large', 'The vault file is too large');
  try {
    const text = await response.text();
    if (text.length > MAX_VAULT_BYTES) throw new DavError('too-large', 'The vault file is too large');
    return text;
  } catch (cause) {
    if (cause instanceof DavError) throw cause;
    if (signal.aborted) throw new DavError('timeout', `The WebDAV server did not answer within ${Math.round(timeoutMs / 1000)} s`);
    throw new DavError('network', 'The connection to the WebDAV server broke off');
  }
}

/** The vault file's text and ETag, or null when there is none yet. */
export async function getVault(config: DavConfig, deps: DavDeps): Promise<{ text: string; etag: string | null } | null> {
  const { response, signal } = await request(config, deps, 'GET', vaultUrl(config.address));
  if (response.status === 404) return null;
  if (response.status !== 200) throw statusError(response.status, 'vault file');
  return { text: await bodyText(response, signal, deps.timeoutMs ?? DAV_TIMEOUT_MS), etag: response.headers.get('etag') };
}

/**
 * Writes the vault file. With `etag`, only over that version (`If-Match`): `false` when
 * the server says the file changed meanwhile (412). Servers that ignore `If-Match` are
 * fine too: the caller reads the file back and merges again if it is not what it wrote.
 */
export async function putVault(config: DavConfig, deps: DavDeps, text: string, etag: string | null): Promise<boolean> {
  const { response } = await request(config, deps, 'PUT', vaultUrl(config.address), {
    headers: { 'Content-Type': 'application/json', ...(etag ? { 'If-Match': etag } : {}) },
    body: text,
  });
  if (response.status === 412) return false;
  if (response.status < 200 || response.status >= 300) throw statusError(response.status, 'vault file');
  return true;
}

/** Folders above the address this creates at most, when the server says a parent is missing (409). */
const MAX_FOLDER_DEPTH = 8;

/**
 * Makes sure the folder exists: PROPFIND, and MKCOL when it is missing. A server that
 * answers 409 (Nutstore, rclone: the folder above is missing too) gets the folders above
 * made first, down from the highest missing one, never above the address's site.
 */
export async function ensureFolder(config: DavConfig, deps: DavDeps): Promise<void> {
  const folder = `${config.address}/`;
  const { response } = await request(config, deps, 'PROPFIND', folder, {
    headers: { Depth: '0', 'Content-Type': 'application/xml; charset=utf-8' },
    body: '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>',
  });
  if (response.status === 207 || response.status === 200) return;
  if (response.status !== 404) throw statusError(response.status, 'folder');
  await makeFolder(config, deps, config.address, 0);
}

async function makeFolder(config: DavConfig, deps: DavDeps, address: string, depth: number): Promise<void> {
  const made = await request(config, deps, 'MKCOL', `${address}/`);
  // 405: it is there already (someone made it meanwhile).
  if (made.response.status === 201 || made.response.status === 405) return;
  const url = new URL(address);
  const parent = url.pathname.replace(/\/[^/]*$/, '');
  if (made.response.status !== 409 || !parent || depth >= MAX_FOLDER_DEPTH) throw statusError(made.response.status, 'folder');
  await makeFolder(config, deps, `${url.origin}${parent}`, depth + 1);
  const again = await request(config, deps, 'MKCOL', `${address}/`);
  if (again.response.status === 201 || again.response.status === 405) return;
  throw statusError(again.response.status, 'folder');
}
