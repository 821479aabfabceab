import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import background from '@/entrypoints/background';
import { storedProblemsItem } from '@/lib/storage/items';

const odd = JSON.parse(readFileSync('tests/fixtures/storage/v3-odd.json', 'utf8')) as Record<string, unknown>;

describe('the background checks stored data when it starts (issue #7, item 15)', () => {
  it('reports what fails its schema, and changes nothing stored', async () => {
    await fakeBrowser.storage.local.set(structuredClone(odd));
    const before = structuredClone(await fakeBrowser.storage.local.get(null));
    await background.main();
    await expect.poll(() => storedProblemsItem.getValue()).toMatchObject({ keys: 2, statuses: 1, caches: 2 });
    expect(await fakeBrowser.storage.local.get(null)).toEqual(before);
  });
});
