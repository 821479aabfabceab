import { z } from 'zod';
import { isMoment } from '../../bounds';
import type { CustomMapping, KeyConfig, ReadError, Reading } from '../../model';
import { clean } from '../../units';
import type { Adapter } from '../adapter';
import { failure } from '../adapter';
import { keyUnit, providerJson } from '../common';
import { currencySchema, customMappingSchema } from '../fields';
import { bareSecret } from '../secret';
import type { Provider } from '../types';
import { manifest } from './manifest';

/** Nothing is at this path. */
const MISSING = Symbol('missing');

/**
 * The value a path names in a JSON answer (shared/spec/automation.md §3.1): a path
 * starting with `/` is a JSON Pointer (RFC 6901, `~1` is `/`, `~0` is `~`); any other
 * is dot-separated names, where a segment of digits indexes an array.
 */
export function lookUp(root: unknown, path: string): unknown {
  const segments = path.startsWith('/')
    ? path
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    : path.split('.');
  let here: unknown = root;
  for (const segment of segments) {
    if (Array.isArray(here)) {
      if (!/^(0|[1-9]\d*)$/.test(segment) || Number(segment) >= here.length) return MISSING;
      here = here[Number(segment)];
    } else if (here !== null && typeof here === 'object' && Object.hasOwn(here, segment)) {
      here = (here as Record<string, unknown>)[segment];
    } else {
      return MISSING;
    }
  }
  return here;
}

/** The JSON Pointer that names a place in an answer, for a path picked in the answer's tree. */
export function pointerOf(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

const decimal = /^\s*[-+]?\d+(\.\d+)?\s*$/;

class MappingError extends Error {}

const nameOf = (field: string, path: string) => `"${field}" (${path})`;

function amountAt(body: unknown, field: string, path: string, scale: number): number {
  const value = lookUp(body, path);
  if (value === MISSING) throw new MappingError(`${nameOf(field, path)} names nothing in the answer`);
  const number = typeof value === 'number' ? value : typeof value === 'string' && decimal.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(number)) throw new MappingError(`${nameOf(field, path)} is not a number`);
  return clean(number / scale);
}

function expiryAt(body: unknown, path: string): number | null {
  const value = lookUp(body, path);
  if (value === MISSING) throw new MappingError(`${nameOf('expiresAt', path)} names nothing in the answer`);
  // automation.md §3.1: 0, -1 and null mean never.
  if (value === null || value === 0 || value === -1 || value === '0' || value === '-1') return null;
  let seconds: number | null = null;
  if (typeof value === 'number' || (typeof value === 'string' && decimal.test(value))) {
    const n = Number(value);
    if (Number.isFinite(n) && n > 0) seconds = Math.floor(n > 1e11 ? n / 1000 : n);
  } else if (typeof value === 'string') {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms) && ms > 0) seconds = Math.floor(ms / 1000);
  }
  if (seconds === null) throw new MappingError(`${nameOf('expiresAt', path)} is not a date`);
  // 9e15 ms is the year 287,000: said here, by its path, rather than as the sanity gate's "out of range" (lib/bounds.ts).
  if (!isMoment(seconds)) throw new MappingError(`${nameOf('expiresAt', path)} is out of range: ${String(value).slice(0, 32)}`);
  return seconds;
}

