import { manifest as claudeCodeHub } from './claude-code-hub/manifest';
import { manifest as claudeRelay } from './claude-relay/manifest';
import { manifest as custom } from './custom/manifest';
import { manifest as deepseek } from './deepseek/manifest';
import { manifest as glmCoding } from './glm-coding/manifest';
import { manifest as kimiCode } from './kimi-code/manifest';
import type { Manifest } from './manifest';
import { PROVIDER_IDS, type ProviderId } from './pages';

export { PROVIDER_IDS, type ProviderId };

import { manifest as moonshot } from './moonshot/manifest';
import { accountManifest, billingManifest, tokenManifest } from './newapi/manifest';
import { manifest as openrouter } from './openrouter/manifest';
import { manifest as r9sManager } from './r9s-manager/manifest';
import { manifest as siliconflow } from './siliconflow/manifest';
import { manifest as stepfun } from './stepfun/manifest';
import { manifest as sub2api } from './sub2api/manifest';

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
  'claude-relay': claudeRelay,
  'claude-code-hub': claudeCodeHub,
  'glm-coding': glmCoding,
  'kimi-code': kimiCode,
  custom,
  sub2api,
} as const satisfies { [K in ProviderId]: Manifest & { id: K } };

/** A kind's manifest, typed as any manifest (for reading optional fields). */
export const manifestOf = (kind: ProviderId): Manifest => MANIFESTS[kind];
