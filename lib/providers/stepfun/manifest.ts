import type { Manifest } from '../manifest';
import { page } from './page';

/** A StepFun account balance (shared/spec/providers.md §6). */
export const manifest = {
  ...page,
  label: { brand: 'StepFun', localBrand: { zh_CN: '阶跃星辰 StepFun' } },
  home: 'https://api.stepfun.com',
  hosts: ['api.stepfun.com'],
} as const satisfies Manifest;
