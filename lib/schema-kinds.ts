import { PROVIDER_IDS } from './providers/pages';

/**
 * The kinds a stored key may have: `auto` and the provider registry's, in its order,
 * from the zod-free manifests (lib/providers/manifests.ts), so the stored shapes
 * (lib/schema.ts) and the popup's cheap checks (lib/storage/shape.ts) need neither the
 * readers nor zod.
 */
export const STORED_KINDS = ['auto', ...PROVIDER_IDS] as const;

/** A kind the registry reads (every stored kind but `auto`). */
export type StoredResolvedKind = Exclude<(typeof STORED_KINDS)[number], 'auto'>;
