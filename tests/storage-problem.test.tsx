// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageProblem } from '@/components/StorageProblem';
import { storageProblemItem, storedProblemsItem } from '@/lib/storage/items';

afterEach(cleanup);

describe('storage problem banner (issue #7, item 9)', () => {
  it('says so while storage refuses writes, and goes when it works again', async () => {
    render(<StorageProblem />);
    expect(screen.queryByRole('alert')).toBeNull();
    await storageProblemItem.setValue({ at: 1, message: 'QUOTA_BYTES quota exceeded' });
    expect((await screen.findByRole('alert')).textContent).toContain(
      'Could not save: the browser refused to store data (QUOTA_BYTES quota exceeded)',
    );
    await storageProblemItem.setValue(null);
    await expect.poll(() => screen.queryByRole('alert')).toBeNull();
  });

  it('says stored data of a newer version was left alone, and that updating the extension is the way out', async () => {
    render(<StorageProblem />);
    await storedProblemsItem.setValue({ at: 1, keys: 0, settings: [], statuses: 0, caches: 0, newer: { layout: 4, reads: 3 } });
    expect((await screen.findByRole('status')).textContent).toBe(
      'Stored data was written by a newer version of Quota Glance (layout 4; this version reads 3). Update the extension; nothing was changed, and keys are not read until then.',
    );
  });
});
