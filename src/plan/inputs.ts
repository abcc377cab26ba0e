/**
 * Plan files given on the command line: read, detect, load into the model, and point findings at
 * the `.tf` source when it is at hand (the plan's directory, or --source). Any JSON that is not a
 * plan gets a specific error naming the file.
 */
import * as path from 'path';
import type { Diagnostic, Resource } from '../model/model';
import { readText } from '../load/parse';
import { SourceLoader } from '../load/project';
import { loadPlan } from './load';
import { pointAtSource } from './source-map';

export interface PlanInput {
  readonly file: string;
}

export interface LoadedPlans {
  readonly resources: Resource[];
  readonly files: string[];
  readonly diagnostics: Diagnostic[];
}

/** Plans are bigger than source files; still bounded, so a stray huge file cannot exhaust memory. */
const MAX_PLAN_BYTES = 512 * 1024 * 1024;

export async function loadPlanInputs(inputs: readonly PlanInput[], opts: { cwd: string; sourceDir?: string }): Promise<LoadedPlans> {
  const out: LoadedPlans = { resources: [], files: [], diagnostics: [] };
  const loader = new SourceLoader({ cwd: opts.cwd, varFiles: [], vars: [] });
  for (const input of inputs) {
    const read = readText(input.file, MAX_PLAN_BYTES);
    if ('diagnostic' in read) { out.diagnostics.push(read.diagnostic); continue; }
    const loaded = loadPlan(input.file, read.text);
    out.diagnostics.push(...loaded.diagnostics);
    if (loaded.diagnostics.some((d) => d.level === 'error')) continue;
    const sourceDir = opts.sourceDir ? path.resolve(opts.cwd, opts.sourceDir) : path.dirname(input.file);
    const mapped = await pointAtSource(loaded.model.resources, loaded.configuration, sourceDir, loader);
    if (opts.sourceDir && mapped.mapped === 0 && loaded.model.resources.length > 0) {
      out.diagnostics.push({ level: 'warning', code: 'usage', file: input.file, message: `--source ${opts.sourceDir}: none of the plan's resources were found in its .tf files; findings point into the plan` });
    }
    out.resources.push(...mapped.resources);
    out.files.push(input.file, ...mapped.files.filter((f) => !out.files.includes(f)));
  }
  return out;
}
