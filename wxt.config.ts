import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

/**
 * `npm run build:e2e` sets QG_BUILD=e2e. The only difference from the production
 * build is the manifest: loopback hosts are granted at install so real-browser
 * tests need no permission prompt (shared/spec/automation.md §1). No code differs.
 */
const e2e = process.env.QG_BUILD === 'e2e';

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill', '@wxt-dev/i18n/module'],
  outDirTemplate: e2e ? '{{browser}}-mv{{manifestVersion}}-e2e' : undefined,
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'alarms', 'notifications'],
    // Every gateway origin is asked for one at a time, from the click that saves a key.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    ...(e2e ? { host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'] } : {}),
    action: { default_title: '__MSG_extName__' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'quota-glance@quota-glance.dev',
              strict_min_version: '128.0',
              // Keys and readings stay on the device and go only to the user's own gateways.
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
