// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyForm } from '@/components/KeyForm';

afterEach(cleanup);

const form = (probeAnswer?: unknown) => {
  const onSubmit = vi.fn();
  render(<KeyForm defaultThresholdText="10%" defaultInterval={30} busy={false} onSubmit={onSubmit} probeAnswer={probeAnswer} />);
  const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
  return { onSubmit, type };
};

describe('key form', () => {
  it('says what is missing and submits nothing', () => {
    const { onSubmit } = form();
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    expect(screen.getByText('Enter a label.')).toBeTruthy();
    expect(screen.getByText('Enter an http(s) address.')).toBeTruthy();
    expect(screen.getByText('Enter the key.')).toBeTruthy();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('normalises a pasted API address to the site root', () => {
    const { onSubmit, type } = form();
    type('Label', ' laptop ');
    type('Site address', 'https://relay.example.com/v1/');
    type('Key or access token', ' sk-abc ');
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    expect(onSubmit).toHaveBeenCalledWith(
      { label: 'laptop', baseUrl: 'https://relay.example.com', kind: 'auto', secret: 'sk-abc' },
      'save',
    );
  });

  it('fills in r9s.ai’s address for a management key', () => {
    const { onSubmit, type } = form();
    type('Label', 'team');
    type('Key or access token', 'sk_mg_0123abcd');
    fireEvent.click(screen.getByRole('button', { name: 'Test' }));
    expect(onSubmit).toHaveBeenCalledWith(
      { label: 'team', baseUrl: 'https://portal-api.r9s.ai', kind: 'auto', secret: 'sk_mg_0123abcd' },
      'test',
    );
  });

  it('asks for the user id of a new-api account', () => {
    const { onSubmit, type } = form();
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'newapi-user' } });
    type('Label', 'wallet');
    type('Site address', 'https://relay.example.com');
    type('Key or access token', 'token');
    type('User id', 'forty-two');
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    expect(screen.getByText('Enter your numeric user id.')).toBeTruthy();
    type('User id', '42');
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ kind: 'newapi-user', userId: 42 }), 'save');
  });

  it.each([
    ['openrouter', 'https://openrouter.ai'],
    ['deepseek', 'https://api.deepseek.com'],
    ['moonshot', 'https://api.moonshot.cn'],
    ['siliconflow', 'https://api.siliconflow.cn'],
    ['stepfun', 'https://api.stepfun.com'],
    ['r9s-manager', 'https://portal-api.r9s.ai'],
  ])('fills in the home address of %s', (kind, site) => {
    const { onSubmit, type } = form();
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: kind } });
    expect((screen.getByLabelText('Site address') as HTMLInputElement).value).toBe(site);
    type('Label', 'mine');
    type('Key or access token', 'sk-abc');
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ kind, baseUrl: site }), 'save');
  });

  it('fills in OpenRouter’s address for an sk-or- key left on auto', () => {
    const { onSubmit, type } = form();
    type('Label', 'router');
    type('Key or access token', 'sk-or-v1-abc');
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ kind: 'auto', baseUrl: 'https://openrouter.ai' }), 'save');
  });

  it('offers a unit only where the answer does not state it, preselecting the host’s', () => {
    const { onSubmit, type } = form();
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'deepseek' } });
    expect(screen.queryByLabelText('Unit of the amounts')).toBeNull();
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'moonshot' } });
    const unit = () => screen.getByLabelText('Unit of the amounts') as HTMLSelectElement;
    expect(unit().value).toBe('CNY');
    type('Site address', 'https://api.moonshot.ai');
    expect(unit().value).toBe('USD');
    type('Label', 'kimi');
    type('Key or access token', 'sk-abc');
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    expect(onSubmit).toHaveBeenLastCalledWith(expect.not.objectContaining({ currency: expect.anything() }), 'save');
    fireEvent.change(unit(), { target: { value: 'EUR' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    expect(onSubmit).toHaveBeenLastCalledWith(expect.objectContaining({ kind: 'moonshot', currency: 'EUR' }), 'save');
  });

  it('builds a custom mapping: path, headers, figure paths, scale', () => {
    const { onSubmit, type } = form();
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'custom' } });
    type('Label', 'proxy');
    type('Site address', 'https://proxy.example.com');
    type('Key or access token', 'abc123');
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    expect(screen.getByText('Enter a path starting with /.')).toBeTruthy();
    type('Endpoint path', '/api/balance');
    type('Request headers', 'X-Api-Key: {secret}\nbroken line');
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    expect(screen.getByText('Write each header as Name: value, one per line.')).toBeTruthy();
    expect(screen.getByText('Say where the remaining amount is, or the granted and used amounts.')).toBeTruthy();
    type('Request headers', 'X-Api-Key: {secret}');
    type('Granted amount at', 'data.total');
    type('Used amount at', '/data/used');
    type('Divide amounts by', '500000');
    fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
    expect(onSubmit).toHaveBeenLastCalledWith(
      expect.objectContaining({
        kind: 'custom',
        custom: { path: '/api/balance', headers: { 'X-Api-Key': '{secret}' }, granted: 'data.total', used: '/data/used', scale: 500000 },
      }),
      'save',
    );
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it('shows a tested answer as a tree: choosing a value fills the field being edited, and the mapped reading follows', () => {
    const { type } = form({ data: { balance: '7.5', list: [{ 'a/b': 3 }] }, token: '•••' });
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'custom' } });
    expect(screen.getByText(/Choose a value to use its path/)).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Say where the remaining amount is, or the granted and used amounts.');
    fireEvent.click(screen.getByRole('button', { name: '"7.5"' }));
    expect((screen.getByLabelText('Remaining amount at') as HTMLInputElement).value).toBe('/data/balance');
    expect(document.querySelector('[data-figure="remaining"]')?.textContent).toBe('7.5 USD');
    fireEvent.focus(screen.getByLabelText('Granted amount at'));
    fireEvent.click(screen.getByRole('button', { name: '3' }));
    expect((screen.getByLabelText('Granted amount at') as HTMLInputElement).value).toBe('/data/list/0/a~1b');
    expect(document.querySelector('[data-figure="used"]')?.textContent).toBe('-4.5 USD');
    type('Remaining amount at', '/data/nothing');
    expect(screen.getByText('"remaining" (/data/nothing) names nothing in the answer')).toBeTruthy();
  });
});
