/**
 * The lint API the CLI and the GitHub Action share: inputs → model → graph → rules → located,
 * fingerprinted findings → inline suppressions and config exceptions. One direction of data
 * flow; nothing here formats output. (Config loading and baselines are the caller's:
 * src/config/load.ts, src/baseline.ts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { Graph } from './graph/graph';
import { createLocator } from './locate/file-locator';
import type { Locator } from './locate/locator';
import { loadSource } from './load/project';
import type { Diagnostic, Model, Resource } from './model/model';
import { findingFingerprint } from './report/fingerprint';
import type { LintResult, ReportedFinding } from './report/result';
import type { Finding, Level, Rule, RuleContext, RuleOptions } from './rule';
import { LEVEL_RANK } from './rule';
import { allRules } from '../rules';
import type { PlanInput } from './plan/inputs';
import { applySuppressions } from './suppress/apply';
import type { AddressException } from './suppress/exceptions';
import { SUPPRESSION_RULE_ID, suppressionRule } from './suppress/rule';

export interface LintOptions {
  /** Paths to lint: directories, `.tf`/`.tf.json` files, plan JSON files. */
  readonly paths: readonly string[];
  readonly cwd: string;
  /** "Today", YYYY-MM-DD. */
  readonly asOf: string;
  readonly varFiles?: readonly string[];
  readonly vars?: readonly string[];
  /** Where the `.tf` source of plan inputs is (default: each plan's directory). */
  readonly sourceDir?: string;
  /** Rule levels and options, by rule ID; `off` disables a rule. */
  readonly ruleSettings?: Readonly<Record<string, { level?: Level | 'off'; options?: RuleOptions }>>;
  readonly rules?: readonly Rule[];
  /** Config-file exceptions: findings of a rule on matching addresses are suppressed (kind external). */
  readonly exceptions?: readonly AddressException[];
  /** Called as source files are parsed (files done, files known so far). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A lint result with what it was judged on: the model and reference graph (for `graph` and the
 *  Markdown diagrams) and the source lines the locator read (for code frames, without re-reading). */
export interface LintRun extends LintResult {
  readonly model: Model;
  readonly graph: Graph;
  readonly lines: (file: string) => readonly string[];
}

export async function lint(opts: LintOptions): Promise<LintRun> {
  const cwd = path.resolve(opts.cwd);
  const diagnostics: Diagnostic[] = [];
  const { dirs, files, plans } = classifyInputs(opts.paths, cwd, diagnostics);

  const source = dirs.length || files.length
    ? await loadSource({ dirs, files }, { cwd, varFiles: opts.varFiles ?? [], vars: opts.vars ?? [], onProgress: opts.onProgress })
    : undefined;
  const resources: Resource[] = [...(source?.resources ?? [])];
  const modelFiles = [...(source?.files ?? [])];
  if (source) diagnostics.push(...source.diagnostics);

  if (plans.length) {
    // The plan reader (and its schema validator) is loaded only for runs that read plans.
    const { loadPlanInputs } = await import('./plan/inputs');
    const loaded = await loadPlanInputs(plans, { cwd, sourceDir: opts.sourceDir });
    resources.push(...loaded.resources);
    modelFiles.push(...loaded.files);
    diagnostics.push(...loaded.diagnostics);
  }

  const model: Model = { resources, files: modelFiles };
  const graph = new Graph(model);
  const rules = (opts.rules ?? allRules).filter((r) => opts.ruleSettings?.[r.meta.id]?.level !== 'off');
  const findings = runRules(rules, model, graph, opts);
  const locator = await createLocator();
  const problemLevel = opts.ruleSettings?.[SUPPRESSION_RULE_ID]?.level ?? suppressionRule.meta.defaultLevel;
  const reported = applySuppressions(findings.map((f) => locate(f, locator, cwd)), {
    cwd,
    asOf: opts.asOf,
    locator,
    resources,
    knownRules: new Set([...allRules, ...(opts.rules ?? [])].map((r) => r.meta.id)),
    exceptions: opts.exceptions,
    problemLevel,
  }).sort(compareFindings);
  // Suppression comments are checked like a rule, so their findings have a descriptor too.
  const reportedRules = problemLevel === 'off' ? rules : [...rules, suppressionRule];
  if (modelFiles.length === 0 && diagnostics.every((d) => d.level !== 'error')) {
    diagnostics.push({ level: 'note', code: 'usage', message: `no Terraform files or plans found in ${opts.paths.join(', ') || '.'}` });
  }
  return {
    cwd, rules: reportedRules, findings: reported, diagnostics: dedupeDiagnostics(diagnostics), filesScanned: modelFiles.length, asOf: opts.asOf,
    model, graph, lines: (file) => locator.lines(file),
  };
}

