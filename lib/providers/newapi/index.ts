import { z } from 'zod';
import { noFields } from '../fields';
import type { Provider } from '../types';
import { readNewApiUser } from './account';
import { readOpenAiBilling } from './billing';
import { accountManifest, billingManifest, tokenManifest } from './manifest';
import { newApiPolicy } from './policy';
import { readNewApiToken } from './token';

/**
 * The new-api family's three kinds live in one folder: they read one gateway, share its
 * display units (`/api/status`), its token route's rate budget and the billing fallback
 * that reads a token key as a billing key (shared/spec/new-api.md §3, §6.1), so apart
 * they would import each other across folders.
 */

/** An `sk-` key on a new-api gateway, read on its token route (shared/spec/new-api.md §1). */
export const newapiToken = {
  ...tokenManifest,
  unit: { from: 'site-display' },
  fields: noFields,
  read: readNewApiToken,
  // The token route's budget, `/api/status` display cache and billing fallback (shared/spec/new-api.md §3, §6.1).
  policy: newApiPolicy,
} satisfies Provider;

/** A key on any gateway with OpenAI-style billing (shared/spec/new-api.md §2). */
export const openaiBilling = {
  ...billingManifest,
  unit: { from: 'site-display' },
  fields: noFields,
  read: readOpenAiBilling,
} satisfies Provider;

/** A new-api account: system access token + user id, its wallet (shared/spec/new-api.md §4). */
export const newapiUser = {
  ...accountManifest,
  unit: { from: 'site-display' },
  fields: z.object({ userId: z.number().int().positive(), watchTokens: z.boolean().optional() }),
  read: readNewApiUser,
} satisfies Provider;

/** This folder's kinds, for the registry (lib/providers/index.ts). */
export const provider = [newapiToken, openaiBilling, newapiUser];
