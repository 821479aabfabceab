import type { Commit, EngineDeps } from '../lib/engine';
import type { KeyConfig } from '../lib/model';
import { DEFAULT_SETTINGS, type Settings } from '../lib/state';

/**
 * The engine's storage in memory, counting storage operations the way a browser would
 * see them (one commit is one `storage.local.set`), for scripts and tests outside a browser.
 */
export function memoryStore(keys: KeyConfig[] = [], settings: Partial<Settings> = {}) {
  const data: Required<Commit> & { keys: KeyConfig[]; settings: Settings } = {
    keys: structuredClone(keys),
    settings: { ...DEFAULT_SETTINGS, ...settings },
    statuses: {},
    sites: {},
    budget: {},
    cycles: {},
    history: {},
  };
  const item = <K extends keyof typeof data>(name: K) => ({ getValue: async () => structuredClone(data[name]) });
  const store = {
    data,
    writes: 0,
    /** Every commit, in order, for tests that look at what was written when. */
    commits: [] as Commit[],
    deps: {
      keys: item('keys'),
      settings: item('settings'),
      statuses: item('statuses'),
      sites: item('sites'),
      budget: item('budget'),
      cycles: item('cycles'),
      history: item('history'),
      commit: async (patch: Commit) => {
        store.writes++;
        store.commits.push(structuredClone(patch));
        Object.assign(data, structuredClone(patch));
      },
    } satisfies Pick<EngineDeps, 'keys' | 'settings' | 'statuses' | 'sites' | 'budget' | 'cycles' | 'history' | 'commit'>,
  };
  return store;
}
