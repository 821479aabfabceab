// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyRow } from '@/components/KeyRow';
import type { KeyConfig, KeyKind } from '@/lib/model';
import { manifestOf, PROVIDER_IDS } from '@/lib/providers/manifests';
import { topUpPage } from '@/lib/top-up';
import { makeKey, NOW } from './helpers';

afterEach(cleanup);

const key = (kind: KeyKind, baseUrl: string): Pick<KeyConfig, 'kind' | 'baseUrl'> => ({ kind, baseUrl });

describe('the page where a person adds money (issue #9, item 2)', () => {
  it.each([
    // Relay gateways: new-api's current wallet route, under the site root and its path prefix.
    ['newapi-token', 'https://relay.example.com', undefined, 'https://relay.example.com/console/topup'],
    ['newapi-user', 'http://127.0.0.1:3000/relay', undefined, 'http://127.0.0.1:3000/relay/console/topup'],
    // One-api, one-hub, done-hub, older new-api: a billing key does not say which, so the root.
    ['openai-billing', 'https://one.example.com', undefined, 'https://one.example.com'],
    // `auto`: the kind it was last read as decides; not read yet, only a provider host can tell.
    ['auto', 'https://relay.example.com', 'newapi-token', 'https://relay.example.com/console/topup'],
    ['auto', 'https://relay.example.com', 'openai-billing', 'https://relay.example.com'],
    ['auto', 'https://relay.example.com', undefined, 'https://relay.example.com'],
    ['auto', 'https://api.deepseek.com', undefined, 'https://platform.deepseek.com/top_up'],
    // Providers: their own console page for their own API host; a proxy or an unconfirmed platform keeps its root.
    ['openrouter', 'https://openrouter.ai', undefined, 'https://openrouter.ai/settings/credits'],
    ['openrouter', 'http://127.0.0.1:4000', undefined, 'http://127.0.0.1:4000'],
    ['deepseek', 'https://api.deepseek.com', undefined, 'https://platform.deepseek.com/top_up'],
    ['moonshot', 'https://api.moonshot.cn', undefined, 'https://platform.moonshot.cn/console/pay'],
    ['moonshot', 'https://api.moonshot.ai', undefined, 'https://api.moonshot.ai'],
    ['siliconflow', 'https://api.siliconflow.cn', undefined, 'https://cloud.siliconflow.cn/expensebill'],
    ['siliconflow', 'https://api.siliconflow.com', undefined, 'https://api.siliconflow.com'],
    ['stepfun', 'https://api.stepfun.com', undefined, 'https://api.stepfun.com'],
    ['r9s-manager', 'https://portal-api.r9s.ai', undefined, 'https://portal-api.r9s.ai'],
    ['custom', 'https://proxy.example.com', undefined, 'https://proxy.example.com'],
  ] as const)('%s on %s (read as %s) → %s', (kind, baseUrl, detected, page) => {
    expect(topUpPage(key(kind, baseUrl), detected)).toBe(page);
  });

  it("names only hosts the registry reads for that provider, and each page is the manifest's", () => {
    for (const id of PROVIDER_IDS) {
      const rule = manifestOf(id).topUp;
      if (!rule || !('pages' in rule)) continue;
      for (const [host, page] of Object.entries(rule.pages)) {
        expect(manifestOf(id).hosts ?? []).toContain(host);
        expect(topUpPage({ kind: id, baseUrl: `https://${host}` })).toBe(page);
      }
    }
  });

  it("the popup row's link opens the top-up page and says so", () => {
    const relay = makeKey({ id: 'r', label: 'laptop', kind: 'newapi-token', baseUrl: 'https://relay.example.com', secret: 'sk-x' });
    render(<KeyRow keyConfig={relay} status={undefined} state="pending" now={NOW} locale="en-US" />);
    const link = screen.getByRole('link', { name: 'Add funds: open the site of laptop' });
    expect(link.getAttribute('href')).toBe('https://relay.example.com/console/topup');
    expect(link.getAttribute('target')).toBe('_blank');
  });
});
