/**
 * The suppression pass: marks located findings suppressed by an inline comment or a config
 * exception, brings back (and says so) findings whose suppression has expired, and reports
 * comments that do not work as `lambda-adr-lint-suppression` findings.
 *
 * A comment suppresses a finding when it sits above one of the finding's anchors: its own
 * location, its resource's block or an attribute inside that block among its related locations,
 * or a module call that created the resource. Only files that hold an anchor are read for
 * comments (through the Locator, which has most of them already), never the whole input.
 */
import * as path from 'path';
import { hasExpired } from '../config/dates';
import type { Locator } from '../locate/locator';
import type { Resource } from '../model/model';
import { hclPointer, pointerKey, type Location, type SourcePointer } from '../model/source';
import { nearest } from '../config/nearest';
import { findingFingerprint } from '../report/fingerprint';
import type { ReportedFinding, Suppression } from '../report/result';
import type { Level } from '../rule';
import { scanComments, type SuppressionComment } from './comments';
import { exceptionMatcher, type AddressException, type ExceptionMatcher } from './exceptions';
import { SUPPRESSION_RULE_ID } from './rule';

export interface SuppressOptions {
  readonly cwd: string;
  /** "Today" (YYYY-MM-DD): suppressions whose `expires` is before it no longer apply. */
  readonly asOf: string;
  readonly locator: Locator;
  /** The model's resources, to find each finding's block and module calls. */
  readonly resources: readonly Resource[];
  /** Every rule ID a comment may name. */
  readonly knownRules: ReadonlySet<string>;
  readonly exceptions?: readonly AddressException[];
  /** Level of the findings about broken comments; `off` reports none. Default warning. */
  readonly problemLevel?: Level | 'off';
}

/** A line a suppression comment can sit above, and the address of what is there. */
interface Anchor {
  readonly file: string;
  readonly line: number;
  readonly address: string;
}

/** The findings with suppressions applied (same order), then one finding per broken comment. */
export function applySuppressions(findings: readonly ReportedFinding[], opts: SuppressOptions): ReportedFinding[] {
  const comments = new CommentIndex(opts.locator);
  const exceptions = exceptionMatcher(opts.exceptions ?? []);
  const named = new Map<string, string>(); // `file:line` → address, to name a broken comment's finding
  const byAddress = new Map<string, Resource[]>();
  for (const r of opts.resources) {
    const list = byAddress.get(r.address);
    if (list) list.push(r);
    else byAddress.set(r.address, [r]);
  }
  const out = findings.map((f) => {
    const anchors = anchorsOf(f, ownResource(f, byAddress.get(f.address)), opts);
    for (const a of anchors) if (!named.has(`${a.file}:${a.line}`)) named.set(`${a.file}:${a.line}`, a.address);
    return decide(f, anchors, comments, exceptions, opts);
  });
  if (opts.problemLevel !== 'off') {
    for (const [file, list] of comments.scanned()) {
      for (const c of list) {
        const message = problemMessage(c, opts.knownRules);
        if (message) out.push(problemFinding(file, c, message, named.get(`${file}:${c.target}`) ?? '', opts));
      }
    }
  }
  return out;
}

function decide(f: ReportedFinding, anchors: readonly Anchor[], comments: CommentIndex, exceptions: ExceptionMatcher, opts: SuppressOptions): ReportedFinding {
  if (f.suppression || f.ruleId === SUPPRESSION_RULE_ID) return f;
  let expired: string | undefined;
  for (const a of anchors) {
    for (const c of comments.above(a.file, a.line)) {
      if (c.problems.length > 0 || !c.reason || !c.rules.includes(f.ruleId)) continue;
      const location: Location = { file: a.file, region: { startLine: c.line, startColumn: c.startColumn, endLine: c.line, endColumn: c.endColumn } };
      if (hasExpired(c.expires, opts.asOf)) {
        expired ??= `The suppression at ${shownPath(opts.cwd, a.file)}:${c.line} expired on ${c.expires} (reason: "${c.reason}").`;
        continue;
      }
      return withSuppression(f, { kind: 'inSource', justification: c.reason, location });
    }
  }
  for (const e of exceptions.matching(f.ruleId, f.address)) {
    if (hasExpired(e.expires, opts.asOf)) {
      const where = e.location ? `${e.origin}:${e.location.region.startLine}` : e.origin;
      expired ??= `The exception in ${where} expired on ${e.expires} (reason: "${e.reason}").`;
      continue;
    }
    return withSuppression(f, { kind: 'external', justification: e.reason, ...(e.location ? { location: e.location } : {}) });
  }
  if (!expired) return f;
  const message = /[.!?]$/.test(f.message.trim()) ? f.message.trim() : `${f.message.trim()}.`;
  return { ...f, message: `${message} ${expired}` };
}

function withSuppression(f: ReportedFinding, suppression: Suppression): ReportedFinding {
  return { ...f, suppression };
}

/**
 * The resource a finding belongs to. Root modules scanned together can each have a resource of
 * the same address; the finding's own pointers (its resource block is among its related
 * locations) tell which.
 */
