import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = process.cwd();
const LIB = join(ROOT, 'lib');

/** Every .ts/.tsx file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/**
 * The specifiers a file imports or re-exports from, type-only ones included: a type-only
 * circle still ties the modules' meanings together, and becomes a real one the day a
 * value is imported along it.
 */
function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const found: string[] = [];
  const patterns = [
    /\bimport\s+(?:type\s+)?[^'"()]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?(?:\*(?:\s+as\s+\w+)?|\{[^}]*\})\s*from\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of code.matchAll(pattern)) if (match[1]) found.push(match[1]);
  return found;
}

/** The file a specifier names, when it is one of ours (relative or `@/`), as the bundler resolves it. */
function resolveFrom(file: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith('@/') || specifier.startsWith('~/')) base = join(ROOT, specifier.slice(2));
  else if (specifier.startsWith('.')) base = resolve(dirname(file), specifier);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** The import circles among files, each as the path that closes it (first file repeated at the end). */
function cycles(files: string[]): string[] {
  const graph = new Map(files.map((f) => [f, specifiers(readFileSync(f, 'utf8')).flatMap((s) => resolveFrom(f, s) ?? [])]));
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return found.map((cycle) => cycle.map((f) => relative(ROOT, f)).join(' → '));
}

describe('lib/ has no import circle (type-only imports included)', () => {
  it('finds a circle when there is one', () => {
    expect(specifiers("import type { A } from './a';\nexport { b } from \"../b\";\nimport c, { d } from '@/lib/c';")).toEqual([
      './a',
      '@/lib/c',
      '../b',
    ]);
  });

  it('has none', () => {
    expect(cycles(sources(LIB))).toEqual([]);
  });
});
