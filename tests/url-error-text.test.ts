import { describe, expect, it } from 'vitest';
import { errorText } from '@/lib/error-text';
import { hostnameOf, hostOf } from '@/lib/url';

describe('hostOf: the host an imported key is labelled by', () => {
  it.each([
    ['https://relay.example.com/v1', 'relay.example.com'],
    ['http://127.0.0.1:3000', '127.0.0.1:3000'],
    ['https://Relay.Example.com:8443/api', 'relay.example.com:8443'],
    ['https://relay.example.com:443/', 'relay.example.com'],
    ['relay.example.com', ''],
    ['', ''],
    ['not a url', ''],
  ])('%j → %j', (url, host) => expect(hostOf(url)).toBe(host));
});

describe('hostnameOf: the host name rules are keyed by', () => {
  it.each([
    ['https://API.Moonshot.cn/v1', 'api.moonshot.cn'],
    ['http://127.0.0.1:3000', '127.0.0.1'],
    ['https://relay.example.com:8443/api', 'relay.example.com'],
    ['gateway://Relay.Example', 'relay.example'],
    ['relay.example.com', ''],
    ['', ''],
  ])('%j → %j', (url, host) => expect(hostnameOf(url)).toBe(host));
});

describe('errorText: what was thrown, as text', () => {
  class DavError extends Error {}
  it.each([
    [new Error('QUOTA_BYTES quota exceeded'), 'QUOTA_BYTES quota exceeded'],
    [new DavError('The WebDAV server cannot be reached'), 'The WebDAV server cannot be reached'],
    [new TypeError('Failed to fetch'), 'Failed to fetch'],
    [{ message: 'a browser error object' }, 'a browser error object'],
    ['refused', 'refused'],
    [42, '42'],
    [null, 'null'],
    [undefined, 'undefined'],
    [new Error(''), ''],
  ])('%o → %j', (cause, text) => expect(errorText(cause)).toBe(text));
});
