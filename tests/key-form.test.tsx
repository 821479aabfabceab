// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KeyForm } from '@/components/KeyForm';

afterEach(cleanup);

const form = () => {
  const onSubmit = vi.fn();
  render(<KeyForm defaultThresholdText="10%" defaultInterval={30} busy={false} onSubmit={onSubmit} />);
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
});
