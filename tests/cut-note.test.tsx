// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyRow } from '@/components/KeyRow';
import type { KeyStatus } from '@/lib/model';
import { storageRefusedStatus } from '@/lib/reading-budget';
import { makeKey, NOW, usdStatus } from './helpers';

afterEach(cleanup);

const key = makeKey({ id: 'ds', label: 'deepseek', baseUrl: 'https://api.deepseek.com', secret: 'sk-x' });
const open = () => fireEvent.click(screen.getByRole('button', { name: /deepseek/ }));

describe("a row's details say what its reading lost to the storage budget", () => {
  it('names the lists that were shortened', () => {
    const status = usdStatus(88.5, { otherBalances: [{ unit: { code: 'EUR' }, amount: 4000 }], cut: ['otherBalances', 'tokens'] });
    render(<KeyRow keyConfig={key} status={status} state="ok" now={NOW} locale="en-US" />);
    open();
    expect(screen.getByText('Too large to store in full; shortened: other currencies, keys of this account')).toBeTruthy();
    // The balances kept are still shown.
    expect(document.querySelector('.provider-figures')?.textContent).toContain('€4,000.00');
  });

  it('says nothing for a reading that lost nothing', () => {
    render(<KeyRow keyConfig={key} status={usdStatus(88.5)} state="ok" now={NOW} locale="en-US" />);
    open();
    expect(document.body.textContent).not.toContain('shortened');
  });

  it('a key whose reading storage refused: its figures, and an error that says why', () => {
    const status: KeyStatus = storageRefusedStatus(
      usdStatus(88.5, { otherBalances: [{ unit: { code: 'EUR' }, amount: 1 }] }),
      'QUOTA_BYTES quota exceeded',
    );
    const { container } = render(<KeyRow keyConfig={key} status={status} state="error" now={NOW} locale="en-US" />);
    open();
    expect(container.querySelector('[data-key-row]')?.getAttribute('data-remaining')).toBe('88.5');
    expect(container.querySelector('.error')?.textContent).toBe(
      "Could not store this reading: the browser's storage for Quota Glance is full.",
    );
    expect(container.textContent).toContain('shortened: other currencies');
  });
});