function runRules(rules: readonly Rule[], model: Model, graph: Graph, opts: LintOptions): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    const setting = opts.ruleSettings?.[rule.meta.id];
    const override = setting?.level && setting.level !== 'off' ? setting.level : undefined;
    const ctx: RuleContext = {
      model,
      graph,
      asOf: opts.asOf,
      options: setting?.options ?? {},
      report: (f) => out.push({ ...f, ruleId: rule.meta.id, level: configuredLevel(override, f.level, rule.meta.defaultLevel) }),
    };
    rule.check(ctx);
  }
  return out;
}

/** A configured level replaces the rule's main level; "could not decide" findings never rise above it. */
function configuredLevel(override: Level | undefined, reported: Level | undefined, defaultLevel: Level): Level {
  if (!override) return reported ?? defaultLevel;
  if (reported && LEVEL_RANK[reported] < LEVEL_RANK[override]) return reported;
  return override;
}

function locate(f: Finding, locator: Locator, cwd: string): ReportedFinding {
  const location = locator.locate(f.pointer);
  const lineText = locator.lines(location.file)[location.region.startLine - 1] ?? '';
  return {
    ...f,
    location,
    relatedLocations: f.related.map((r) => ({ location: locator.locate(r.pointer), message: r.message })),
    fingerprint: findingFingerprint(f.ruleId, f.address, fingerprintWords(f, cwd), lineText),
  };
}

/**
 * The discriminator, plus the root a finding comes from: several roots (dev, staging, prod) often
 * hold the same address, and their findings must not stand for each other in a baseline. The root
 * shows as the file of the first module call, or the finding's own file at the root.
 */
function fingerprintWords(f: Finding, cwd: string): string {
  const call = f.related.find((r) => r.message.startsWith('module call '));
  const rootFile = (call ?? f).pointer.file;
  return [f.discriminator ?? '', path.relative(cwd, rootFile).split(path.sep).join('/')].join('\u0000');
}

function compareFindings(a: ReportedFinding, b: ReportedFinding): number {
  return a.location.file.localeCompare(b.location.file)
    || a.location.region.startLine - b.location.region.startLine
    || a.location.region.startColumn - b.location.region.startColumn
    || LEVEL_RANK[b.level] - LEVEL_RANK[a.level]
    || a.ruleId.localeCompare(b.ruleId)
    || a.address.localeCompare(b.address);
}

function dedupeDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.level}|${d.file}|${d.line}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Sorts command-line paths into directories to scan, `.tf` files to lint alone, and plan JSON. */
function classifyInputs(paths: readonly string[], cwd: string, diagnostics: Diagnostic[]): { dirs: string[]; files: string[]; plans: PlanInput[] } {
  const dirs: string[] = [];
  const files: string[] = [];
  const plans: PlanInput[] = [];
  for (const p of paths.length ? paths : ['.']) {
    const abs = path.resolve(cwd, p);
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      diagnostics.push({ level: 'error', code: 'usage', file: abs, message: `no such file or directory: ${p}` });
      continue;
    }
    if (st.isDirectory()) dirs.push(abs);
    else if (/\.tf(\.json)?$/.test(abs)) files.push(abs);
    else if (/\.tfvars(\.json)?$/.test(abs)) diagnostics.push({ level: 'error', code: 'usage', file: abs, message: `${p} is a variables file: pass it with --var-file` });
    else plans.push({ file: abs });
  }
  return { dirs, files, plans };
}
