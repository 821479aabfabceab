import { render } from 'preact';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { keysItem, settingsItem, statusesItem } from '@/lib/storage';
import { App, type PopupData } from './App';
import './style.css';

const locale = browser.i18n.getUILanguage();
document.documentElement.lang = locale;

// One storage read before the first render: the popup opens already showing every key.
const [[keys, settings], statuses] = await Promise.all([storage.getItems([keysItem, settingsItem]), statusesItem.getValue()]);
const initial = { keys: keys?.value, statuses, settings: settings?.value } as PopupData;
render(<App locale={locale} initial={initial} />, document.getElementById('app') as HTMLElement);
