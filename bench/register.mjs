// Lets Node run the project's TypeScript directly (Node ≥ 22.18 strips types):
// resolves the extensionless relative imports the bundler accepts to `.ts` files, and
// turns Vite's `import.meta.glob('./*/x.ts', { eager: true })` (the provider registry,
// lib/providers/collect.ts) into the static imports Vite would write.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    import { existsSync, readdirSync } from 'node:fs';
    import { dirname, join } from 'node:path';
    import { fileURLToPath } from 'node:url';

    export async function resolve(specifier, context, next) {
      try {
        return await next(specifier, context);
      } catch (error) {
        if (!/^\\.{1,2}\\//.test(specifier) || /\\.[cm]?[jt]sx?$/.test(specifier)) throw error;
        for (const suffix of ['.ts', '.tsx', '/index.ts']) {
          try {
            return await next(specifier + suffix, context);
          } catch {}
        }
        throw error;
      }
    }

    const GLOB = /import\\.meta\\.glob[^(]*\\(\\s*'\\.\\/\\*\\/([\\w.-]+)'\\s*,\\s*\\{\\s*eager:\\s*true\\s*(?:,\\s*import:\\s*'(\\w+)'\\s*)?\\}\\s*\\)/g;

    export async function load(url, context, next) {
      const loaded = await next(url, context);
      if (!url.startsWith('file:') || !/\\.tsx?$/.test(url) || loaded.source == null) return loaded;
      const source = String(loaded.source);
      if (!source.includes('import.meta.glob')) return loaded;
      const dir = dirname(fileURLToPath(url));
      const imports = [];
      const rewritten = source.replace(GLOB, (_, file, named) => {
        const entries = readdirSync(dir, { withFileTypes: true })
          .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, file)))
          .map((d) => {
            const name = '__qgGlob' + imports.length;
            imports.push('import ' + (named ? '{ ' + named + ' as ' + name + ' }' : '* as ' + name) + " from './" + d.name + '/' + file + "';");
            return "'./" + d.name + '/' + file + "': " + name;
          });
        return '({ ' + entries.join(', ') + ' })';
      });
      return { ...loaded, source: imports.join('\\n') + '\\n' + rewritten };
    }
  `)}`,
  import.meta.url,
);
