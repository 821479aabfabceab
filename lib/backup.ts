import { z } from 'zod';
import { type Channel, channelForFile, parseChannels, type UnknownChannel } from './channels';
import { keyIdentity } from './key-save';
import { isMasked, MASK_MARK, maskSecret, UNSAFE_CHARACTERS, UNSAFE_MESSAGE } from './mask';
import { type CustomMapping, KEY_KINDS, type KeyConfig, type Threshold } from './model';
import { PROVIDERS } from './providers';
import { currencySchema, customMappingSchema } from './providers/fields';
import type { Settings } from './schema';
import { type AlertSettings, type FileSettings, fileSettingsSchema, settingsForFile } from './settings-v3';
import { normaliseSiteRoot } from './site';
import { MAX_STORED_KEYS, stamp, sameKey as unchanged } from './storage/keys';

export { maskSecret, UNSAFE_CHARACTERS } from './mask';
export { MAX_STORED_KEYS } from './storage/keys';

/** Backup file format (shared/spec/automation.md §3). */
export const BACKUP_FORMAT = 'quota-glance';
/**
 * Version 2 added the provider kinds, `custom`, `currency` and `watchTokens`; version 3 a
 * key's `id`, `updatedAt`, `muted` and `pinned`, and the file's `settings` and `channels`
 * (automation.md §3, §3.1, §3.4). Versions 1 and 2 are read too.
 */
export const BACKUP_VERSION = 3;

const thresholdSchema = z.object({ type: z.enum(['percent', 'amount']), value: z.number().finite().nonnegative() });

/** Most keys one file may bring (issue #7.14); a larger file is refused before anything is merged. */
export const MAX_IMPORT_KEYS = 1000;
/** Largest file the Import input reads, in bytes (All API Hub backups carry caches, so this is generous). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** A key's stable id (version 3, automation.md §3.4). */
const idSchema = z
  .string({ message: 'must be text' })
  .min(1, 'must not be empty')
  .max(200, 'is longer than 200 characters')
  .refine((v) => v.trim() === v, 'must not start or end with a space')
  .refine((v) => !UNSAFE_CHARACTERS.test(v), UNSAFE_MESSAGE);
/** When a key last changed, Unix milliseconds (version 3). */
const updatedAtSchema = z
  .number({ message: 'must be Unix milliseconds' })
  .int('must be Unix milliseconds')
  .positive('must be Unix milliseconds')
  .max(8.64e15, 'must be Unix milliseconds');

const backupKeySchema = z
  .object({
    label: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(200, 'is longer than 200 characters')
      .refine((v) => !UNSAFE_CHARACTERS.test(v), UNSAFE_MESSAGE),
    baseUrl: z.string().transform((value, ctx) => {
      const root = normaliseSiteRoot(value);
      if (!root) ctx.addIssue({ code: 'custom', message: 'is not an http(s) URL' });
      return root ?? '';
    }),
    kind: z.enum(KEY_KINDS, { message: `must be one of ${KEY_KINDS.join(', ')}` }),
    secret: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(4096, 'is too long')
      .refine((v) => !UNSAFE_CHARACTERS.test(v), UNSAFE_MESSAGE),
    userId: z.number().int().positive().optional(),
    threshold: thresholdSchema.optional().catch(undefined),
    intervalMinutes: z.number().int().min(1).max(1440).optional().catch(undefined),
    currency: currencySchema.optional(),
    custom: customMappingSchema.optional(),
    watchTokens: z.boolean().optional(),
    expiresAt: z.number().int().positive().max(1e11).optional().catch(undefined),
    // Version 3 (automation.md §3.1, §3.4): kept from the start so that no file loses them on a round trip.
    id: idSchema.optional(),
    updatedAt: updatedAtSchema.optional(),
    muted: z.boolean({ message: 'must be true or false' }).optional(),
    pinned: z.boolean({ message: 'must be true or false' }).optional(),
  })
  .superRefine((key, ctx) => {
    // Each kind's own fields, as its provider declares them (lib/providers).
    if (key.kind === 'auto') return;
    const own = PROVIDERS[key.kind].fields.safeParse(key);
    if (own.success) return;
    for (const issue of own.error.issues) {
      const field = issue.path[0];
      const missing = typeof field === 'string' && (key as Record<string, unknown>)[field] === undefined;
      ctx.addIssue({ code: 'custom', path: issue.path, message: missing ? `is required for kind ${key.kind}` : issue.message });
    }
  });

