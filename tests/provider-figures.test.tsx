// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyRow } from '@/components/KeyRow';
import type { KeyStatus, Reading } from '@/lib/model';
import { makeKey, NOW } from './helpers';

afterEach(cleanup);

const reading = (fields: Partial<Reading>): Reading => ({
  kind: 'deepseek',
  scope: 'account',
  unit: { code: 'CNY' },
  unlimited: false,
  remaining: 42.7,
  granted: null,
  used: null,
  expiresAt: null,
  fetchedAt: NOW,
  ...fields,
});

function open(fields: Partial<Reading>) {
  const status: KeyStatus = { reading: reading(fields), error: null, attemptedAt: NOW, failures: 0 };
  render(
    <KeyRow
      keyConfig={makeKey({ label: 'p', baseUrl: 'https://api.example.com', secret: 's' })}
      status={status}
      state="ok"
      now={NOW}
      locale="en-US"
    />,
  );
  fireEvent.click(screen.getByRole('button', { name: /^p/ }));
  return document.querySelector('.row-details')?.textContent ?? '';
}

describe('what a provider says beyond the balance (issue #8 §2)', () => {
  it('DeepSeek: granted and topped-up parts, and its other currencies', () => {
    const text = open({
      parts: [
        { part: 'granted', amount: 10 },
        { part: 'paid', amount: 32.7 },
      ],
      otherBalances: [{ unit: { code: 'USD' }, amount: 1.5 }],
    });
    expect(text).toContain('granted CN¥10.00 · paid CN¥32.70');
    expect(text).toContain('$1.50');
  });

  it('OpenRouter: when the cap resets, and the spend today, this week, this month', () => {
    const text = open({
      kind: 'openrouter',
      scope: 'key',
      unit: { code: 'USD' },
      remaining: 12.75,
      granted: 20,
      resetPeriod: 'monthly',
      usageWindows: { day: 0.2, week: 1.1, month: 7.25 },
    });
    expect(text).toContain("The key's cap resets every month");
    expect(text).toContain('Spent today $0.20, this week $1.10, this month $7.25');
  });

  it('Moonshot: voucher and cash apart, cash may be negative; StepFun: how it pays', () => {
    expect(
      open({
        kind: 'moonshot',
        parts: [
          { part: 'voucher', amount: 2 },
          { part: 'cash', amount: -4.25 },
        ],
      }),
    ).toContain('voucher CN¥2.00 · cash -CN¥4.25');
    cleanup();
    expect(open({ kind: 'stepfun', billing: 'postpaid' })).toContain('Postpaid account');
  });
});

describe('a row drawn light (far down the list)', () => {
  it('opens its details when its label is clicked, before any scroll', () => {
    const status: KeyStatus = {
      reading: null,
      error: { kind: 'bad-response', message: 'HTTP 502, a web page', at: NOW },
      attemptedAt: NOW,
      failures: 1,
    };
    render(
      <KeyRow
        keyConfig={makeKey({ label: 'far', baseUrl: 'https://far.example.com', secret: 's' })}
        status={status}
        state="error"
        now={NOW}
        locale="en-US"
        lite
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: /^far/ }));
    expect(document.querySelector('.row-details')?.textContent).toContain("The site's answer was not a quota reading.");
  });
});
