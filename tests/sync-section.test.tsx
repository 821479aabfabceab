// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SyncSection } from '@/components/SyncSection';
import type { SyncStatus } from '@/lib/sync/stored';

afterEach(cleanup);

const NOW = Date.UTC(2026, 11, 7, 10, 0, 0);
const handlers = () => ({ onTurnOn: vi.fn(async () => true), onSyncNow: vi.fn(), onTurnOff: vi.fn() });
const show = (status: SyncStatus, h = handlers()) => {
  render(<SyncSection status={status} busy={false} problem={null} locale="en-US" {...h} />);
  return h;
};
const statusElement = () => document.querySelector('[data-sync-status]') as HTMLElement;
/** The status element's contract attributes (automation.md §6). */
const attributes = () => ({
  status: statusElement().getAttribute('data-sync-status'),
  at: statusElement().getAttribute('data-sync-at'),
  error: statusElement().getAttribute('data-sync-error'),
});

describe('the Sync section (automation.md §6)', () => {
  it('off: the four inputs and Turn on sync, which sends what was typed', async () => {
    const h = show({ status: 'off', at: null, error: null });
    expect(attributes()).toEqual({ status: 'off', at: '', error: '' });
    expect(screen.queryByRole('button', { name: 'Sync now' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Turn off sync' })).toBeNull();
    fireEvent.input(screen.getByLabelText('WebDAV address'), { target: { value: 'https://dav.example.com/qg' } });
    fireEvent.input(screen.getByLabelText('WebDAV user'), { target: { value: 'ann' } });
    fireEvent.input(screen.getByLabelText('WebDAV password'), { target: { value: 'pw' } });
    fireEvent.input(screen.getByLabelText('Sync passphrase'), { target: { value: 'words' } });
    expect(screen.getByLabelText('WebDAV password').getAttribute('type')).toBe('password');
    expect(screen.getByLabelText('Sync passphrase').getAttribute('type')).toBe('password');
    fireEvent.click(screen.getByRole('button', { name: 'Turn on sync' }));
    expect(h.onTurnOn).toHaveBeenCalledWith({ address: 'https://dav.example.com/qg', user: 'ann', password: 'pw', passphrase: 'words' });
  });

  it('on: the folder, the last sync, Sync now and Turn off sync, without the empty setup fields', () => {
    const h = show({ status: 'ok', at: NOW, error: null, address: 'https://dav.example.com/qg', user: 'ann' });
    expect(attributes()).toEqual({ status: 'ok', at: String(NOW), error: '' });
    expect(screen.getByText('Syncing with https://dav.example.com/qg as ann.')).toBeTruthy();
    expect(statusElement().textContent).toContain('Last sync: ');
    for (const label of ['WebDAV address', 'WebDAV user', 'WebDAV password', 'Sync passphrase'])
      expect(screen.queryByLabelText(label)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Turn on sync' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    fireEvent.click(screen.getByRole('button', { name: 'Turn off sync' }));
    expect(h.onSyncNow).toHaveBeenCalledOnce();
    expect(h.onTurnOff).toHaveBeenCalledOnce();
  });

  it('on: "Change folder or passphrase" shows the setup fields, the folder and user filled in', async () => {
    const h = show({ status: 'ok', at: NOW, error: null, address: 'https://dav.example.com/qg', user: 'ann' });
    fireEvent.click(screen.getByRole('button', { name: 'Change folder or passphrase' }));
    expect((screen.getByLabelText('WebDAV address') as HTMLInputElement).value).toBe('https://dav.example.com/qg');
    expect((screen.getByLabelText('WebDAV user') as HTMLInputElement).value).toBe('ann');
    expect((screen.getByLabelText('Sync passphrase') as HTMLInputElement).value).toBe('');
    fireEvent.input(screen.getByLabelText('Sync passphrase'), { target: { value: 'new words' } });
    fireEvent.click(screen.getByRole('button', { name: 'Turn on sync' }));
    expect(h.onTurnOn).toHaveBeenCalledWith({ address: 'https://dav.example.com/qg', user: 'ann', password: '', passphrase: 'new words' });
    // Once on again, the fields go.
    await screen.findByRole('button', { name: 'Change folder or passphrase' });
    expect(screen.queryByLabelText('Sync passphrase')).toBeNull();
  });

  it('on but failing: the setup fields stay, to put right what failed (a wrong passphrase)', () => {
    show({
      status: 'error',
      at: null,
      error: 'This passphrase does not open the vault',
      code: 'wrong-passphrase',
      address: 'https://dav.example.com/qg',
      user: 'ann',
    });
    expect(screen.getByLabelText('Sync passphrase')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Turn on sync' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Sync now' })).toBeTruthy();
  });

  it('an error: data-sync-error as the background said it, the page in the person’s language', () => {
    show({ status: 'error', at: NOW, error: 'This passphrase does not open the vault', code: 'wrong-passphrase' });
    expect(attributes()).toEqual({ status: 'error', at: String(NOW), error: 'This passphrase does not open the vault' });
    expect(statusElement().textContent).toContain('Sync failed: This passphrase does not open the vault.');
    // And what to do about it (a review: "vault" was said nowhere else, and nothing said what next).
    expect(statusElement().textContent).toContain('enter that passphrase, or choose another folder. Nothing here was changed.');
    cleanup();
    show({ status: 'error', at: null, error: 'Sync failed: something new', code: null });
    expect(statusElement().textContent).toContain('Sync failed: Sync failed: something new');
  });
});
