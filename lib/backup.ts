import { z } from 'zod';
import { type CustomMapping, KEY_KINDS, type KeyConfig, type Threshold } from './model';
import { PROVIDERS } from './providers';
import { currencySchema, customMappingSchema } from './providers/fields';
import { normaliseSiteRoot } from './site';

/** Backup file format (shared/spec/automation.md §3). */
export const BACKUP_FORMAT = 'quota-glance';
/** Version 2 added the provider kinds, `custom`, `currency` and `watchTokens` (automation.md §3); version 1 files are read too. */
export const BACKUP_VERSION = 2;

const thresholdSchema = z.object({ type: z.enum(['percent', 'amount']), value: z.number().finite().nonnegative() });

const backupKeySchema = z
  .object({
    label: z.string().trim().min(1, 'must not be empty').max(200, 'is longer than 200 characters'),
    baseUrl: z.string().transform((value, ctx) => {
      const root = normaliseSiteRoot(value);
      if (!root) ctx.addIssue({ code: 'custom', message: 'is not an http(s) URL' });
      return root ?? '';
    }),
    kind: z.enum(KEY_KINDS, { message: `must be one of ${KEY_KINDS.join(', ')}` }),
    secret: z.string().trim().min(1, 'must not be empty').max(4096, 'is too long'),
    userId: z.number().int().positive().optional(),
    threshold: thresholdSchema.optional().catch(undefined),
    intervalMinutes: z.number().int().min(1).max(1440).optional().catch(undefined),
    currency: currencySchema.optional(),
    custom: customMappingSchema.optional(),
    watchTokens: z.boolean().optional(),
    expiresAt: z.number().int().positive().max(1e11).optional().catch(undefined),
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
});

export type BackupKey = z.infer<typeof backupKeySchema>;

export type ParsedBackup = { ok: true; keys: BackupKey[] } | { ok: false; problems: string[] };

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

  const keys: BackupKey[] = [];
  const problems: string[] = [];
  top.data.keys.forEach((raw, index) => {
    const parsed = backupKeySchema.safeParse(raw);
    const label =
      raw && typeof raw === 'object' && typeof (raw as { label?: unknown }).label === 'string'
        ? ` ("${(raw as { label: string }).label.slice(0, 60)}")`
        : '';
    if (parsed.success) keys.push(parsed.data);
    else problems.push(...parsed.error.issues.map((issue) => describe(issue, `Key ${index + 1}${label}:`)));
  });
  return problems.length ? { ok: false, problems } : { ok: true, keys };
}

export type MergeResult = { ok: true; keys: KeyConfig[]; added: string[]; updated: string[] } | { ok: false; problems: string[] };

/**
 * Merges imported keys into stored ones: same `baseUrl` + `secret` updates the stored
 * key (keeping its id), anything else is added; nothing stored is removed. A masked
 * secret (from an export without secrets) may only update the stored key it masks.
 */
export function mergeImport(stored: readonly KeyConfig[], imported: readonly BackupKey[], now: number, newId: () => string): MergeResult {
  const keys = stored.map((key) => ({ ...key }));
  const added: string[] = [];
  const updated: string[] = [];
  const problems: string[] = [];
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
    const index = keys.findIndex(
      (key) => key.baseUrl === item.baseUrl && (masked ? maskSecret(key.secret) === item.secret : key.secret === item.secret),
    );
    const existing = index >= 0 ? keys[index] : undefined;
    if (existing) {
      const secret = masked ? existing.secret : fields.secret;
      keys[index] = { ...existing, ...fields, secret, threshold: fields.threshold ?? existing.threshold, updatedAt: now };
      updated.push(existing.id);
    } else if (masked) {
      problems.push(`Key ${position + 1} ("${item.label}"): field "secret" is masked; export with secrets to move keys.`);
    } else {
      const id = newId();
      keys.push({ id, ...fields, createdAt: now, updatedAt: now });
      added.push(id);
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, keys, added, updated };
}

const MASK_MARK = '…';
const isMasked = (secret: string) => secret.includes(MASK_MARK) || /^•+$/.test(secret);

/** A secret as shown to people and in exports without secrets: first and last characters only. */
export function maskSecret(secret: string): string {
  const s = secret.trim();
  if (s.length <= 8) return '•'.repeat(Math.max(4, s.length));
  const head = s.startsWith('sk_mg_') ? 8 : s.startsWith('sk-') ? 5 : 3;
  return `${s.slice(0, head)}…${s.slice(-4)}`;
}

/** A custom mapping as exported: header values that hold the secret keep the `{secret}` placeholder. */
function maskCustom(custom: CustomMapping, secret: string, includeSecrets: boolean): CustomMapping {
  if (!custom.headers || includeSecrets) return custom;
  const headers = Object.fromEntries(
    Object.entries(custom.headers).map(([name, value]) => [
      name,
      secret && value.includes(secret) ? value.split(secret).join('{secret}') : value,
    ]),
  );
  return { ...custom, headers };
}

/** The backup file for stored keys; secrets are masked unless asked for. */
export function buildBackup(keys: readonly KeyConfig[], includeSecrets: boolean, now: number): string {
  return `${JSON.stringify(
    {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      exportedAt: new Date(now).toISOString(),
      secretsIncluded: includeSecrets,
      keys: keys.map((key) => ({
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
      })),
    },
    null,
    2,
  )}\n`;
}
