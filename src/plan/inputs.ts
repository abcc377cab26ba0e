/**
 * Plan files given on the command line: read, detect, load into the model. Any JSON that is not a
 * plan gets a specific error naming the file.
 */
import type { Diagnostic, Resource } from '../model/model';
import { readText } from '../load/parse';
import { loadPlan } from './load';

export interface PlanInput {
  readonly file: string;
}

export interface LoadedPlans {
  readonly resources: Resource[];
  readonly files: string[];
  readonly diagnostics: Diagnostic[];
}

export async function loadPlanInputs(inputs: readonly PlanInput[], _opts: { cwd: string; sourceDir?: string }): Promise<LoadedPlans> {
  const out: LoadedPlans = { resources: [], files: [], diagnostics: [] };
  for (const input of inputs) {
    const read = readText(input.file);
    if ('diagnostic' in read) { out.diagnostics.push(read.diagnostic); continue; }
    const loaded = loadPlan(input.file, read.text);
    out.diagnostics.push(...loaded.diagnostics);
    if (loaded.diagnostics.some((d) => d.level === 'error')) continue;
    out.resources.push(...loaded.model.resources);
    out.files.push(input.file);
  }
  return out;
}
