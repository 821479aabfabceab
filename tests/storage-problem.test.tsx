// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { StorageProblem } from '@/components/StorageProblem';
import { storageProblemItem } from '@/lib/storage';

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
});
