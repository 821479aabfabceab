// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyForm } from '@/components/KeyForm';
import { SettingsForm } from '@/components/SettingsForm';
import { DEFAULT_SETTINGS } from '@/lib/state';

afterEach(cleanup);

const form = (probeAnswer?: unknown) => {
  const onSubmit = vi.fn();
  const onChange = vi.fn();
  render(
    <KeyForm
      defaultThresholdText="10%"
      defaultInterval={30}
      busy={false}
      onSubmit={onSubmit}
      onChange={onChange}
      probeAnswer={probeAnswer}
    />,
  );
  const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
  const save = () => fireEvent.click(screen.getByRole('button', { name: 'Save and read' }));
  const value = (label: string) => (screen.getByLabelText(label) as HTMLInputElement).value;
  return { onSubmit, onChange, type, save, value };
};
/** A new-api system access token (shared/spec/imports.md's example). */
const ACCESS_TOKEN = 'Zq8rT2vXy4Lm9NpB3cD6fG1hJ5kW7sA';

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
    expect(within(document.querySelector('[data-mapped]') as HTMLElement).getByRole('status').textContent).toBe(
      'Say where the remaining amount is, or the granted and used amounts.',
    );
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

describe('key form: errors that help', () => {
  it('offers https:// for an address typed without it, and fills it in one click', () => {
    const { onSubmit, type, save, value } = form();
    type('Label', 'relay');
    type('Site address', 'relay.example.com');
    type('Key or access token', 'sk-abc');
    save();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toBe(
      'This address has no http:// or https:// in front. Did you mean https://relay.example.com?',
    );
    const use = screen.getByRole('button', { name: 'Use https://relay.example.com' });
    fireEvent.click(use);
    expect(value('Site address')).toBe('https://relay.example.com');
    expect(document.activeElement).toBe(screen.getByLabelText('Site address'));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Use https://relay.example.com' })).toBeNull();
    save();
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ baseUrl: 'https://relay.example.com' }), 'save');
  });

  it('offers http:// for a local address typed without a scheme, keeping its port and prefix', () => {
    const { type, save } = form();
    type('Site address', '127.0.0.1:3000/relay');
    save();
    fireEvent.click(screen.getByRole('button', { name: 'Use http://127.0.0.1:3000/relay' }));
    expect((screen.getByLabelText('Site address') as HTMLInputElement).value).toBe('http://127.0.0.1:3000/relay');
  });

  it.each([
    ['https://relay.example.com/v1/chat/completions', '/v1/chat/completions', 'https://relay.example.com'],
    ['https://relay.example.com/v1/models', '/v1/models', 'https://relay.example.com'],
    ['https://relay.example.com/v1/embeddings', '/v1/embeddings', 'https://relay.example.com'],
    ['https://relay.example.com/api/usage/token/', '/api/usage/token/', 'https://relay.example.com'],
    ['https://relay.example.com/dashboard/billing/subscription', '/dashboard/billing/subscription', 'https://relay.example.com'],
    ['http://127.0.0.1:3000/relay/v1/dashboard/billing/usage', '/relay/v1/dashboard/billing/usage', 'http://127.0.0.1:3000/relay'],
    ['https://openrouter.ai/api/v1/key', '/api/v1/key', 'https://openrouter.ai'],
  ])('says %s is an API route and offers the site root', (address, path, root) => {
    const { onSubmit, type, save, value } = form();
    type('Label', 'relay');
    type('Site address', address);
    type('Key or access token', 'sk-abc');
    save();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toBe(
      `This is an API route (${path}), not the site's root. Give the root: Quota Glance adds the paths it needs.`,
    );
    fireEvent.click(screen.getByRole('button', { name: `Use ${root}` }));
    expect(value('Site address')).toBe(root);
    save();
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ baseUrl: root }), 'save');
  });

  it('still says "Enter an http(s) address" when there is nothing better to offer', () => {
    const { type, save } = form();
    type('Site address', 'ftp://relay.example.com');
    save();
    expect(screen.getByText('Enter an http(s) address.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Use / })).toBeNull();
  });

  it('suggests a new-api account for an access token left on auto, and switches the kind in one click', () => {
    const { onSubmit, type, save } = form();
    type('Label', 'wallet');
    type('Site address', 'https://relay.example.com');
    type('Key or access token', ACCESS_TOKEN);
    expect(screen.getByRole('status').textContent).toBe(
      "This looks like an account's access token, not an API key. Choose “new-api account (access token + user id)” as the kind and give your user id.",
    );
    fireEvent.click(screen.getByRole('button', { name: 'Switch to new-api account' }));
    expect((screen.getByLabelText('Kind') as HTMLSelectElement).value).toBe('newapi-user');
    expect(document.activeElement).toBe(screen.getByLabelText('User id'));
    expect(screen.queryByText(/access token, not an API key/)).toBeNull();
    type('User id', '42');
    save();
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ kind: 'newapi-user', userId: 42, secret: ACCESS_TOKEN }), 'save');
  });

  it.each([
    ['an sk- key', 'sk-0123456789abcdefghijklmnopqrstu', 'auto'],
    ['a bare 48-character new-api key', 'a'.repeat(48), 'auto'],
    ['an r9s management key', 'sk_mg_0123456789abcdefghijklmnopqrstu', 'auto'],
    ['an access token on a chosen kind', ACCESS_TOKEN, 'newapi-token'],
  ])('does not suggest an account for %s', (_, secret, kind) => {
    const { type } = form();
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: kind } });
    type('Key or access token', secret);
    expect(screen.queryByText(/access token, not an API key/)).toBeNull();
  });

  it('cleans spaces and a Bearer prefix off a pasted key, and says so', () => {
    const { onSubmit, onChange, type, save, value } = form();
    type('Label', 'relay');
    type('Site address', 'https://relay.example.com');
    const secret = screen.getByLabelText('Key or access token');
    fireEvent.paste(secret);
    type('Key or access token', '  Bearer sk-abc  ');
    expect(value('Key or access token')).toBe('sk-abc');
    expect(screen.getByRole('status').textContent).toBe(
      'Removed the spaces and line breaks around the key. Removed “Bearer ” in front of the key: it is added where the site needs it.',
    );
    expect(onChange).toHaveBeenCalledTimes(3);
    type('Key or access token', 'sk-abcd');
    expect(screen.getByRole('status').textContent).toBe('');
    fireEvent.drop(secret);
    type('Key or access token', 'sk-abcde\t ');
    expect(value('Key or access token')).toBe('sk-abcde');
    expect(screen.getByRole('status').textContent).toBe('Removed the spaces and line breaks around the key.');
    save();
    expect(onSubmit).toHaveBeenLastCalledWith(expect.objectContaining({ secret: 'sk-abcde' }), 'save');
  });

  it('lets "Bearer " be typed by hand, and cleans it when the form is sent', () => {
    const { onSubmit, type, save, value } = form();
    type('Label', 'relay');
    type('Site address', 'https://relay.example.com');
    type('Key or access token', 'Bearer ');
    expect(value('Key or access token')).toBe('Bearer ');
    type('Key or access token', 'Bearer sk-abcd');
    expect(screen.getByRole('status').textContent).toBe('');
    save();
    expect(value('Key or access token')).toBe('sk-abcd');
    expect(screen.getByRole('status').textContent).toBe('Removed “Bearer ” in front of the key: it is added where the site needs it.');
    expect(onSubmit).toHaveBeenCalledWith(expect.objectContaining({ secret: 'sk-abcd' }), 'save');
  });

  it('drops a problem as soon as its field changes, and keeps the others', () => {
    const { type, save } = form();
    save();
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual([
      'Enter a label.',
      'Enter an http(s) address.',
      'Enter the key.',
    ]);
    type('Label', 'r');
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(['Enter an http(s) address.', 'Enter the key.']);
    type('Site address', 'h');
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(['Enter the key.']);
    fireEvent.change(screen.getByLabelText('Low warning for this key'), { target: { value: 'percent' } });
    type('Key or access token', 'sk-abc');
    save();
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual([
      'Enter an http(s) address.',
      'Enter a number of zero or more.',
    ]);
    type('Low warning level for this key', '5');
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toEqual(['Enter an http(s) address.']);
  });

  it('drops the user id problem when the kind changes', () => {
    const { type, save } = form();
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'newapi-user' } });
    type('User id', 'x');
    save();
    expect(screen.getByText('Enter your numeric user id.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'auto' } });
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'newapi-user' } });
    expect(screen.queryByText('Enter your numeric user id.')).toBeNull();
  });

  it('tells the page about every change to a field, and only then', () => {
    const { onChange, type, save } = form();
    fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    expect(onChange).not.toHaveBeenCalled();
    type('Label', 'a');
    type('Site address', 'https://relay.example.com');
    type('Key or access token', 'sk-abc');
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'newapi-user' } });
    type('User id', '3');
    fireEvent.click(screen.getByLabelText('Watch every key of this account'));
    fireEvent.change(screen.getByLabelText('Low warning for this key'), { target: { value: 'amount' } });
    type('Low warning level for this key', '2');
    type('Read this key every (minutes)', '10');
    expect(onChange).toHaveBeenCalledTimes(9);
    save();
    expect(onChange).toHaveBeenCalledTimes(9);
  });

  it('gives every control a name no other control on the options page has, and its buttons 24 px targets', () => {
    render(
      <>
        <KeyForm
          initial={{
            id: 'k',
            label: 'x',
            baseUrl: 'https://relay.example.com',
            kind: 'newapi-user',
            secret: ACCESS_TOKEN,
            userId: 1,
            createdAt: 0,
            updatedAt: 0,
            threshold: { type: 'amount', value: 1 },
          }}
          defaultThresholdText="10%"
          defaultInterval={30}
          busy={false}
          onSubmit={vi.fn()}
          onCancel={vi.fn()}
        />
        <SettingsForm settings={DEFAULT_SETTINGS} onSave={vi.fn()} />
      </>,
    );
    fireEvent.input(screen.getByLabelText('Site address'), { target: { value: 'relay.example.com' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    fireEvent.click(screen.getByRole('button', { name: 'Show' })); // a password input has no role; a text input has
    // Every control with its accessible name, as the role queries compute it.
    const named = new Map<Element, string>();
    for (const role of ['textbox', 'combobox', 'spinbutton', 'checkbox', 'radio', 'button'])
      screen.queryAllByRole(role, {
        name: (name, element) => {
          named.set(element, name);
          return false;
        },
      });
    const inForm = [...document.querySelectorAll('form.key-form :is(input, select, textarea, button)')];
    expect(inForm.length).toBeGreaterThan(10);
    for (const control of inForm) {
      const name = named.get(control) ?? '';
      expect(name.trim()).not.toBe('');
      expect({ name, count: [...named.values()].filter((n) => n === name).length }).toEqual({ name, count: 1 });
    }
    // The import panel's password prompt has a plain "Cancel" of its own.
    expect(screen.getByRole('button', { name: 'Cancel editing' })).toBeTruthy();
    const offer = screen.getByRole('button', { name: 'Use https://relay.example.com' }) as HTMLElement;
    expect([offer.style.minHeight, offer.style.minWidth]).toEqual(['24px', '24px']);
  });
});
