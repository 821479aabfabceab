/**
 * The domain vocabulary shared by every layer: what a stored key is, what one
 * reading of it says, and the ways a reading can fail. The stored shapes are
 * defined once, as zod schemas, in lib/schema.ts (issue #7, item 15); their types
 * are re-exported here under their usual names.
 */

import { PROVIDER_IDS, type ProviderId } from './providers/pages';
import type { KeyStatus, ReadError, Reading, ResolvedKind } from './schema';

export type {
  BalancePart,
  CustomMapping,
  ErrorKind,
  KeyConfig,
  KeyKind,
  KeyState,
  KeyStatus,
  ReadError,
  Reading,
  ReadingScope,
  ResolvedKind,
  Threshold,
  Unit,
} from './schema';

/** Compiles only while the stored kinds (lib/schema-kinds.ts) are exactly the registry's. */
export type StoredKindsMatchRegistry = Assert<Same<ProviderId, ResolvedKind>>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

/** Kinds a user can choose, from the provider registry; `auto` is resolved on the first successful read. */
export const KEY_KINDS = ['auto', ...PROVIDER_IDS] as const;

/** Why a read produced no reading (shared/spec/automation.md §4, `data-error`). */
export const ERROR_KINDS = ['auth', 'forbidden', 'rate-limited', 'timeout', 'network', 'server', 'bad-response', 'not-supported'] as const;

/**
 * A read's result. A failure may still carry fresh figures: a disabled new-api key
 * still reports its quota on the token route while the gateway refuses to use it.
 */
export type ReadOutcome = { ok: true; reading: Reading } | { ok: false; error: ReadError; reading?: Reading };

export const emptyStatus = (): KeyStatus => ({ reading: null, error: null, attemptedAt: null, failures: 0 });
