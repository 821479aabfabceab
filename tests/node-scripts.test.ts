import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '@/lib/providers/pages';

/**
 * `npm run simulate` and `npm run bench` run the engine in plain Node (type stripping and
 * bench/register.mjs), not through Vite: what the bundler accepts must load there too
 * (no parameter properties; the registry's import.meta.glob turned into imports).
 */
describe('the engine and the provider registry load in plain Node (npm run simulate, bench)', () => {
  it('finds every kind of the registry, in its order', () => {
    const script =
      "await import('./lib/engine.ts'); await import('./lib/storage/migrations.ts'); await import('./bench/memory-item.ts'); const p = await import('./lib/providers/index.ts'); process.stdout.write(Object.keys(p.PROVIDERS).join(','));";
    const run = spawnSync(process.execPath, ['--import', './bench/register.mjs', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(run.stderr.split('\n').filter((l) => /Error/.test(l))).toEqual([]);
    expect(run.stdout).toBe(PROVIDER_IDS.join(','));
  });
});
