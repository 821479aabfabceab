import type { Manifest } from '../manifest';

/** A StepFun account balance (shared/spec/providers.md §6). */
export const manifest = {
  id: 'stepfun',
  label: { brand: 'StepFun', localBrand: { zh_CN: '阶跃星辰 StepFun' } },
  home: 'https://api.stepfun.com',
  hosts: ['api.stepfun.com'],
  expiry: 'no-expiry',
} as const satisfies Manifest;
