// Lets Node run the project's TypeScript directly (Node ≥ 22.18 strips types):
// resolves the extensionless relative imports the bundler accepts to `.ts` files.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
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
  `)}`,
  import.meta.url,
);
