/**
 * Local imitations of the services alert channels post to (automation.md §5.1), over
 * real HTTP on 127.0.0.1, answering as each service's documentation says: Telegram
 * `{"ok":true,…}`, Bark `{"code":200,…}`, DingTalk and WeCom `{"errcode":0,…}`, Feishu
 * `{"code":0,…}` (and checks its signature), ntfy a 200 JSON message, a webhook 204.
 * DingTalk and Feishu refuse a wrong signature with their own error codes. Every request
 * is recorded; `failNext` makes a service answer 503 a number of times (a service down).
 * ServerChan's hosts are fixed (no `server` field): it is tested at unit level only.
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface Received {
  service: string;
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface ServiceOptions {
  /** Sign secrets the imitated DingTalk and Feishu robots were set up with. */
  dingtalkSecret?: string;
  feishuSecret?: string;
  /** The Telegram bot's token and the Bark device key they accept. */
  botToken?: string;
  deviceKey?: string;
}

export interface FakeServices {
  /** `http://127.0.0.1:port`: each service under its own path (`/webhook`, `/ntfy`, `/telegram`, `/bark`, `/dingtalk`, `/feishu`, `/wecom`). */
  origin: string;
  received: Received[];
  /** The next `times` requests to `service` get an HTTP 503. */
  failNext(service: string, times: number): void;
  close(): Promise<void>;
}

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(body === undefined ? '' : JSON.stringify(body));
};

const sign = (key: string, message: string) => createHmac('sha256', key).update(message).digest('base64');

export async function startServices(options: ServiceOptions = {}, port = 0): Promise<FakeServices> {
  const received: Received[] = [];
  const failures = new Map<string, number>();
  const parse = (body: string): Record<string, unknown> => {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  const answer = (service: string, url: URL, body: string, res: ServerResponse) => {
    const json = parse(body);
    switch (service) {
      case 'webhook':
        return send(res, 204, undefined);
      case 'ntfy': {
        const topic = url.pathname.split('/').pop();
        return send(res, 200, { id: `m${received.length}`, time: Math.floor(Date.now() / 1000), event: 'message', topic, message: body });
      }
      case 'telegram': {
        const token = /\/bot([^/]+)\/sendMessage$/.exec(url.pathname)?.[1];
        if (options.botToken && decodeURIComponent(token ?? '') !== options.botToken)
          return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
        if (!json.chat_id) return send(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
        return send(res, 200, { ok: true, result: { message_id: received.length, chat: { id: json.chat_id }, text: json.text } });
      }
      case 'bark':
        if (options.deviceKey && json.device_key !== options.deviceKey)
          return send(res, 400, { code: 400, message: 'failed to get device token' });
        return send(res, 200, { code: 200, message: 'success', timestamp: Math.floor(Date.now() / 1000) });
      case 'dingtalk': {
        if (options.dingtalkSecret) {
          const ts = url.searchParams.get('timestamp') ?? '';
          const expected = sign(options.dingtalkSecret, `${ts}\n${options.dingtalkSecret}`);
          if (url.searchParams.get('sign') !== expected) return send(res, 200, { errcode: 310000, errmsg: 'sign not match' });
        }
        return send(res, 200, { errcode: 0, errmsg: 'ok' });
      }
      case 'feishu': {
        if (options.feishuSecret) {
          const expected = sign(`${String(json.timestamp)}\n${options.feishuSecret}`, '');
          if (json.sign !== expected)
            return send(res, 200, { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time', data: {} });
        }
        return send(res, 200, { code: 0, data: {}, msg: 'success' });
      }
      case 'wecom':
        return send(res, 200, { errcode: 0, errmsg: 'ok' });
      default:
        return send(res, 404, { error: 'no such service' });
    }
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const service = url.pathname.split('/')[1] ?? '';
      received.push({ service, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const left = failures.get(service) ?? 0;
      if (left > 0) {
        failures.set(service, left - 1);
        return send(res, 503, { error: 'Service Unavailable' });
      }
      answer(service, url, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  return {
    origin,
    received,
    failNext: (service, times) => void failures.set(service, times),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
