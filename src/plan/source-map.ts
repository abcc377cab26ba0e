/**
 * Points plan findings at `.tf` lines: follows each plan resource's module call chain from the
 * source root (the plan's directory or --source) to the module that declares it, and re-points the
 * resource, its attributes and its module calls at those blocks. Resources whose block cannot be
 * found keep their plan-file pointers.
 */
import type { ModuleCall, Resource } from '../model/model';
import { childPointer, hclPointer } from '../model/source';
import type { SourceLoader } from '../load/project';
import type { ModuleSource } from '../load/module-source';
import type { PlanConfigIndex } from './load';

export async function pointAtSource(resources: readonly Resource[], index: PlanConfigIndex, rootDir: string, loader: SourceLoader): Promise<{ resources: Resource[]; mapped: number; files: string[] }> {
  const root = await loader.loadTree(rootDir);
  if (!root) return { resources: [...resources], mapped: 0, files: [] };
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
    return { ...r, pointer, attributePointer: (p: readonly (string | number)[]) => childPointer(pointer, ...p), moduleChain: chain };
  });
  return { resources: out, mapped, files: [...files] };
}
