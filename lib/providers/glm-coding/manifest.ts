import type { Manifest } from '../manifest';
import { page } from './page';

/** A GLM / Z.ai Coding Plan key: its plan's percent windows (shared/spec/relays.md §5). */
export const manifest = {
  ...page,
  label: { brand: 'GLM Coding Plan' },
  home: 'https://open.bigmodel.cn',
  // relays.md §7.1: separate platforms, separate keys; the host alone names the kind.
  hosts: ['open.bigmodel.cn', 'dev.bigmodel.cn', 'api.z.ai'],
  allApiHub: { telemetryModes: ['glmQuota'] },
} as const satisfies Manifest;
