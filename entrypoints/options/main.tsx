import { render } from 'preact';
import { browser } from 'wxt/browser';
import { appearanceOf } from '@/lib/appearance';
import { appearanceItem } from '@/lib/appearance-item';
import { applyPageAppearance } from '@/lib/page-setup';
import { App } from './App';
import './style.css';

const locale = await applyPageAppearance(appearanceOf(await appearanceItem.getValue()), browser);
render(<App locale={locale} />, document.getElementById('app') as HTMLElement);
