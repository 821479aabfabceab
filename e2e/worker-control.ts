import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The extension's service worker as DevTools sees it, for tests that stop it as the
 * browser would (idle, or killed mid-work) and watch it start again.
 */
export interface WorkerControl {
  /** Every running status reported so far, in order ('starting', 'running', 'stopping', 'stopped'). */
  readonly statuses: readonly string[];
  /** The worker's current version id ('' until DevTools reports one). */
  version(): string;
  /** Stops the worker and waits until DevTools says it stopped; returns the index of that 'stopped'. */
  stop(): Promise<number>;
}

/** Watches the background worker through a DevTools session on `page` (an extension page). */
export async function watchWorker(context: BrowserContext, page: Page): Promise<WorkerControl> {
  const statuses: string[] = [];
  let version = '';
  const cdp = await context.newCDPSession(page);
  cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
    for (const v of event.versions) {
      if (!v.scriptURL.endsWith('/background.js')) continue;
      statuses.push(v.runningStatus);
      version = v.versionId;
    }
  });
  await cdp.send('ServiceWorker.enable');
  return {
    statuses,
    version: () => version,
    async stop() {
      await expect.poll(() => version).not.toBe('');
      const before = statuses.length;
      await cdp.send('ServiceWorker.stopWorker', { versionId: version });
      await expect.poll(() => statuses.slice(before)).toContain('stopped');
      return statuses.lastIndexOf('stopped');
    },
  };
}
