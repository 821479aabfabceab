import { render } from 'preact';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { appearanceItem, appearanceOf } from '@/lib/appearance';
import { applyPageAppearance } from '@/lib/page-setup';
import { compactStatuses, withoutSecrets } from '@/lib/popup-view';
import { keysItem, settingsItem, statusesItem } from '@/lib/storage';
import { App, type PopupData } from './App';
import './style.css';
import { splitKeys } from '@/lib/stored-shape';
import { noteChangesFromNow } from '@/lib/use-stored';

// One storage read before the first render: the popup opens already showing every key.
// Changes are noted from here on, so the watchers read again only if one lands meanwhile.
noteChangesFromNow(browser.storage.onChanged);
// Statuses are one item per key (lib/storage-layout.ts), read beside the whole items.
const [[keys, settings, appearance], statuses] = await Promise.all([
  storage.getItems([keysItem, settingsItem, appearanceItem]),
  statusesItem.getValue(),
]);
const initial = {
  // The same keys as keysItem gives: a malformed stored key is kept in storage, not shown.
  keys: withoutSecrets(splitKeys(keys?.value).keys),
  statuses: compactStatuses(statuses),
  settings: settings?.value,
  appearance: appearance?.value,
} as PopupData;
const locale = await applyPageAppearance(appearanceOf(initial.appearance), browser);
render(<App locale={locale} initial={initial} />, document.getElementById('app') as HTMLElement);
