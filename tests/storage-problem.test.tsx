// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageProblem } from '@/components/StorageProblem';
import { pageSettings, pageStorageProblem, pageStoredProblems } from '@/lib/page-store';
import { useStored } from '@/lib/use-stored';

/** The banner as the popup feeds it: what the background stored, read the popup's way (lib/page-store.ts). */
function StoredBanner() {
  return (
    <StorageProblem problem={useStored(pageStorageProblem)} unreadable={useStored(pageStoredProblems)} settings={useStored(pageSettings)} />
  );
}

import { storageProblemItem } from '@/lib/storage';

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
});
