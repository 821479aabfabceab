import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';

/**
 * `npm run build:e2e` sets QG_BUILD=e2e. The only difference from the production
 * build is the manifest: loopback hosts are granted at install so real-browser
 * tests need no permission prompt (shared/spec/automation.md §1). No code differs.
 */
const e2e = process.env.QG_BUILD === 'e2e';

/**
 * Code no page of this extension may run, removed at build time so `web-ext lint`
 * has nothing to warn about (issue #7, item 8). Each rewrite must find its target,
 * or the build fails: a dependency update cannot silently bring the code back.
 * - zod: MV3's CSP forbids `eval`, so zod's JIT never runs here; its `new Function`
 *   probe and compiler are replaced (the background also sets `z.config({ jitless: true })`).
 * - Preact: `dangerouslySetInnerHTML` is never used; its `innerHTML` assignment
 *   throws instead, so no HTML string can ever be rendered.
 */
const REWRITES: { file: RegExp; from: RegExp; to: string }[] = [
  {
    file: /node_modules\/zod\/v4\/core\/util\.js$/,
    from: /try \{\s*const F = Function;\s*new F\(""\);\s*return true;\s*\}\s*catch \(_\) \{\s*return false;\s*\}/,
    to: 'return false;',
  },
  {
    file: /node_modules\/zod\/v4\/core\/doc\.js$/,
    from: /compile\(\) \{[\s\S]*?return factory\(\.\.\.Object\.values\(this\.closed\)\);\s*\}/,
    to: 'compile() { throw new Error("zod runs jitless in Quota Glance"); }',
  },
  {
    file: /node_modules\/preact\/dist\/preact\.(mjs|module\.js)$/,
    from: /\((\w)\.innerHTML=(\w)\.__html\)/,
    to: '(()=>{throw new Error("dangerouslySetInnerHTML is not supported")})()',
  },
];

const noEvalNoHtml = {
  name: 'quota-glance:no-eval-no-html',
  enforce: 'pre' as const,
  transform(code: string, id: string) {
    const rewrite = REWRITES.find((r) => r.file.test(id.split('?')[0] ?? id));
    if (!rewrite) return null;
    if (!rewrite.from.test(code)) throw new Error(`${id} changed: update REWRITES in wxt.config.ts`);
    return { code: code.replace(rewrite.from, rewrite.to), map: null };
  },
};

/**
 * Every module the popup loads goes in one chunk, shared with the options page where it
 * needs them: the popup then reads one file and its code compresses as one, instead of
 * a shared chunk plus its own (about 1.5 KB gzip of its 30 KB budget went to the split).
 * The options page loads the popup's components with it; it has no such budget.
 */
function popupInOneChunk(
  id: string,
  { getModuleInfo }: { getModuleInfo: (id: string) => { importers: readonly string[]; dynamicImporters: readonly string[] } | null },
) {
  const seen = new Set<string>();
  const fromPopup = (module: string): boolean => {
    if (/entrypoints\/popup\/main\.tsx$/.test(module)) return true;
    if (seen.has(module)) return false;
    seen.add(module);
    const info = getModuleInfo(module);
    return !!info && [...info.importers, ...info.dynamicImporters].some(fromPopup);
  };
  // The popup's entry module stays its own (it renders when loaded), and so do stylesheets (each page keeps its own).
  return !/entrypoints\/popup\/main\.tsx$|\.css($|\?)/.test(id) && fromPopup(id) ? 'popup-all' : undefined;
}

/** Sets `popupInOneChunk` on the builds that split code (the pages), not on the background's single file. */
const popupChunk = {
  name: 'quota-glance:popup-chunk',
  outputOptions(options: Record<string, unknown>) {
    if (options.codeSplitting === false || options.inlineDynamicImports) return null;
    return { ...options, manualChunks: popupInOneChunk };
  },
};

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill', '@wxt-dev/i18n/module'],
  outDirTemplate: e2e ? '{{browser}}-mv{{manifestVersion}}-e2e' : undefined,
  vite: () => ({
    plugins: [noEvalNoHtml, popupChunk, preact()],
    // Every browser this extension runs in has `modulepreload`: Vite's polyfill for it is ~500 B of the popup for nothing.
    build: { modulePreload: { polyfill: false } },
  }),
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    // webRequest only reports where a site's redirect points (lib/redirect-watch.ts), for the sites granted; it blocks nothing.
    permissions: ['storage', 'alarms', 'notifications', 'webRequest'],
    // Every gateway origin is asked for one at a time, from the click that saves a key.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    ...(e2e ? { host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'] } : {}),
    action: { default_title: '__MSG_extName__' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'quota-glance@quota-glance.dev',
              // 140: the first Firefox with `data_collection_permissions` (web-ext lint).
              strict_min_version: '140.0',
              // Keys and readings stay on the device and go only to the user's own gateways.
              data_collection_permissions: { required: ['none'] },
            },
            // Firefox for Android has `data_collection_permissions` from 142.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