const backupSchema = z.object({
  format: z.literal(BACKUP_FORMAT, { message: `must be "${BACKUP_FORMAT}"` }),
  version: z.number().int().min(1).max(BACKUP_VERSION, { message: `is newer than this version of Quota Glance understands` }),
  keys: z.array(z.unknown(), { message: 'must be a list' }),
  settings: z.unknown().optional(),
  channels: z.unknown().optional(),
});

export type BackupKey = z.infer<typeof backupKeySchema>;

/** A key brought in by an importer; `keepLabel` marks a label made up from the site, which must not rename a stored key. */
export type ImportedKey = BackupKey & { keepLabel?: boolean };

/** Validates one key as the backup file describes it; the problems name the field. */
export function validateKey(raw: unknown): { ok: true; key: BackupKey } | { ok: false; problems: string[] } {
  const parsed = backupKeySchema.safeParse(raw);
  return parsed.success ? { ok: true, key: parsed.data } : { ok: false, problems: parsed.error.issues.map((i) => describe(i, '')) };
}

/** What a valid backup file holds: its keys and, from version 3, its settings and channels. */
export interface BackupContents {
  keys: BackupKey[];
  /** The file's `settings`, only the fields it names; absent when it has none. */
  settings?: FileSettings;
  channels: Channel[];
  /** Channels of a type this version does not know: skipped and listed, never refusing the file. */
  unknownChannels: UnknownChannel[];
}

export type ParsedBackup = ({ ok: true } & BackupContents) | { ok: false; problems: string[] };

const describe = (issue: z.core.$ZodIssue, where: string) =>
  `${where}${issue.path.length ? ` field "${issue.path.join('.')}"` : ''} ${issue.message}`.trim();

/** Validates a backup file's text. Any problem rejects the whole file, naming the key and field. */
export function parseBackup(text: string): ParsedBackup {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problems: ['The file is not valid JSON.'] };
  }
  const top = backupSchema.safeParse(json);
  if (!top.success) return { ok: false, problems: top.error.issues.map((issue) => describe(issue, 'The file:')) };

  if (top.data.keys.length > MAX_IMPORT_KEYS)
    return { ok: false, problems: [`The file holds ${top.data.keys.length} keys; at most ${MAX_IMPORT_KEYS} can be imported at once.`] };
  const keys: BackupKey[] = [];
  const problems: string[] = [];
  const labels: string[] = [];
  top.data.keys.forEach((raw, index) => {
    const parsed = backupKeySchema.safeParse(raw);
    const label =
      raw && typeof raw === 'object' && typeof (raw as { label?: unknown }).label === 'string'
        ? ` ("${(raw as { label: string }).label.slice(0, 60).replace(new RegExp(UNSAFE_CHARACTERS, 'g'), '\uFFFD')}")`
        : '';
    labels.push(label);
    if (parsed.success) keys.push(parsed.data);
    else problems.push(...parsed.error.issues.map((issue) => describe(issue, `Key ${index + 1}${label}:`)));
  });
  // An id names one key (automation.md §3.4): two keys of one id would update each other.
  if (!problems.length) {
    const first = new Map<string, number>();
    keys.forEach((key, index) => {
      if (key.id === undefined) return;
      const earlier = first.get(key.id);
      if (earlier === undefined) first.set(key.id, index);
      else
        problems.push(
          `Keys ${earlier + 1}${labels[earlier]} and ${index + 1}${labels[index]} have the same field "id" "${key.id.slice(0, 60)}"; each key needs its own.`,
        );
    });
  }
  let settings: FileSettings | undefined;
  if (top.data.settings !== undefined) {
    const parsed = fileSettingsSchema.safeParse(top.data.settings);
    if (parsed.success) settings = parsed.data;
    else problems.push(...parsed.error.issues.map((issue) => describe({ ...issue, path: ['settings', ...issue.path] }, 'The file:')));
  }
  const channels = parseChannels(top.data.channels);
  if (!channels.ok) problems.push(...channels.problems);
  if (problems.length || !channels.ok) return { ok: false, problems };
  return { ok: true, keys, ...(settings ? { settings } : {}), channels: channels.channels, unknownChannels: channels.unknown };
}

