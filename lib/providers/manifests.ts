import { manifest as custom } from './custom/manifest';
import { manifest as deepseek } from './deepseek/manifest';
import { manifest as glmCoding } from './glm-coding/manifest';
import { manifest as kimiCode } from './kimi-code/manifest';
import type { Manifest } from './manifest';
import { manifest as moonshot } from './moonshot/manifest';
import { accountManifest, billingManifest, tokenManifest } from './newapi/manifest';
import { manifest as openrouter } from './openrouter/manifest';
import { manifest as r9sManager } from './r9s-manager/manifest';
import { manifest as siliconflow } from './siliconflow/manifest';
import { manifest as stepfun } from './stepfun/manifest';

/**
 * Every kind of key Quota Glance reads, by backup `kind`, in the order the form offers
 * them: one line per provider folder (`lib/providers/<id>/manifest.ts`). Everything that
 * lists kinds (stored kinds, labels, top-up pages, expiry wording, the mask, auto's order,
 * All API Hub's names) is derived from these. No zod and no readers here: the popup
 * imports this; the readers are added in lib/providers/index.ts.
 */
export const MANIFESTS = {
  'newapi-token': tokenManifest,
  'openai-billing': billingManifest,
  'newapi-user': accountManifest,
  'r9s-manager': r9sManager,
  openrouter,
  deepseek,
  moonshot,
  siliconflow,
  stepfun,
  'glm-coding': glmCoding,
  'kimi-code': kimiCode,
  custom,
} as const satisfies { [K in string]: Manifest & { id: K } };

/** A kind the registry reads (every kind but `auto`). */
export type ProviderId = keyof typeof MANIFESTS;

/** The registry's kinds, in its order. */
export const PROVIDER_IDS = Object.keys(MANIFESTS) as ProviderId[];

/** A kind's manifest, typed as any manifest (for reading optional fields). */
export const manifestOf = (kind: ProviderId): Manifest => MANIFESTS[kind];
