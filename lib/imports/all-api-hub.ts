import type { ImportedKey } from '../backup';
import { keyIdentity } from '../key-save';
import type { KeyKind } from '../model';
import { manifestOf, PROVIDER_IDS, type ProviderId } from '../providers/manifests';
import { hostOf } from '../url';
import { clip, type ImportBatch, type Skipped } from './types';
import { toImportedKey } from './validate';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Backup versions All API Hub has written (imports.md §D.1.2); absent means V1. */
const KNOWN_VERSIONS = ['1.0', '2.0', '3.0', '4.0'];
/** Newest API credential profile config All API Hub has written (imports.md §D.1.5). */
const KNOWN_PROFILE_CONFIG = 5;

/** True when a parsed JSON value has the sections of an All API Hub backup (imports.md §D.1.2–D.1.3). */
export function looksLikeAllApiHub(value: unknown): boolean {
  if (!isObj(value) || 'format' in value) return false;
  const accounts = value.accounts;
  return (
    Array.isArray(accounts) ||
    (isObj(accounts) && Array.isArray(accounts.accounts)) ||
    (isObj(value.data) && Array.isArray(value.data.accounts)) ||
    isObj(value.apiCredentialProfiles) ||
    (typeof value.version === 'string' && ('preferences' in value || 'timestamp' in value))
  );
}

/**
 * Site types and what they become (imports.md §D.1.4): `newapi-user` where the
 * adapter sends the right user-id header, `auto` for the rest of the new-api family,
 * skipped for sites with their own protocols.
 */
const ACCOUNT_SITE_TYPES: Record<string, ProviderId | 'auto' | 'one-api' | 'unsupported'> = {
  'one-api': 'one-api',
  // §D.1.4: these forks want another user-id header than New-Api-User; our adapter sends only that one, so detection decides.
  Veloera: 'auto',
  'v-api': 'auto',
  VoAPI: 'auto',
  'Rix-Api': 'auto',
  'neo-Api': 'auto',
  ModelFlare: 'auto',
  anyrouter: 'auto',
  'Super-API': 'auto',
  'wong-gongyi': 'auto',
  'one-hub': 'auto',
  'done-hub': 'auto',
  unknown: 'auto',
  sub2api: 'unsupported',
  'voapi-v2': 'unsupported',
  AIHubMix: 'unsupported',
  sharedchat: 'unsupported',
  openrouter: 'unsupported',
  octopus: 'unsupported',
  axonhub: 'unsupported',
  'claude-code-hub': 'unsupported',
  // The site types a kind's manifest claims (`new-api` → `newapi-user`).
  ...Object.fromEntries(PROVIDER_IDS.flatMap((id) => (manifestOf(id).allApiHub?.siteTypes ?? []).map((type) => [type, id]))),
};

/** Telemetry modes that name a Quota Glance kind (imports.md §D.1.5), as the kinds' manifests claim them. */
const MODE_KINDS: Record<string, KeyKind> = Object.fromEntries(
  PROVIDER_IDS.flatMap((id) => (manifestOf(id).allApiHub?.telemetryModes ?? []).map((mode) => [mode, id])),
);

/** The site user id as a positive integer; All API Hub wrote a number until 2026-05 and a string since (imports.md §D.1.4). */
function userIdOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** Backup version: known, absent (read as V1), or newer (read best-effort and warned about). */
export function allApiHubVersion(value: Obj): { version: string; newer: boolean } {
  const version = typeof value.version === 'string' ? value.version : '1.0';
  return { version, newer: !KNOWN_VERSIONS.includes(version) };
}

function accountsOf(obj: Obj): unknown[] {
  if (Array.isArray(obj.accounts)) return obj.accounts;
  if (isObj(obj.accounts) && Array.isArray(obj.accounts.accounts)) return obj.accounts.accounts;
  if (isObj(obj.data) && Array.isArray(obj.data.accounts)) return obj.data.accounts;
  return [];
}

function readAccount(
  raw: unknown,
  position: number,
): { key?: ImportedKey; skipped?: Skipped; updatedAt: number; site?: string; user?: number } {
  const account = isObj(raw) ? raw : {};
  const name = str(account.site_name) || hostOf(str(account.site_url)) || `#${position + 1}`;
  const at = { account: clip(name) };
  const updatedAt = num(account.updated_at) ?? 0;
  const siteType = str(account.site_type);
  const family = ACCOUNT_SITE_TYPES[siteType] ?? 'auto';
  if (family === 'unsupported') return { skipped: { at, reason: 'unsupported-site', detail: clip(siteType) }, updatedAt };
  const authType = str(account.authType) || 'access_token';
  if (authType === 'cookie') return { skipped: { at, reason: 'cookie-auth' }, updatedAt };
  if (family === 'one-api') return { skipped: { at, reason: 'one-api-account' }, updatedAt };
  if (account.disabled === true) return { skipped: { at, reason: 'paused' }, updatedAt };
  const info = isObj(account.account_info) ? account.account_info : {};
  const token = str(info.access_token);
  const userId = userIdOf(info.id);
  if (authType !== 'access_token' || !token || userId === undefined) return { skipped: { at, reason: 'needs-token' }, updatedAt };
  const site = str(account.site_url).replace(/\/+$/, '');
  const draft =
    family === 'newapi-user'
      ? { label: str(account.site_name) || hostOf(site), baseUrl: site, kind: 'newapi-user', secret: token, userId }
      : { label: str(account.site_name) || hostOf(site), baseUrl: site, kind: 'auto', secret: token };
  const checked = toImportedKey(draft, at);
  return 'key' in checked
    ? { key: checked.key, updatedAt, site: checked.key.baseUrl, user: userId }
    : { skipped: checked.skipped, updatedAt };
}

