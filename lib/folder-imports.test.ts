/**
 * House rule: no two `lib/` folders import each other, directly or round a
 * longer loop. Each folder of `lib/` (and each file at its top) is one node;
 * an import from one node into another is an edge. Tests are left out: they
 * may reach for another folder's `testing/` fakes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const LIB = dirname(new URL(import.meta.url).pathname);
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((item) => {
    const path = join(dir, item.name);
    if (item.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(item.name) && !/\.test\.tsx?$/.test(item.name) ? [path] : [];
  });
}

/** `lib/jobs/queue.ts` → `jobs`; `lib/errors.ts` → `errors`. */
function nodeOf(path: string): string {
  const [first, ...rest] = relative(LIB, path).split('/');
  return rest.length > 0 ? first! : first!.replace(/\.tsx?$/, '');
}

/** Node → the nodes it imports, each with one file that does it. */
export function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(LIB)) {
    for (const match of readFileSync(file, 'utf8').matchAll(SPECIFIER)) {
      const specifier = match[1] ?? match[2]!;
      const target = specifier.startsWith('@/lib/')
        ? join(LIB, specifier.slice('@/lib/'.length))
        : specifier.startsWith('.')
          ? normalize(join(dirname(file), specifier))
          : undefined;
      if (!target || relative(LIB, target).startsWith('..')) continue;
      const [from, to] = [nodeOf(file), nodeOf(target)];
      if (from === to) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, relative(LIB, file));
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Every loop, as `a → b → a` with the file behind each step. */
function cycles(graph: Map<string, Map<string, string>>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string) => {
    if (path.includes(node)) {
      const loop = [...path.slice(path.indexOf(node)), node];
      found.push(
        loop.map((step, i) => (i === 0 ? step : `${step} (${graph.get(loop[i - 1]!)!.get(step)})`)).join(' → '),
      );
      return;
    }
    if (done.has(node)) return;
    path.push(node);
    for (const next of graph.get(node)?.keys() ?? []) visit(next);
    path.pop();
    done.add(node);
  };
  for (const node of graph.keys()) visit(node);
  return found;
}

describe('lib/ folder imports', () => {
  it('form no cycle', () => {
    expect(cycles(folderGraph())).toEqual([]);
  });

  it('are read from real imports (the graph is not empty)', () => {
    expect(folderGraph().get('service')?.has('jobs')).toBe(true);
  });
});
