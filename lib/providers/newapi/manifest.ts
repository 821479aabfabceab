import type { Manifest } from '../manifest';
import { accountPage, billingPage, tokenPage } from './page';

/**
 * An `sk-` key on a new-api gateway, read on its token route (shared/spec/new-api.md §1).
 * `auto` asks it first where the site's `/api/status` says new-api, else after billing,
 * sparing the token route's small rate budget (§6.1).
 */
export const tokenManifest = {
  ...tokenPage,
  label: { message: 'kindNewapiToken' },
  probe: { rank: 2, newApiRank: 0 },
  allApiHub: { telemetryModes: ['newApiTokenUsage'] },
} as const satisfies Manifest;

/**
 * A key on any gateway with OpenAI-style billing: new-api, one-api, one-hub, done-hub,
 * Veloera (shared/spec/new-api.md §2, §7, §8). No top-up page: one-api serves `/topup`
 * (songquanpeng/one-api web/default/src/App.js), one-hub and done-hub `/panel/topup`
 * (MartialBE/one-hub web/src/routes/MainRoutes.jsx), older new-api `/topup`; a billing
 * key does not say which fork it is on, so it opens the root.
 */
export const billingManifest = {
  ...billingPage,
  label: { message: 'kindOpenaiBilling' },
  probe: { rank: 1 },
  // `access_until` 0 means never *or* unknown (new-api.md §2): billing cannot say.
  allApiHub: { telemetryModes: ['openaiBilling'] },
} as const satisfies Manifest;

/** A new-api account: system access token + user id, its wallet (shared/spec/new-api.md §4). */
export const accountManifest = {
  ...accountPage,
  label: { message: 'kindNewapiUser' },
  form: 'account',
  // imports.md §D.1.4: only new-api itself takes the New-Api-User header this kind sends.
  allApiHub: { siteTypes: ['new-api'] },
} as const satisfies Manifest;

/** The folder's kinds, for the registry (lib/providers/manifests.ts). */
export const manifest = [tokenManifest, billingManifest, accountManifest];