/** Why a merge was refused; the component words it. `key` is the 1-based position in the file. */
export type MergeProblem =
  | { code: 'masked-unknown'; key: number; label: string }
  | { code: 'masked-ambiguous'; key: number; label: string; count: number }
  | { code: 'masked-twice'; key: number; label: string; other: number }
  | { code: 'too-many'; count: number; max: number };

export type MergeResult = { ok: true; keys: KeyConfig[]; added: string[]; updated: string[] } | { ok: false; problems: MergeProblem[] };

/** A key's identity (lib/key-save.ts), of its secret or of its masked secret. */
const identity = (baseUrl: string, secret: string) => keyIdentity({ baseUrl, secret });

/** Version 3's flags: `false` is the default, so a stored key without the field already has it. */
const FLAGS = ['muted', 'pinned'] as const;

/**
 * Merges imported keys into stored ones (automation.md §3, §3.4). A key updates the stored
 * key with the same `baseUrl` + `secret`, else the one with the same `id`; anything else is
 * added, keeping the file's `id` (when no stored key holds it) and `updatedAt`. When the two
 * rules name different stored keys, the credential wins: it names the very key, and
 * following the id would overwrite another key's secret and leave two keys with one
 * secret. An update keeps the stored id; its `updatedAt` is the later of the file's and a
 * fresh stamp (lib/storage/keys.ts `stamp`), and an update that changes nothing keeps the
 * stored one. Nothing stored is removed. A masked secret (an export without secrets) may
 * only update a stored key: the one of its id, else the one key it masks. A key listed
 * twice in one file counts once. Linear in stored + imported (maps, no search). Any
 * problem refuses the whole merge.
 */