function readProfile(raw: unknown, position: number): { key?: ImportedKey; skipped?: Skipped; updatedAt: number; apiType: string } {
  const profile = isObj(raw) ? raw : {};
  const baseUrl = str(profile.baseUrl);
  const apiKey = str(profile.apiKey);
  const label = str(profile.name) || hostOf(baseUrl) || 'API Profile';
  const at = { profile: clip(str(profile.name) || hostOf(baseUrl) || `#${position + 1}`) };
  const updatedAt = num(profile.updatedAt) ?? 0;
  const apiType = str(profile.apiType) || 'openai-compatible';
  if (!baseUrl || !apiKey) return { skipped: { at, reason: 'missing-fields' }, updatedAt, apiType };
  const telemetry = isObj(profile.telemetryConfig) ? profile.telemetryConfig : {};
  const kind = MODE_KINDS[str(telemetry.mode)] ?? 'auto';
  const expiresMs = num(profile.expiresAt);
  // §D.1.5: expiry is ms at local midnight; ≤ 0 means none. The key stores Unix seconds.
  const expiresAt = expiresMs !== undefined && expiresMs > 0 ? Math.floor(expiresMs / 1000) : undefined;
  const checked = toImportedKey({ label, baseUrl, kind, secret: apiKey, ...(expiresAt ? { expiresAt } : {}) }, at);
  return 'key' in checked ? { key: checked.key, updatedAt, apiType } : { skipped: checked.skipped, updatedAt, apiType };
}

/**
 * Reads an All API Hub backup (any version, imports.md §D.1): API credential
 * profiles become keys, accounts with a system access token become `newapi-user`
 * keys, and everything else is listed with its reason. Preferences (which hold
 * WebDAV credentials), channel configs and cookies are never read.
 */
export function parseAllApiHub(obj: Obj): ImportBatch & { newer: boolean } {
  const skipped: Skipped[] = [];
  let newer = allApiHubVersion(obj).newer;

  // Profiles: de-duplicated on apiType + baseUrl + apiKey, the newer updatedAt wins (§D.1.5).
  const profilesConfig = isObj(obj.apiCredentialProfiles) ? obj.apiCredentialProfiles : {};
  if ((num(profilesConfig.version) ?? 0) > KNOWN_PROFILE_CONFIG) newer = true;
  const profiles = Array.isArray(profilesConfig.profiles) ? profilesConfig.profiles : [];
  const profileKeys = new Map<string, { key: ImportedKey; updatedAt: number }>();
  for (const [position, raw] of profiles.entries()) {
    const read = readProfile(raw, position);
    if (read.skipped) skipped.push(read.skipped);
    if (!read.key) continue;
    const id = `${read.apiType}\n${keyIdentity(read.key)}`;
    const earlier = profileKeys.get(id);
    if (!earlier) {
      profileKeys.set(id, { key: read.key, updatedAt: read.updatedAt });
      continue;
    }
    const newerWins = read.updatedAt > earlier.updatedAt;
    if (newerWins) profileKeys.set(id, { key: read.key, updatedAt: read.updatedAt });
    skipped.push({ at: { profile: clip((newerWins ? earlier : read).key?.label ?? '') }, reason: 'duplicate' });
  }

  // Accounts: de-duplicated on site + user id, the newer updated_at wins (§D.1.6).
  const accountKeys = new Map<string, { key: ImportedKey; updatedAt: number }>();
  for (const [position, raw] of accountsOf(obj).entries()) {
    const read = readAccount(raw, position);
    if (read.skipped) skipped.push(read.skipped);
    if (!read.key) continue;
    const id = `${read.site}\n${read.user}`;
    const earlier = accountKeys.get(id);
    if (!earlier) {
      accountKeys.set(id, { key: read.key, updatedAt: read.updatedAt });
      continue;
    }
    const newerWins = read.updatedAt > earlier.updatedAt;
    if (newerWins) accountKeys.set(id, { key: read.key, updatedAt: read.updatedAt });
    skipped.push({ at: { account: clip((newerWins ? earlier : read).key?.label ?? '') }, reason: 'duplicate' });
  }

  const keys = [...[...profileKeys.values()].map((p) => p.key), ...[...accountKeys.values()].map((a) => a.key)];
  return { keys, skipped, newer };
}
