import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseMessagesText } from '@wxt-dev/i18n/build';
import { describe, expect, it } from 'vitest';
import type { KindLabel } from '@/lib/providers/manifest';
import { MANIFESTS } from '@/lib/providers/manifests';

/** Every message of a locale file as the browser shows it (plural forms each). */
const read = (file: string) =>
  parseMessagesText(readFileSync(resolve(process.cwd(), 'locales', file), 'utf8'), 'YAML').flatMap((m) => {
    const texts = 'message' in m ? [String(m.message)] : 'plurals' in m ? Object.values(m.plurals).map(String) : [];
    return texts.map((text) => ({ key: m.key.join('_'), text }));
  });
const zh = read('zh_CN.yml');
const ja = read('ja.yml');

describe('one word for a key, and the punctuation of the language (issue #19, item 4)', () => {
  it('zh-CN says 密钥 for a key: 令牌 only in 访问令牌, an account’s access token (new-api’s own setting)', () => {
    const other = zh.filter((m) => m.text.replaceAll('访问令牌', '').includes('令牌'));
    expect(other).toEqual([]);
    expect(zh.filter((m) => m.text.includes('密钥')).length).toBeGreaterThan(100);
  });

  it('zh-CN and ja put no space after a full-width colon, and list with 、', () => {
    for (const messages of [zh, ja]) expect(messages.filter((m) => /：\s/.test(m.text))).toEqual([]);
    expect(zh.find((m) => m.key === 'listSeparator')?.text).toBe('、');
    expect(ja.find((m) => m.key === 'listSeparator')?.text).toBe('、');
  });

  it('zh-CN and ja name a channel line and title with their own colon and brackets (issue #19)', () => {
    for (const messages of [zh, ja]) {
      const lines = messages.filter((m) => /^(channel|window|plan|notify)/.test(m.key) && !/^channelHint|^channelField/.test(m.key));
      expect(lines.filter((m) => /[^:/]:(?!\/\/)|\(|\)/.test(m.text.replace(/https?:\/\/\S*/g, '')))).toEqual([]);
    }
  });

  it('ja says キー for a key, never 鍵', () => {
    expect(ja.filter((m) => m.text.includes('鍵'))).toEqual([]);
  });

  it('ja says チャンネル and ブラウザ, as Chrome’s own Japanese does, never チャネル or ブラウザー (a review found both of each)', () => {
    expect(ja.filter((m) => /チャネル|ブラウザー/.test(m.text))).toEqual([]);
  });
});

describe('the empty state names every gateway and provider; the description, within the Web Store’s 132 characters, the main ones', () => {
  const brands = (locale: 'en' | 'zh_CN' | 'ja') => [
    'new-api',
    'one-api',
    'r9s.ai',
    ...Object.values(MANIFESTS).flatMap((m) => {
      const label: KindLabel = m.label;
      return 'brand' in label ? [(locale !== 'en' && label.localBrand?.[locale]) || label.brand] : [];
    }),
  ];
  it.each(['en', 'zh_CN', 'ja'] as const)('in %s', (locale) => {
    const messages = read(`${locale}.yml`);
    const text = (key: string) => messages.find((m) => m.key === key)?.text ?? '';
    expect({ key: 'emptyBody', missing: brands(locale).filter((b) => !text('emptyBody').includes(b)) }).toEqual({
      key: 'emptyBody',
      missing: [],
    });
    // The Chrome Web Store refuses a manifest description over 132 characters: every brand cannot fit (issue #19, item 4).
    const description = text('extDescription');
    expect(description.length).toBeLessThanOrEqual(132);
    const main = ['new-api', 'one-api', 'Sub2API', 'Claude', 'r9s.ai', 'OpenRouter', 'DeepSeek', 'GLM', 'Kimi'];
    expect(main.filter((b) => !description.includes(b))).toEqual([]);
  });
});
