// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageProblem } from '@/components/StorageProblem';
import { newerLayout, pageStorageProblem, pageStoredProblems } from '@/lib/page-store';
import { storageProblemItem, storedProblemsItem } from '@/lib/storage/items';
import { STORAGE_VERSION } from '@/lib/storage/layout';
import { useStored } from '@/lib/storage/use-stored';

/** The banner as the popup feeds it: what the background stored, read the popup's way (lib/page-store.ts). */
function StoredBanner() {
  return <StorageProblem problem={useStored(pageStorageProblem)} unreadable={useStored(pageStoredProblems)} />;
}

afterEach(cleanup);

describe('storage problem banner (issue #7, item 9)', () => {
  it('says so while storage refuses writes, and goes when it works again', async () => {
    render(<StoredBanner />);
    expect(screen.queryByRole('alert')).toBeNull();
    await storageProblemItem.setValue({ at: 1, message: 'QUOTA_BYTES quota exceeded' });
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Could not save: the browser refused to store data (QUOTA_BYTES quota exceeded)',
    );
    await storageProblemItem.setValue(null);
    await expect.poll(() => screen.queryByRole('alert')).toBeNull();
  });

  it('says stored data of a newer version was left alone, and that updating the extension is the way out', async () => {
    render(<StoredBanner />);
    await storedProblemsItem.setValue({ at: 1, keys: 0, settings: [], statuses: 0, caches: 0, newer: { layout: 4, reads: 3 } });
    expect((await screen.findByRole('status')).textContent).toBe(
      'Stored data was written by a newer version of Quota Glance (layout 4; this version reads 3). Update the extension; nothing was changed, and keys are not read until then.',
    );
  });
});

describe('a popup opened on a newer layout before the background reported it (issue #19, item 7)', () => {
  it('says so from the stored version alone', () => {
    render(<StorageProblem problem={null} unreadable={newerLayout(STORAGE_VERSION + 1, 1)} />);
    expect(screen.getByRole('status').textContent).toContain(`layout ${STORAGE_VERSION + 1}; this version reads ${STORAGE_VERSION}`);
  });

  it('says nothing for today’s layout or an older one', () => {
    for (const version of [STORAGE_VERSION, STORAGE_VERSION - 1, undefined, String(STORAGE_VERSION + 1)])
      expect(newerLayout(version, 1)).toBeNull();
  });
});
