/**
 * The outbox in storage (`local:outbox`, ./outbox.ts): written only by the background,
 * listed by the options page. Messages hold labels, sites and figures, never a secret.
 */
import { storage } from 'wxt/utils/storage';

export const outboxItem = storage.defineItem<unknown>('local:outbox', { fallback: { entries: [] }, version: 1 });
