import { render } from 'preact';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { appearanceItem, appearanceOf } from '@/lib/appearance';
import { applyPageAppearance } from '@/lib/page-setup';
import { compactStatuses, withoutSecrets } from '@/lib/popup-view';
import { keysItem, localArea, settingsItem } from '@/lib/storage';
import { statusReader } from '@/lib/storage-layout';
import { App, type PopupData } from './App';
import './style.css';
import { splitKeys } from '@/lib/stored-shape';
import { noteChangesFromNow } from '@/lib/use-stored';

// Two storage reads before the first render, so the popup opens already showing every key:
// the whole items, then the status of each key they list (one item per key,
// lib/storage-layout.ts). Changes are noted from here on, so the watchers read again
// only if one lands meanwhile.
noteChangesFromNow(browser.storage.onChanged);
const [keys, settings, appearance] = await storage.getItems([keysItem, settingsItem, appearanceItem]);
// The same keys as keysItem gives: a malformed stored key is kept in storage, not shown.
const shown = splitKeys(keys?.value).keys;
const statuses = await statusReader(localArea, async () => shown).getValue();
const initial = {
  keys: withoutSecrets(shown),
  statuses: compactStatuses(statuses),
  settings: settings?.value,
  appearance: appearance?.value,
} as PopupData;
const locale = await applyPageAppearance(appearanceOf(initial.appearance), browser);
render(<App locale={locale} initial={initial} />, document.getElementById('app') as HTMLElement);
