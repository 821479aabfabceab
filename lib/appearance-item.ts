import { storage } from 'wxt/utils/storage';
import { type Appearance, DEFAULT_APPEARANCE } from './appearance';

/**
 * How the pages look (lib/appearance.ts), stored apart from Settings: only the pages read
 * it, never the background. The popup reads the same stored value without this library
 * (lib/page-store.ts `pageAppearance`).
 */
export const appearanceItem = storage.defineItem<Appearance>('local:appearance', { fallback: DEFAULT_APPEARANCE, version: 1 });
