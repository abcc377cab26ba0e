/**
 * `--format github`: workflow commands that GitHub Actions turns into annotations on the PR diff.
 * Suppressed findings are left out (they never fail the run); input problems come first.
 * Columns are given only for one-line regions: GitHub's annotations accept a column range only
 * when the start and end line are the same.
 */
import type { Diagnostic } from '../model/model';
import type { Level } from '../rule';
import { cleanRegion, isPositiveInt, placeAll, relativeToCwd, type PlacedFinding } from './paths';
import type { LintResult } from './result';
import { TOOL_NAME } from './sarif';

type Command = 'error' | 'warning' | 'notice';

const COMMAND: Record<Level, Command> = { error: 'error', warning: 'warning', note: 'notice' };

/** Escapes a command's message: `%`, CR and LF. */
export function escapeData(s: string): string {
  return String(s ?? '').replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value: as data, plus `:` and `,` (which delimit properties). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(result: LintResult): string {
  const out: string[] = [];
  for (const d of result.diagnostics) out.push(diagnosticCommand(result.cwd, d));
  for (const p of placeAll(result.cwd, result.findings)) {
    if (!p.finding.suppression) out.push(findingCommand(p));
  }
  return out.length > 0 ? out.join('\n') + '\n' : '';
}

function findingCommand(p: PlacedFinding): string {
  const f = p.finding;
  const props: [string, string | number][] = [];
  if (p.primary) {
    const r = cleanRegion(p.primary.location.region);
    props.push(['file', p.primary.path], ['line', r.startLine], ['endLine', r.endLine]);
    if (r.startLine === r.endLine) props.push(['col', r.startColumn], ['endColumn', r.endColumn]);
  }
  props.push(['title', f.ruleId]);
  // Without a file the annotation has no anchor, so the resource address has to say where.
  const head = p.primary ? f.message : `${f.address}: ${f.message}`;
  const lines = [head, ...p.related.map((r) => `↳ ${r.path}:${cleanRegion(r.location.region).startLine} ${r.message}`.trimEnd())];
  return command(COMMAND[f.level] ?? 'warning', props, lines.join('\n'));
}

function diagnosticCommand(cwd: string, d: Diagnostic): string {
  const props: [string, string | number][] = [];
  const rel = d.file ? relativeToCwd(cwd, d.file) : undefined;
  if (rel !== undefined) {
    props.push(['file', rel]);
    if (isPositiveInt(d.line)) {
      props.push(['line', d.line]);
      if (isPositiveInt(d.column)) props.push(['col', d.column]);
    }
  }
  props.push(['title', `${TOOL_NAME} ${d.code}`]);
  return command(COMMAND[d.level] ?? 'warning', props, d.message);
}

function command(name: Command, props: readonly [string, string | number][], message: string): string {
  const list = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${name}${list ? ' ' + list : ''}::${escapeData(message)}`;
}