export function mergeImport(stored: readonly KeyConfig[], imported: readonly ImportedKey[], now: number, newId: () => string): MergeResult {
  const keys = stored.map((key) => ({ ...key }));
  const bySecret = new Map<string, number>();
  const byMask = new Map<string, number[]>();
  const byId = new Map<string, number>();
  const index = (key: KeyConfig, at: number) => {
    bySecret.set(identity(key.baseUrl, key.secret), at);
    const mask = identity(key.baseUrl, maskSecret(key.secret));
    const masks = byMask.get(mask) ?? [];
    if (!masks.includes(at)) byMask.set(mask, [...masks, at]);
    byId.set(key.id, at);
  };
  keys.forEach(index);
  // Ids the file brings are kept for its new keys: a made-up id must not take one of them.
  const fileIds = new Set(imported.flatMap((item) => (item.id === undefined ? [] : [item.id])));
  const freshId = () => {
    const base = newId();
    let id = base;
    for (let n = 2; byId.has(id) || fileIds.has(id); n++) id = `${base}-${n}`;
    return id;
  };
  const added = new Set<string>();
  const updated = new Set<string>();
  const maskedClaims = new Map<number, number>();
  const problems: MergeProblem[] = [];
  for (const [position, item] of imported.entries()) {
    const fields: Omit<KeyConfig, 'id' | 'createdAt' | 'updatedAt'> = {
      label: item.label,
      baseUrl: item.baseUrl,
      kind: item.kind,
      secret: item.secret,
      ...(item.userId !== undefined ? { userId: item.userId } : {}),
      ...(item.threshold ? { threshold: item.threshold as Threshold } : {}),
      ...(item.intervalMinutes !== undefined ? { intervalMinutes: item.intervalMinutes } : {}),
      ...(item.currency !== undefined ? { currency: item.currency } : {}),
      ...(item.custom !== undefined ? { custom: item.custom } : {}),
      ...(item.watchTokens !== undefined ? { watchTokens: item.watchTokens } : {}),
      ...(item.expiresAt !== undefined ? { expiresAt: item.expiresAt } : {}),
    };
    const masked = isMasked(item.secret);
    let at: number | undefined = masked ? undefined : bySecret.get(identity(item.baseUrl, item.secret));
    if (at === undefined && item.id !== undefined) at = byId.get(item.id);
    if (masked) {
      if (at === undefined) {
        const matches = byMask.get(identity(item.baseUrl, item.secret)) ?? [];
        if (matches.length === 0) {
          problems.push({ code: 'masked-unknown', key: position + 1, label: item.label });
          continue;
        }
        if (matches.length > 1) {
          problems.push({ code: 'masked-ambiguous', key: position + 1, label: item.label, count: matches.length });
          continue;
        }
        at = matches[0] as number;
      }
      const earlier = maskedClaims.get(at);
      if (earlier !== undefined) {
        problems.push({ code: 'masked-twice', key: position + 1, label: item.label, other: earlier + 1 });
        continue;
      }
      maskedClaims.set(at, position);
    }
    const existing = at !== undefined ? keys[at] : undefined;
    if (at !== undefined && existing) {
      const next: KeyConfig = {
        ...existing,
        ...fields,
        label: item.keepLabel ? existing.label : fields.label,
        // A file that does not know the kind (`auto`) does not undo a kind already resolved or chosen.
        kind: fields.kind === 'auto' ? existing.kind : fields.kind,
        secret: masked ? existing.secret : fields.secret,
        // A mapping masked by an export without secrets does not replace the working one it came from.
        ...(fields.custom && customIsMasked(fields.custom) && existing.custom ? { custom: existing.custom } : {}),
        threshold: fields.threshold ?? existing.threshold,
      };
      if (next.threshold === undefined) delete next.threshold;
      // A flag the file states is taken; one at its default where the stored key has none keeps the key as it is.
      for (const flag of FLAGS) {
        const value = item[flag];
        if (value !== undefined && (existing[flag] ?? false) !== value) next[flag] = value;
      }
      keys[at] = unchanged(existing, next)
        ? existing
        : { ...next, updatedAt: Math.max(item.updatedAt ?? 0, stamp(existing.updatedAt, now)) };
      if (!masked) index(keys[at] as KeyConfig, at);
      if (!added.has(existing.id)) updated.add(existing.id);
    } else {
      const id = item.id !== undefined && !byId.has(item.id) ? item.id : freshId();
      const key: KeyConfig = {
        id,
        ...fields,
        ...(item.muted ? { muted: true } : {}),
        ...(item.pinned ? { pinned: true } : {}),
        createdAt: now,
        updatedAt: item.updatedAt ?? now,
      };
      keys.push(key);
      index(key, keys.length - 1);
      added.add(id);
    }
  }
  if (!problems.length && keys.length > MAX_STORED_KEYS) problems.push({ code: 'too-many', count: keys.length, max: MAX_STORED_KEYS });
  return problems.length ? { ok: false, problems } : { ok: true, keys, added: [...added], updated: [...updated] };
}

/** Header and query names whose values are credentials, whatever they look like. */
const SECRET_NAME = /auth|token|key|secret|passw|cookie|session|sig|credential/i;
/** A run that could be a credential: 24+ key characters with no space (as lib/redact.ts judges gateway text). */
const TOKEN_LIKE = /[A-Za-z0-9_~%.-]{24,}/g;
/** Credentials mix letters and digits; a long path word (`getUserBalanceInformation`) does not. */
const looksLikeCredential = (run: string) => /\d/.test(run) && /[A-Za-z]/.test(run);
/** Words that name an auth scheme, kept before a masked credential (`Bearer {secret}`). */
const SCHEME = /^(bearer|basic|token|key|apikey)$/i;

/** Every spelling of the key's secret (as typed, bare, URL-encoded) replaced by `{secret}`. */
function withPlaceholder(text: string, secret: string): string {
  const bare = secret
    .trim()
    .replace(/^bearer\s+/i, '')
    .trim();
  const forms = [secret.trim(), bare, encodeURIComponent(bare)].filter((form) => form.length >= 4);
  let out = text;
  for (const form of [...new Set(forms)].sort((a, b) => b.length - a.length)) out = out.split(form).join('{secret}');
  return out;
}

