import { render } from 'preact';
import { browser } from 'wxt/browser';
import { App } from './App';
import './style.css';

document.documentElement.lang = browser.i18n.getUILanguage();
render(<App locale={browser.i18n.getUILanguage()} />, document.getElementById('app') as HTMLElement);
