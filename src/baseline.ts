/**
 * Baselines: adopt the linter on an existing code base without fixing everything first.
 * `--write-baseline FILE` records today's findings (those not already suppressed by a comment
 * or a config exception) as `{version: 1, findings: [{rule, address, fingerprint}]}`;
 * `--baseline FILE` then suppresses the findings it records, so only new ones count.
 *
 * Matching is one-to-one, in two passes: first by (rule, address, fingerprint) — the fingerprint
 * survives lines moving — then, among what is left, by (rule, address) alone, so editing the
 * offending line of a baselined finding (say, python3.11 → python3.12) does not make it "new".
 * A second finding of the same rule on the same resource is still new: each entry matches once.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { LintResult, ReportedFinding } from './report/result';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  readonly rule: string;
  readonly address: string;
  readonly fingerprint: string;
}

export interface Baseline {
  /** How messages and justifications name the file (as given on the command line). */
  readonly name: string;
  readonly entries: readonly BaselineEntry[];
}

export type BaselineRead = { readonly ok: true; readonly baseline: Baseline } | { readonly ok: false; readonly error: string };

export interface BaselineOutcome {
  readonly result: LintResult;
  /** Findings the baseline suppressed. */
  readonly baselined: number;
  /** Baseline entries that matched no finding (fixed, or changed beyond recognition). */
  readonly stale: number;
}

/** Reads and checks a baseline file; `name` is how errors name it. */
export function readBaseline(file: string, name: string = file): BaselineRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file (create it with --write-baseline)' : code === 'EISDIR' ? 'it is a directory' : code ?? (e as Error).message;
    return { ok: false, error: `baseline ${name}: cannot read it: ${why}` };
  }
  return parseBaseline(text, name);
}

export function parseBaseline(text: string, name: string): BaselineRead {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    return { ok: false, error: `baseline ${name}: not valid JSON (${String((e as Error).message).split('\n')[0]})` };
  }
  const bad = (what: string): BaselineRead => ({ ok: false, error: `baseline ${name}: ${what}` });
  if (!isObject(data)) return bad('must be an object {"version": 1, "findings": [...]}');
  if (data.version !== BASELINE_VERSION) {
    return bad(`version must be ${BASELINE_VERSION}, found ${JSON.stringify(data.version) ?? 'none'} (rewrite it with --write-baseline)`);
  }
  if (!Array.isArray(data.findings)) return bad('findings must be a list');
  const entries: BaselineEntry[] = [];
  for (const [i, f] of data.findings.entries()) {
    if (!isObject(f)) return bad(`findings[${i}] must be an object {rule, address, fingerprint}`);
    for (const key of ['rule', 'address', 'fingerprint'] as const) {
      if (typeof f[key] !== 'string') return bad(`findings[${i}].${key} must be a string`);
    }
    entries.push({ rule: f.rule as string, address: f.address as string, fingerprint: f.fingerprint as string });
  }
  return { ok: true, baseline: { name, entries } };
}

/** The baseline entries for a result's unsuppressed findings, sorted so the file diffs cleanly. */
export function baselineEntries(findings: readonly ReportedFinding[]): BaselineEntry[] {
  return findings
    .filter((f) => !f.suppression)
    .map((f) => ({ rule: f.ruleId, address: f.address, fingerprint: f.fingerprint }))
    .sort((a, b) => cmp(a.rule, b.rule) || cmp(a.address, b.address) || cmp(a.fingerprint, b.fingerprint));
}

export function formatBaseline(entries: readonly BaselineEntry[]): string {
  return JSON.stringify({ version: BASELINE_VERSION, findings: entries }, null, 2) + '\n';
}

/** Writes the baseline atomically; returns how many findings it records, or the problem. */
export function writeBaseline(file: string, findings: readonly ReportedFinding[]): { ok: true; count: number } | { ok: false; error: string } {
  const entries = baselineEntries(findings);
  const error = writeFileAtomically(file, formatBaseline(entries));
  return error ? { ok: false, error } : { ok: true, count: entries.length };
}

/** Suppresses the findings the baseline records (kind external, "in baseline FILE"). */
export function applyBaseline(result: LintResult, baseline: Baseline): BaselineOutcome {
  const exact = new Map<string, number>();
  const loose = new Map<string, number>();
  for (const e of baseline.entries) {
    bump(exact, exactKey(e.rule, e.address, e.fingerprint), 1);
    bump(loose, looseKey(e.rule, e.address), 1);
  }
  const matched = new Array<boolean>(result.findings.length).fill(false);
  // Pass 1: unchanged findings; pass 2: the rest of each (rule, address) by count.
  result.findings.forEach((f, i) => {
    if (f.suppression) return;
    const k = exactKey(f.ruleId, f.address, f.fingerprint);
    if ((exact.get(k) ?? 0) > 0) {
      bump(exact, k, -1);
      bump(loose, looseKey(f.ruleId, f.address), -1);
      matched[i] = true;
    }
  });
  result.findings.forEach((f, i) => {
    if (f.suppression || matched[i]) return;
    const k = looseKey(f.ruleId, f.address);
    if ((loose.get(k) ?? 0) > 0) {
      bump(loose, k, -1);
      matched[i] = true;
    }
  });
  const justification = `in baseline ${baseline.name}`;
  const findings = result.findings.map((f, i) => (matched[i] ? { ...f, suppression: { kind: 'external' as const, justification } } : f));
  const baselined = matched.filter(Boolean).length;
  return { result: { ...result, findings }, baselined, stale: baseline.entries.length - baselined };
}

/**
 * Write to a temporary file beside the target and rename it over, so a failed or interrupted run
 * never leaves a partial file. Returns the problem, or undefined on success.
 */
export function writeFileAtomically(file: string, text: string): string | undefined {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
    return undefined;
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* nothing to clean */
    }
    const code = (e as NodeJS.ErrnoException).code;
    return `cannot write ${file}: ${code === 'ENOENT' ? 'no such directory' : code === 'EISDIR' ? 'it is a directory' : code ?? (e as Error).message}`;
  }
}

function exactKey(rule: string, address: string, fingerprint: string): string {
  return `${rule}\u0000${address}\u0000${fingerprint}`;
}

function looseKey(rule: string, address: string): string {
  return `${rule}\u0000${address}`;
}

function bump(m: Map<string, number>, k: string, by: number): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
