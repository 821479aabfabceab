import { page as claudeCodeHub } from './claude-code-hub/page';
import { page as claudeRelay } from './claude-relay/page';
import { page as custom } from './custom/page';
import { page as deepseek } from './deepseek/page';
import { page as glmCoding } from './glm-coding/page';
import { page as kimiCode } from './kimi-code/page';
import type { PageFacts } from './manifest';
import { page as moonshot } from './moonshot/page';
import { accountPage, billingPage, tokenPage } from './newapi/page';
import { page as openrouter } from './openrouter/page';
import { page as r9sManager } from './r9s-manager/page';
import { page as siliconflow } from './siliconflow/page';
import { page as stepfun } from './stepfun/page';
import { page as sub2api } from './sub2api/page';

/**
 * What the pages show of every kind (lib/providers/manifest.ts `PageFacts`), in the
 * registry's order: the popup imports this, never the whole manifests (labels, hosts,
 * prefixes, probes, import names), which the options page and the background read from
 * lib/providers/manifests.ts. Each entry is spread into its kind's manifest.
 */
export const PAGES = {
  'newapi-token': tokenPage,
  'openai-billing': billingPage,
  'newapi-user': accountPage,
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
} as const satisfies { [K in string]: PageFacts & { id: K } };

/** A kind the registry reads (every kind but `auto`). */
export type ProviderId = keyof typeof PAGES;

/** The registry's kinds, in its order. */
export const PROVIDER_IDS = Object.keys(PAGES) as ProviderId[];

/** A kind's page facts, typed as any kind's (for reading optional fields). */
export const pageOf = (kind: ProviderId): PageFacts => PAGES[kind];
