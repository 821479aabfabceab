/**
 * A small WebDAV server for tests, on 127.0.0.1: GET, PUT, PROPFIND (Depth 0), MKCOL,
 * Basic auth, ETags. Like `rclone serve webdav` it may ignore `If-Match` (`ignoreIfMatch`),
 * and it can be told to answer a status instead, or to hold requests (`hold`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeDav {
  url: string;
  files: Map<string, string>;
  folders: Set<string>;
  requests: { method: string; path: string; headers: IncomingMessage['headers']; body: string }[];
  /** Answers this status to every request while set. */
  fail: number | null;
  ignoreIfMatch: boolean;
  /** Asked before a request is answered: a promise holds it until it settles (a worker stopped mid-write, say). */
  gate?: (method: string) => Promise<void> | undefined;
  /** Runs just after a PUT is stored (another browser writing over it, say). */
  afterPut?: (path: string) => void;
  close(): Promise<void>;
}

export async function startFakeDav(user: string, password: string, folder = '/dav/qg'): Promise<FakeDav> {
  const state: Omit<FakeDav, 'url' | 'close'> = {
    files: new Map(),
    folders: new Set(['/dav', folder]),
    requests: [],
    fail: null,
    ignoreIfMatch: false,
  };
  let version = 0;
  const etags = new Map<string, string>();
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', async () => {
      await state.gate?.(req.method ?? '');
      // The client went away while the answer was held (a stopped worker): nothing is stored.
      if (res.destroyed || !res.socket || res.socket.destroyed) return;
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/\/+$/, '');
      state.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
      if (state.fail !== null) return void res.writeHead(state.fail).end();
      if (req.headers.authorization !== expected) return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="dav"' }).end();
      const parent = path.slice(0, path.lastIndexOf('/'));
      switch (req.method) {
        case 'GET': {
          const file = state.files.get(path);
          if (file === undefined) return void res.writeHead(404).end();
          return void res.writeHead(200, { ETag: etags.get(path) ?? '"0"', 'Content-Type': 'application/json' }).end(file);
        }
        case 'PUT': {
          if (!state.folders.has(parent)) return void res.writeHead(409).end();
          const ifMatch = req.headers['if-match'];
          if (!state.ignoreIfMatch && ifMatch && ifMatch !== etags.get(path)) return void res.writeHead(412).end();
          const existed = state.files.has(path);
          state.files.set(path, body);
          etags.set(path, `"${++version}"`);
          state.afterPut?.(path);
          return void res.writeHead(existed ? 204 : 201, { ETag: etags.get(path) as string }).end();
        }
        case 'PROPFIND':
          if (!state.folders.has(path) && !state.files.has(path)) return void res.writeHead(404).end();
          return void res.writeHead(207, { 'Content-Type': 'application/xml' }).end('<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"/>');
        case 'MKCOL':
          if (state.folders.has(path)) return void res.writeHead(405).end();
          if (!state.folders.has(parent)) return void res.writeHead(409).end();
          state.folders.add(path);
          return void res.writeHead(201).end();
        default:
          return void res.writeHead(405).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}${folder}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
