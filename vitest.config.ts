import preact from '@preact/preset-vite';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  // WxtVitest gives fakeBrowser and WXT's aliases; it does not copy vite plugins, so Preact is added again.
  plugins: [WxtVitest(), preact()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.{ts,tsx}'],
          // Component tests opt into happy-dom per file; everything else talks real HTTP from Node.
          environment: 'node',
          setupFiles: ['tests/setup.ts'],
          // CI runs on 2 busy cores: a heavy test (10 MiB of storage quota, 20 days of reads) may take
          // several times its usual second or two there. Time limits only catch a hang, never judge speed.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // `npm run screenshots`: the README's pictures (e2e/shots), never part of `npm test`.
          name: 'screenshots',
          include: ['e2e/shots/*.shots.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
