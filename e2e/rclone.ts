import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { vi } from 'vitest';

/** A real WebDAV server for the sync tests: Debian's `rclone serve webdav`, on 127.0.0.1 only. */
export interface Rclone {
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function rcloneWebdav(dir: string, user: string, pass: string): Promise<Rclone> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  return {
    port,
    async start() {
      child = spawn('rclone', ['serve', 'webdav', dir, '--addr', `127.0.0.1:${port}`, '--user', user, '--pass', pass], { stdio: 'ignore' });
      // Waits on rclone's own answer (vi.waitFor also works in beforeAll, where expect.poll does not).
      await vi.waitFor(
        async () => {
          const answer = await fetch(`http://127.0.0.1:${port}/`, { headers: { Authorization: `Basic ${btoa(`${user}:${pass}`)}` } });
          if (answer.status !== 200) throw new Error(`rclone answered ${answer.status}`);
        },
        { timeout: 20_000, interval: 100 },
      );
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
  };
}
