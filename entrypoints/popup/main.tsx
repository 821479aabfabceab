import { browser } from '@wxt-dev/browser';
import { render } from 'preact';
import { appearanceOf } from '@/lib/appearance';
import { applyPageAppearance } from '@/lib/page-setup';
import { newerLayout, pageChannelStatus, pageLocal, pageStorageProblem, pageStoredProblems, settingsOf } from '@/lib/page-store';
import { compactStatuses, lastShownIds, withoutSecrets } from '@/lib/popup-view';
import { statusesAlongside } from '@/lib/storage/layout';
import { splitKeys } from '@/lib/storage/shape';
import { noteChangesFromNow } from '@/lib/storage/use-stored';
import { App, type PopupData } from './App';
import './style.css';

// Storage is read once before the first render, so the popup opens already showing every
// key: the whole items, and beside them the status of each key the popup showed last
// time (one item per key, lib/storage/layout.ts); a key added since is read after.
// Changes are noted from here on, so the watchers read again only if one lands meanwhile.
noteChangesFromNow(browser.storage.onChanged);
// One read of the whole items (lib/page-store.ts reads the same ones), beside the statuses.
const items = pageLocal.get(['keys', 'settings', 'appearance', pageChannelStatus.key, 'storageVersion']);
const session = browser.storage.session.get([pageStorageProblem.key, pageStoredProblems.key]).catch(() => ({}) as Record<string, unknown>);
const { keys: shown, statuses } = await statusesAlongside(
  pageLocal,
  lastShownIds.read(),
  // The same keys as pageKeys gives: a malformed stored key is kept in storage, not shown.
  items.then(({ keys }) => splitKeys(keys).keys),
);
const [stored, problems] = await Promise.all([items, session]);
const initial = {
  keys: withoutSecrets(shown),
  statuses: compactStatuses(statuses),
  settings: settingsOf(stored.settings),
  appearance: stored.appearance,
  channelStatus: pageChannelStatus.read(stored[pageChannelStatus.key]),
  storageProblem: pageStorageProblem.read(problems[pageStorageProblem.key]),
  storedProblems: newerLayout(stored.storageVersion, Date.now()) ?? pageStoredProblems.read(problems[pageStoredProblems.key]),
} as PopupData;
const locale = await applyPageAppearance(appearanceOf(initial.appearance), browser);
render(<App locale={locale} initial={initial} />, document.getElementById('app') as HTMLElement);
// For the next time the popup opens (ids only: nothing secret).
setTimeout(() => lastShownIds.write(shown.map((k) => k.id)));
