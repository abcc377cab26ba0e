/**
 * Graph queries about Lambda functions, written once for every rule: which functions a value
 * names (by reference, through aliases, or by name/ARN string), and who reaches a function through
 * a given attribute of a given resource type.
 */
import type { Resource } from '../model/model';
import { asString, collectRefs, type Value, getPath } from '../model/value';
import type { AttrPath, Edge, Graph } from './graph';

export const LAMBDA_FUNCTION = 'aws_lambda_function';
const ALIAS = 'aws_lambda_alias';

/** An attribute path pattern: `'*'` matches any list index or key at that step. */
export type PathPattern = readonly (string | number)[];

export function matchesPattern(path: AttrPath, pattern: PathPattern): boolean {
  if (path.length < pattern.length) return false;
  return pattern.every((step, i) => step === '*' || path[i] === step);
}

/** How a resource reaches a function: the edge (when by reference) and the attribute path. */
export interface FunctionLink {
  readonly fn: Resource;
  readonly via: Resource;
  readonly path: AttrPath;
  /** The alias in between, when the link goes through `aws_lambda_alias`. */
  readonly alias?: Resource;
  /** True when matched by a name/ARN string rather than a Terraform reference. */
  readonly byName: boolean;
}

/** The Lambda functions (managed or data) a value refers to, directly or through an alias; the
 *  references resolve in the root module of `holder`, the resource the value belongs to. */
export function functionsReferencedBy(graph: Graph, value: Value | undefined, holder?: Resource): { fn: Resource; alias?: Resource }[] {
  if (!value) return [];
  const out: { fn: Resource; alias?: Resource }[] = [];
  for (const ref of collectRefs(value)) {
    for (const target of graph.resolve(ref.address, holder)) {
      if (target.mode !== 'managed') continue;
      if (target.type === LAMBDA_FUNCTION) out.push({ fn: target });
      else if (target.type === ALIAS) for (const fn of aliasFunctions(graph, target)) out.push({ fn, alias: target });
    }
  }
  return dedupe(out);
}

function aliasFunctions(graph: Graph, alias: Resource): Resource[] {
  return graph.referencesAt(alias, ['function_name']).map((e) => e.to).filter((r) => r.type === LAMBDA_FUNCTION);
}

/** Function names a string gives: every `:function:NAME` of ARNs and invoke URIs in it, or the
 *  whole string when it is a plain function name. */
export function functionNamesIn(text: string): string[] {
  const names = [...text.matchAll(/:function:([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
  if (names.length) return [...new Set(names)];
  return /^[A-Za-z0-9_-]{1,140}$/.test(text) ? [text] : [];
}

/** Functions whose known `function_name` is one a string gives (configuration written with literals). */
export function functionsNamedBy(graph: Graph, text: string): Resource[] {
  const names = new Set(functionNamesIn(text));
  if (!names.size) return [];
  return graph.ofType(LAMBDA_FUNCTION).filter((fn) => names.has(asString(fn.values.entries.get('function_name')) ?? '\0'));
}

/** Every function the value at `path` of `from` names: by reference first, else by name. */
export function linkedFunctions(graph: Graph, from: Resource, path: AttrPath): FunctionLink[] {
  const v = getPath(from.values, path);
  const byRef = functionsReferencedBy(graph, v, from);
  if (byRef.length) return byRef.map((l) => ({ ...l, via: from, path, byName: false }));
  const text = asString(v);
  if (text === undefined) return [];
  return functionsNamedBy(graph, text).map((fn) => ({ fn, via: from, path, byName: true }));
}

/**
 * Resources of `types` that reach a function through an attribute matching `pattern`, by
 * reference or by name. Returned per function, so rules iterate functions.
 */
export function linksByFunction(graph: Graph, types: readonly string[], pattern: PathPattern): Map<Resource, FunctionLink[]> {
  const out = new Map<Resource, FunctionLink[]>();
  for (const from of graph.ofType(...types)) {
    for (const path of concretePaths(from.values, pattern)) {
      for (const link of linkedFunctions(graph, from, path)) {
        const list = out.get(link.fn) ?? [];
        if (!list.some((l) => l.via === link.via && samePath(l.path, link.path))) list.push(link);
        out.set(link.fn, list);
      }
    }
  }
  return out;
}

/** The concrete attribute paths in a value that a pattern with `*` steps matches. */
export function concretePaths(v: Value, pattern: PathPattern, prefix: (string | number)[] = []): (string | number)[][] {
  if (pattern.length === 0) return [prefix];
  const [step, ...rest] = pattern;
  if (step === '*') {
    if (v.kind === 'list') return v.items.flatMap((item, i) => concretePaths(item, rest, [...prefix, i]));
    if (v.kind === 'object') return [...v.entries].flatMap(([k, item]) => concretePaths(item, rest, [...prefix, k]));
    return [];
  }
  const next = typeof step === 'number' ? (v.kind === 'list' ? v.items[step] : undefined) : v.kind === 'object' ? v.entries.get(step) : undefined;
  return next ? concretePaths(next, rest, [...prefix, step]) : [];
}

/** Edges into a resource from resources of the given types (e.g. who attaches a policy to a role). */
export function referrersOfType(graph: Graph, r: Resource, types: readonly string[], pattern?: PathPattern): Edge[] {
  return graph.referrers(r).filter((e) => types.includes(e.from.type) && (!pattern || matchesPattern(e.fromPath, pattern)));
}

function samePath(a: AttrPath, b: AttrPath): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function dedupe<T extends { fn: Resource; alias?: Resource }>(xs: T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = `${x.fn.address}|${x.alias?.address ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
