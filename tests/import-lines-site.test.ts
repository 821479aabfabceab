import { describe, expect, it } from 'vitest';
import { parseLines } from '@/lib/imports/lines';

describe('pasted lines get the key form’s address fix (issue #19, item 4)', () => {
  it('cuts an API route to the site root, keeps a site prefix, and leaves a plain root alone', () => {
    const { keys, skipped } = parseLines(
      [
        'https://relay.example.com/v1/chat/completions sk-aaaa Chat relay',
        'https://gw.example.cn/relay/v1/models sk-bbbb',
        'http://127.0.0.1:3000/relay sk-cccc Local',
        'https://api.example.org/api/usage/token sk-dddd',
      ].join('\n'),
    );
    expect(skipped).toEqual([]);
    expect(keys.map((k) => [k.baseUrl, k.label])).toEqual([
      ['https://relay.example.com', 'Chat relay'],
      ['https://gw.example.cn/relay', 'gw.example.cn'],
      ['http://127.0.0.1:3000/relay', 'Local'],
      ['https://api.example.org', 'api.example.org'],
    ]);
  });
});
