// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type RemoveOutcome, UnreadableKeys } from '@/components/UnreadableKeys';

/** The unreadable keys' offers, props in and events out (issue #19, item 7): the page reads, saves and removes. */
afterEach(cleanup);

/** A removal that ends when the test says. */
function deferred() {
  let settle: (outcome: RemoveOutcome) => void = () => undefined;
  const promise = new Promise<RemoveOutcome>((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

describe('UnreadableKeys', () => {
  it('shows nothing when every stored key can be read', () => {
    const { container } = render(<UnreadableKeys count={0} onSave={vi.fn()} onRemove={vi.fn()} />);
    expect(container.textContent).toBe('');
  });

  it('asks the page to save them, and to remove them only after one more question', async () => {
    const onSave = vi.fn();
    const removal = deferred();
    const onRemove = vi.fn(() => removal.promise);
    const { rerender } = render(<UnreadableKeys count={2} onSave={onSave} onRemove={onRemove} />);
    fireEvent.click(screen.getByRole('button', { name: 'Save them to a file (secrets included)' }));
    expect(onSave).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Remove them' }));
    expect(onRemove).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Remove 2 unreadable keys for good' }));
    expect(onRemove).toHaveBeenCalledTimes(1);
    // The page's count drops to 0 as the entries go; what was removed is still said, with focus on it.
    rerender(<UnreadableKeys count={0} onSave={onSave} onRemove={onRemove} />);
    removal.settle({ ok: true });
    const said = await screen.findByText('Removed 2 unreadable keys.');
    await waitFor(() => expect(document.activeElement).toBe(said));
    expect(screen.queryByRole('button', { name: 'Remove them' })).toBeNull();
  });

  it('says why when they could not be removed, and keeps the offers', async () => {
    render(<UnreadableKeys count={1} onSave={vi.fn()} onRemove={async () => ({ ok: false, message: 'QUOTA_BYTES quota exceeded' })} />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove them' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove 1 unreadable key for good' }));
    await screen.findByText(/QUOTA_BYTES quota exceeded/);
    expect(screen.getByRole('button', { name: 'Remove them' })).toBeTruthy();
  });

  it('says so when the background cannot be reached', async () => {
    render(<UnreadableKeys count={1} onSave={vi.fn()} onRemove={() => Promise.reject(new Error('Receiving end does not exist.'))} />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove them' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove 1 unreadable key for good' }));
    await screen.findByText(/Receiving end does not exist\./);
  });
});
