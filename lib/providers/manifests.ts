import { collect, type FolderModules } from './collect';
import type { Manifest } from './manifest';
import { PROVIDER_IDS, type ProviderId } from './pages';

export { PROVIDER_IDS, type ProviderId };

/**
 * Every kind's manifest (`lib/providers/<folder>/manifest.ts`), by backup `kind`, in the
 * registry's order (lib/providers/pages.ts). Everything that lists kinds (stored kinds,
 * labels, top-up pages, expiry wording, the mask, auto's order, All API Hub's names) is
 * derived from these. No zod and no readers here; the readers are in lib/providers/index.ts.
 */
export const MANIFESTS = collect<ProviderId, Manifest>(
  import.meta.glob<unknown>('./*/manifest.ts', { eager: true, import: 'manifest' }) as FolderModules,
  (value) => typeof value.label === 'object' && typeof value.expiry === 'string',
  PROVIDER_IDS,
  'manifest.ts',
);

/** A kind's manifest, typed as any manifest (for reading optional fields). */
export const manifestOf = (kind: ProviderId): Manifest => MANIFESTS[kind];