function ownResource(f: ReportedFinding, candidates: readonly Resource[] | undefined): Resource | undefined {
  if (!candidates || candidates.length <= 1) return candidates?.[0];
  const pointers = [f.pointer, ...f.related.map((r) => r.pointer)];
  const inBlock = candidates.filter((r) => pointers.some((p) => within(p, r.pointer)));
  // Several roots calling one shared module: the module calls the finding names tell its root.
  const keys = new Set(pointers.map(pointerKey));
  const byChain = inBlock.find((r) => r.moduleChain.length > 0 && r.moduleChain.every((c) => keys.has(pointerKey(c.pointer))));
  return byChain ?? inBlock[0];
}

/** The lines a comment can sit above to suppress the finding, without repeats. */
function anchorsOf(f: ReportedFinding, r: Resource | undefined, opts: SuppressOptions): Anchor[] {
  const out: Anchor[] = [];
  const seen = new Set<string>();
  const add = (loc: Location | undefined, address: string): void => {
    if (!loc) return;
    const key = `${loc.file}:${loc.region.startLine}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ file: loc.file, line: loc.region.startLine, address });
  };
  add(f.location, f.address);
  if (r) {
    add(opts.locator.locate(r.pointer), r.address);
    f.related.forEach((rel, i) => {
      if (within(rel.pointer, r.pointer)) add(f.relatedLocations[i]?.location, r.address);
    });
    for (const call of r.moduleChain) add(opts.locator.locate(call.pointer), call.address);
  } else {
    // Not a resource of the model (a hand-made finding): its module call locations still count.
    for (const rel of f.relatedLocations) if (rel.message.startsWith('module call ')) add(rel.location, rel.message.slice('module call '.length));
  }
  return out;
}

/** Whether `p` names the block `block` or something inside it. */
function within(p: SourcePointer, block: SourcePointer): boolean {
  return p.file === block.file && p.kind === block.kind && p.path.length >= block.path.length && block.path.every((s, i) => p.path[i] === s);
}

/** Suppression comments of the files read so far, by the line they apply to. */
class CommentIndex {
  private readonly files = new Map<string, { all: SuppressionComment[]; byTarget: Map<number, SuppressionComment[]> }>();

  constructor(private readonly locator: Locator) {}

  above(file: string, line: number): readonly SuppressionComment[] {
    return this.file(file).byTarget.get(line) ?? [];
  }

  scanned(): [string, readonly SuppressionComment[]][] {
    return [...this.files].map(([file, v]) => [file, v.all]);
  }

  private file(file: string): { all: SuppressionComment[]; byTarget: Map<number, SuppressionComment[]> } {
    let entry = this.files.get(file);
    if (!entry) {
      // JSON (plans, .tf.json) has no comments.
      const all = file.toLowerCase().endsWith('.json') ? [] : scanComments(this.locator.lines(file));
      const byTarget = new Map<number, SuppressionComment[]>();
      for (const c of all) {
        if (c.target === undefined) continue;
        const list = byTarget.get(c.target);
        if (list) list.push(c);
        else byTarget.set(c.target, [c]);
      }
      entry = { all, byTarget };
      this.files.set(file, entry);
    }
    return entry;
  }
}

/** What is wrong with a comment, as one message; undefined when nothing is. */
function problemMessage(c: SuppressionComment, known: ReadonlySet<string>): string | undefined {
  const unknown = c.rules.filter((r) => !known.has(r));
  const hints = unknown.map((r) => suggest(r, known));
  const unknownText = unknown.length
    ? unknown.map((r, i) => `"${r}" is not a rule${hints[i]}`).join(', ') + (hints.every((h) => h) ? '' : ' (`lambda-adr-lint rules` lists them)')
    : undefined;
  if (c.problems.length > 0) {
    return `This suppression comment suppresses nothing: ${[...c.problems, ...(unknownText ? [unknownText] : [])].join('; ')}.`;
  }
  if (!unknownText) return undefined;
  const allUnknown = unknown.length === c.rules.length;
  return `This suppression comment ${allUnknown ? 'suppresses nothing' : 'suppresses less than it says'}: ${unknownText}.`;
}

/** ` (did you mean "x"?)` for a near miss of a known rule ID. */
function suggest(id: string, known: ReadonlySet<string>): string {
  const best = nearest(id, known);
  return best ? ` (did you mean "${best}"?)` : '';
}

function problemFinding(file: string, c: SuppressionComment, message: string, address: string, opts: SuppressOptions): ReportedFinding {
  const lineText = opts.locator.lines(file)[c.line - 1] ?? '';
  const where = shownPath(opts.cwd, file);
  const level = opts.problemLevel && opts.problemLevel !== 'off' ? opts.problemLevel : 'warning';
  return {
    ruleId: SUPPRESSION_RULE_ID,
    level,
    message,
    address,
    pointer: hclPointer(file, []),
    related: [],
    // The file keeps two identical comments in different files apart.
    discriminator: where,
    location: { file, region: { startLine: c.line, startColumn: c.startColumn, endLine: c.line, endColumn: Math.max(c.endColumn, c.startColumn + 1) } },
    relatedLocations: [],
    fingerprint: findingFingerprint(SUPPRESSION_RULE_ID, address, where, lineText),
  };
}

/** A path for messages: relative to the working directory with `/`, else absolute. */
export function shownPath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}
