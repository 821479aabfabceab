// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SettingsForm } from '@/components/SettingsForm';
import { DEFAULT_SETTINGS } from '@/lib/state';

afterEach(cleanup);

describe('settings: default low amounts (issue #7, item 1)', () => {
  it('shows 1 USD, 7 CNY, 500,000 tokens and 1 otherwise next to the percentage, and saves a change', () => {
    const onSave = vi.fn();
    render(<SettingsForm settings={DEFAULT_SETTINGS} onSave={onSave} />);
    expect(screen.getByText('Low warning for balances without a granted total (an amount per unit)')).toBeTruthy();
    const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
    expect([field('USD').value, field('CNY').value, field('tokens').value, field('other units').value]).toEqual(['1', '7', '500000', '1']);
    fireEvent.input(field('USD'), { target: { value: '2.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    expect(onSave).toHaveBeenCalledWith(expect.objectContaining({ defaultLowAmounts: { USD: 2.5, CNY: 7, tokens: 500_000, other: 1 } }));
  });

  it('refuses a negative or empty amount', () => {
    const onSave = vi.fn();
    render(<SettingsForm settings={DEFAULT_SETTINGS} onSave={onSave} />);
    fireEvent.input(screen.getByLabelText('CNY'), { target: { value: '-1' } });
    expect((screen.getByRole('button', { name: 'Save settings' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
