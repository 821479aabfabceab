import { render } from 'preact';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { appearanceItem, appearanceOf } from '@/lib/appearance';
import { applyPageAppearance } from '@/lib/page-setup';
import { compactStatuses, lastShownIds, withoutSecrets } from '@/lib/popup-view';
import { withDefaults } from '@/lib/state';
import { keysItem, localArea, settingsItem } from '@/lib/storage/items';
import { statusesAlongside } from '@/lib/storage/layout';
import { App, type PopupData } from './App';
import './style.css';
import { splitKeys } from '@/lib/storage/shape';
import { noteChangesFromNow } from '@/lib/storage/use-stored';

// Storage is read once before the first render, so the popup opens already showing every
// key: the whole items, and beside them the status of each key the popup showed last
// time (one item per key, lib/storage/layout.ts); a key added since is read after.
// Changes are noted from here on, so the watchers read again only if one lands meanwhile.
noteChangesFromNow(browser.storage.onChanged);
const items = storage.getItems([keysItem, settingsItem, appearanceItem]);
const { keys: shown, statuses } = await statusesAlongside(
  localArea,
  lastShownIds.read(),
  // The same keys as keysItem gives: a malformed stored key is kept in storage, not shown.
  items.then(([keys]) => splitKeys(keys?.value).keys),
);
const [, settings, appearance] = await items;
const initial = {
  keys: withoutSecrets(shown),
  statuses: compactStatuses(statuses),
  settings: withDefaults(settings?.value),
  appearance: appearance?.value,
} as PopupData;
const locale = await applyPageAppearance(appearanceOf(initial.appearance), browser);
render(<App locale={locale} initial={initial} />, document.getElementById('app') as HTMLElement);
// For the next time the popup opens (ids only: nothing secret).
setTimeout(() => lastShownIds.write(shown.map((k) => k.id)));
