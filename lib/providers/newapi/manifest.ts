import type { Manifest } from '../manifest';

/**
 * new-api's routes (top-up): the web router (QuantumNous/new-api web/src/App.jsx) serves the
 * wallet at `/console/topup`; releases before the /console layout served `/topup`, which
 * current servers answer with their 404 page. The version is not known here: the current route wins.
 */
const NEWAPI_TOP_UP = { path: '/console/topup' } as const;

/**
 * An `sk-` key on a new-api gateway, read on its token route (shared/spec/new-api.md §1).
 * `auto` asks it first where the site's `/api/status` says new-api, else after billing,
 * sparing the token route's small rate budget (§6.1).
 */
export const tokenManifest = {
  id: 'newapi-token',
  label: { message: 'kindNewapiToken' },
  probe: { rank: 2, newApiRank: 0 },
  expiry: 'reported',
  topUp: NEWAPI_TOP_UP,
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
  id: 'openai-billing',
  label: { message: 'kindOpenaiBilling' },
  probe: { rank: 1 },
  // `access_until` 0 means never *or* unknown (new-api.md §2): billing cannot say.
  expiry: 'never-reported',
  allApiHub: { telemetryModes: ['openaiBilling'] },
} as const satisfies Manifest;

/** A new-api account: system access token + user id, its wallet (shared/spec/new-api.md §4). */
export const accountManifest = {
  id: 'newapi-user',
  label: { message: 'kindNewapiUser' },
  expiry: 'no-expiry',
  topUp: NEWAPI_TOP_UP,
  form: 'account',
  // imports.md §D.1.4: only new-api itself takes the New-Api-User header this kind sends.
  allApiHub: { siteTypes: ['new-api'] },
} as const satisfies Manifest;