/** Maps a successful JSON answer to a reading by the key's mapping, or says which path is wrong. */
export function mapAnswer(
  body: unknown,
  mapping: CustomMapping,
  key: KeyConfig,
  now: number,
): { ok: true; reading: Reading } | { ok: false; error: ReadError } {
  const scale = mapping.scale ?? 1;
  if (!(Number.isFinite(scale) && scale > 0)) return { ok: false, error: { kind: 'bad-response', message: '"scale" must be above 0' } };
  try {
    let unlimited = false;
    if (mapping.unlimited) {
      const flag = lookUp(body, mapping.unlimited);
      if (flag === MISSING) throw new MappingError(`${nameOf('unlimited', mapping.unlimited)} names nothing in the answer`);
      if (typeof flag !== 'boolean') throw new MappingError(`${nameOf('unlimited', mapping.unlimited)} is not true or false`);
      unlimited = flag;
    }
    // An unlimited key may leave its amounts out or null: only a capped key needs them.
    const figure = (field: 'granted' | 'used' | 'remaining') => {
      const path = mapping[field];
      if (!path) return null;
      try {
        return amountAt(body, field, path, scale);
      } catch (cause) {
        if (unlimited) return null;
        throw cause;
      }
    };
    const granted = figure('granted');
    const usedRead = figure('used');
    let remaining = figure('remaining');
    if (remaining === null && granted !== null && usedRead !== null) remaining = clean(granted - usedRead);
    if (remaining === null && !unlimited) throw new MappingError('needs "remaining", or "granted" with "used"');
    const used = usedRead ?? (granted !== null && remaining !== null ? clean(granted - remaining) : null);
    const expiresAt = mapping.expiresAt ? expiryAt(body, mapping.expiresAt) : null;
    return {
      ok: true,
      reading: {
        kind: 'custom',
        scope: 'unqualified',
        unit: keyUnit(key) ?? { code: 'USD' },
        unlimited,
        remaining: unlimited ? null : remaining,
        granted: unlimited ? null : granted,
        used,
        expiresAt,
        fetchedAt: now,
      },
    };
  } catch (cause) {
    if (cause instanceof MappingError) return { ok: false, error: { kind: 'bad-response', message: cause.message } };
    throw cause;
  }
}

/** The request headers of a custom key: its own, with `{secret}` filled in, or `Authorization: Bearer`. */
export function customHeaders(key: KeyConfig, mapping: CustomMapping): Record<string, string> {
  const secret = bareSecret(key.secret);
  if (!mapping.headers || Object.keys(mapping.headers).length === 0) return { Authorization: `Bearer ${secret}` };
  return Object.fromEntries(Object.entries(mapping.headers).map(([name, value]) => [name, value.split('{secret}').join(secret)]));
}

/**
 * The URL a custom key asks: `baseUrl` + `path`, with `{secret}` in the path or query
 * filled in (URL-encoded), for endpoints that take the key as a query parameter. Typing
 * the secret itself into the path works too, but an export without secrets then has to
 * mask it (lib/backup.ts); `{secret}` keeps the path shareable.
 */
export function customUrl(key: KeyConfig, mapping: CustomMapping): string {
  return `${key.baseUrl}${mapping.path.split('{secret}').join(encodeURIComponent(bareSecret(key.secret)))}`;
}

function sameOrigin(url: string, siteRoot: string): boolean {
  try {
    return new URL(url).origin === new URL(siteRoot).origin;
  } catch {
    return false;
  }
}

/** Any JSON endpoint, read by the key's `custom` mapping (shared/spec/automation.md §3.1). */
export const readCustom: Adapter = async (key, context) => {
  const mapping = customMappingSchema.safeParse(key.custom);
  if (!mapping.success) return failure('bad-response', 'the key has no usable custom mapping');
  const url = customUrl(key, mapping.data);
  // The secret goes to the key's own origin only (automation.md §5), whatever the path says.
  if (!sameOrigin(url, key.baseUrl)) return failure('not-supported', 'the path leaves the site');
  const answer = await providerJson(url, customHeaders(key, mapping.data), context);
  if (!answer.ok) return answer;
  context.onAnswer?.(answer.body);
  return mapAnswer(answer.body, mapping.data, key, context.now());
};

export const custom = {
  ...manifest,
  unit: { from: 'key', otherwise: 'USD' },
  fields: z.object({ custom: customMappingSchema, currency: currencySchema.optional() }),
  read: readCustom,
} satisfies Provider;

/** This folder's kind, for the registry (lib/providers/index.ts). */
export const provider = custom;
