/**
 * The reference graph: every reference from an attribute of one resource to another, through
 * locals, module inputs and outputs and for_each maps (the evaluator carries them as marks on
 * values). Queryable both ways, so rules ask "who references this Lambda, through which attribute?"
 * once, here.
 */
import type { Model, Resource } from '../model/model';
import type { Value } from '../model/value';

export type AttrPath = readonly (string | number)[];

export interface Edge {
  /** The resource holding the reference. */
  readonly from: Resource;
  /** Where in `from` the reference sits (`['uri']`, `['vpc_config', 0, 'security_group_ids', 1]`). */
  readonly fromPath: AttrPath;
  readonly to: Resource;
  /** The attribute of `to` that was read (`['invoke_arn']`), empty for the whole resource. */
  readonly toAttribute: readonly string[];
}

export class Graph {
  private readonly out = new Map<Resource, Edge[]>();
  private readonly in = new Map<Resource, Edge[]>();
  /** By address within one root module (addresses repeat from root to root of a monorepo). */
  private readonly byAddr = new Map<string, Resource[]>();
  /** By address over every root, for callers that name no root. */
  private readonly byAddrAnyRoot = new Map<string, Resource[]>();
  private readonly byType = new Map<string, Resource[]>();

  constructor(readonly model: Model) {
    for (const r of model.resources) {
      push(this.byAddr, rootKey(r.root, r.address), r);
      push(this.byAddrAnyRoot, r.address, r);
      if (r.resourceAddress !== r.address) {
        push(this.byAddr, rootKey(r.root, r.resourceAddress), r);
        push(this.byAddrAnyRoot, r.resourceAddress, r);
      }
      push(this.byType, typeKey(r.mode, r.type), r);
    }
    for (const r of model.resources) this.walk(r, r.values, []);
  }

  /** Resources of the given types (managed unless prefixed `data.`). */
  ofType(...types: string[]): Resource[] {
    const out: Resource[] = [];
    for (const t of types) {
      const key = t.startsWith('data.') ? typeKey('data', t.slice(5)) : typeKey('managed', t);
      out.push(...(this.byType.get(key) ?? []));
    }
    return out;
  }

  /**
   * Instances at an address (a resource address gives all of its instances). A reference made by
   * a resource resolves in that resource's root module only: pass it as `from`, or two roots that
   * both declare `aws_security_group.this` would be linked to each other.
   */
  resolve(address: string, from?: Resource): Resource[] {
    return (from ? this.byAddr.get(rootKey(from.root, address)) : this.byAddrAnyRoot.get(address)) ?? [];
  }

  /** Edges that point at `r`: who references it. */
  referrers(r: Resource): readonly Edge[] {
    return this.in.get(r) ?? [];
  }

  /** Edges from `r`: what it references. */
  references(r: Resource): readonly Edge[] {
    return this.out.get(r) ?? [];
  }

  /** References from `r` found under the attribute path `prefix`. */
  referencesAt(r: Resource, prefix: AttrPath): Edge[] {
    return this.references(r).filter((e) => startsWith(e.fromPath, prefix));
  }

  /** `path` is one stack shared by the whole walk (copied only into edges): values are large. */
  private walk(from: Resource, v: Value, path: (string | number)[]): void {
    const refs = v.marks?.refs;
    if (refs) {
      for (const ref of refs) {
        for (const to of this.resolve(ref.address, from)) {
          if (to === from) continue;
          const edge: Edge = { from, fromPath: [...path], to, toAttribute: ref.attribute };
          push(this.out, from, edge);
          push(this.in, to, edge);
        }
      }
    }
    if (v.kind === 'list') {
      for (let i = 0; i < v.items.length; i++) {
        path.push(i);
        this.walk(from, v.items[i], path);
        path.pop();
      }
    } else if (v.kind === 'object') {
      for (const [k, e] of v.entries) {
        path.push(k);
        this.walk(from, e, path);
        path.pop();
      }
    }
  }
}

function rootKey(root: string, address: string): string {
  return `${root}\0${address}`;
}

function typeKey(mode: string, type: string): string {
  return `${mode}:${type}`;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const arr = m.get(k);
  if (arr) arr.push(v);
  else m.set(k, [v]);
}

export function startsWith(path: AttrPath, prefix: AttrPath): boolean {
  if (prefix.length > path.length) return false;
  return prefix.every((s, i) => path[i] === s);
}