/** A value that is a credential: each word masked but `{secret}` and an auth scheme's name. */
const maskWords = (value: string) =>
  value
    .split(/(\s+)/)
    .map((word) => (/^\s*$/.test(word) || SCHEME.test(word) || /^\{secret\}$/.test(word) ? word : maskSecret(word)))
    .join('');

/** Credential-like runs in a value masked, `{secret}` kept. */
const maskRuns = (value: string) => value.replace(TOKEN_LIKE, (run) => (looksLikeCredential(run) ? maskSecret(run) : run));

/**
 * A custom mapping as exported without secrets: the key's own secret, wherever it was
 * typed (headers, path, query), becomes the `{secret}` placeholder, and anything else
 * secret-like (a header or query parameter named for a credential, a credential-like
 * run) is masked, so the file carries no secret (issue #15, item 5).
 */
export function maskCustom(custom: CustomMapping, secret: string, includeSecrets: boolean): CustomMapping {
  if (includeSecrets) return custom;
  const [pathPart = '', query] = withPlaceholder(custom.path, secret).split(/\?(.*)/s);
  const maskedQuery = query
    ?.split('&')
    .map((pair) => {
      const at = pair.indexOf('=');
      if (at < 0) return maskRuns(pair);
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      return `${name}=${SECRET_NAME.test(decodeURIComponentSafe(name)) && value !== '{secret}' ? maskSecret(value) : maskRuns(value)}`;
    })
    .join('&');
  const path = maskRuns(pathPart) + (maskedQuery === undefined ? '' : `?${maskedQuery}`);
  const headers = custom.headers
    ? Object.fromEntries(
        Object.entries(custom.headers).map(([name, value]) => {
          const placed = withPlaceholder(value, secret);
          return [name, SECRET_NAME.test(name) ? maskWords(placed) : maskRuns(placed)];
        }),
      )
    : undefined;
  return { ...custom, path, ...(headers ? { headers } : {}) };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Whether an exported custom mapping had something masked (it cannot be read as it is). */
export const customIsMasked = (custom: CustomMapping) =>
  [custom.path, ...Object.values(custom.headers ?? {})].some((text) => text.includes(MASK_MARK) || text.includes('••••'));

/** What an export writes besides keys (automation.md §3.4); the export of chosen keys writes none. */
export interface BackupExtras {
  settings: Settings;
  alerts: AlertSettings;
  channels: readonly Channel[];
}

/** The backup file (version 3) for stored keys, and settings and channels when given; secrets are masked unless asked for. */
export function buildBackup(keys: readonly KeyConfig[], includeSecrets: boolean, now: number, extras?: BackupExtras): string {
  return `${JSON.stringify(
    {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      exportedAt: new Date(now).toISOString(),
      secretsIncluded: includeSecrets,
      keys: keys.map((key) => ({
        // Only what a file may carry: a hand-edited stored id or time must not make the export unreadable.
        ...(idSchema.safeParse(key.id).success ? { id: key.id } : {}),
        label: key.label,
        baseUrl: key.baseUrl,
        kind: key.kind,
        secret: includeSecrets ? key.secret : maskSecret(key.secret),
        ...(key.userId !== undefined ? { userId: key.userId } : {}),
        ...(key.threshold ? { threshold: key.threshold } : {}),
        ...(key.intervalMinutes !== undefined ? { intervalMinutes: key.intervalMinutes } : {}),
        ...(key.currency !== undefined ? { currency: key.currency } : {}),
        ...(key.custom !== undefined ? { custom: maskCustom(key.custom, key.secret, includeSecrets) } : {}),
        ...(key.watchTokens !== undefined ? { watchTokens: key.watchTokens } : {}),
        ...(key.expiresAt !== undefined ? { expiresAt: key.expiresAt } : {}),
        muted: key.muted ?? false,
        pinned: key.pinned ?? false,
        ...(updatedAtSchema.safeParse(key.updatedAt).success ? { updatedAt: key.updatedAt } : {}),
      })),
      ...(extras
        ? {
            settings: settingsForFile(extras.settings, extras.alerts),
            channels: extras.channels.map((channel) => channelForFile(channel, includeSecrets)),
          }
        : {}),
    },
    null,
    2,
  )}\n`;
}
