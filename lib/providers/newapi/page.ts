import type { PageFacts } from '../manifest';

/**
 * new-api's routes (top-up): the web router (QuantumNous/new-api web/src/App.jsx) serves the
 * wallet at `/console/topup`; releases before the /console layout served `/topup`, which
 * current servers answer with their 404 page. The version is not known here: the current route wins.
 */
const NEWAPI_TOP_UP = { path: '/console/topup' } as const;

/** What the pages show of this kind (lib/providers/pages.ts): all the popup loads of this kind. */
export const tokenPage = {
  id: 'newapi-token',
  expiry: 'reported',
  topUp: NEWAPI_TOP_UP,
} as const satisfies PageFacts;

/** What the pages show of this kind (lib/providers/pages.ts): all the popup loads of this kind. */
export const billingPage = {
  id: 'openai-billing',
  expiry: 'never-reported',
} as const satisfies PageFacts;

/** What the pages show of this kind (lib/providers/pages.ts): all the popup loads of this kind. */
export const accountPage = {
  id: 'newapi-user',
  expiry: 'no-expiry',
  topUp: NEWAPI_TOP_UP,
} as const satisfies PageFacts;

/** The folder's kinds, for the registry (lib/providers/pages.ts). */
export const page = [tokenPage, billingPage, accountPage];
