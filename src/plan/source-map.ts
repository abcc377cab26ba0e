/**
 * When a plan's `.tf` source is at hand (the plan's directory, or --source), the two views of each
 * resource are joined: the plan's values (resolved, with unknowns marked) get the source's marks —
 * the origin of each value (the tfvars line or module input that supplied it) and references the
 * plan cannot express (through locals, dynamic blocks) — and every pointer moves from the plan file
 * to the `.tf` block, found through the module call chain. Resources with no block keep plan pointers.
 */
import type { ModuleCall, Resource } from '../model/model';
import { childPointer, hclPointer } from '../model/source';
import { collectRefs, valuesEqual, withMarks, type ObjectValue, type Value } from '../model/value';
import type { SourceLoader } from '../load/project';
import type { ModuleSource } from '../load/module-source';
import { carrySensitivity, type PlanConfigIndex } from './load';

export async function pointAtSource(resources: readonly Resource[], index: PlanConfigIndex, rootDir: string, loader: SourceLoader): Promise<{ resources: Resource[]; mapped: number; files: string[] }> {
  const root = await loader.loadTree(rootDir);
  if (!root) return { resources: [...resources], mapped: 0, files: [] };
  const fromSource = new Map<string, Resource>();
  for (const r of await loader.evaluateWith(rootDir, index.variables)) {
    fromSource.set(r.address, r);
    if (!fromSource.has(r.resourceAddress)) fromSource.set(r.resourceAddress, r);
  }
  const files = new Set<string>();
  let mapped = 0;
  const out = resources.map((r) => {
    const entry = index.resources.get(r.address);
    if (!entry) return r;
    let module: ModuleSource | undefined = root;
    const chain: ModuleCall[] = [];
    const callPath: string[] = [];
    for (const call of entry.moduleCalls) {
      const decl = module?.moduleCalls.get(call.name);
      if (!module || !decl) { module = undefined; break; }
      chain.push({ address: call.address, pointer: hclPointer(decl.file, decl.path) });
      callPath.push(call.name);
      const child = loader.childSource(module, decl, rootDir, callPath);
      module = 'source' in child && !child.source.virtual ? child.source : undefined;
    }
    const decl = module?.resources.get(entry.relativeAddress);
    if (!decl) return r;
    mapped++;
    files.add(decl.file);
    const pointer = hclPointer(decl.file, decl.path);
    const twin = fromSource.get(r.address) ?? fromSource.get(r.resourceAddress);
    const values = twin ? joinValues(r.values, twin.values) as ObjectValue : r.values;
    if (values !== r.values) carrySensitivity(r.values, values);
    return { ...r, values, pointer, attributePointer: (p: readonly (string | number)[]) => childPointer(pointer, ...p), moduleChain: chain };
  });
  return { resources: out, mapped, files: [...files] };
}

/** The plan's value with the source's marks: all of its references, and its origin where both agree on the value. */
export function joinValues(planned: Value, source: Value | undefined): Value {
  if (!source) return planned;
  if (planned.kind === 'object' && source.kind === 'object') {
    const entries = new Map<string, Value>();
    for (const [k, v] of planned.entries) entries.set(k, joinValues(v, source.entries.get(k)));
    return { ...planned, entries };
  }
  if (planned.kind === 'list' && source.kind === 'list' && planned.items.length === source.items.length) {
    return { ...planned, items: planned.items.map((v, i) => joinValues(v, source.items[i])) };
  }
  const refs = collectRefs(source);
  const agree = planned.kind !== 'unknown' && valuesEqual(planned, source) === true;
  return withMarks(planned, { ...(refs.length ? { refs } : {}), ...(agree && source.marks?.origin ? { origin: source.marks.origin } : {}) });
}
