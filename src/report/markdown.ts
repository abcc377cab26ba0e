/**
 * `--format markdown`: a summary for a pull-request comment or a GitHub job summary
 * (`$GITHUB_STEP_SUMMARY`). A heading and counts, findings by rule (linked to the rule pages), a
 * table of findings (linked to their lines), input problems, then a Mermaid diagram per Lambda
 * function with findings — the evidence chain from its front doors and event sources through the
 * function to the security groups and stores it reaches, the IAM policies that grant access, and
 * the ECS task that could run the job instead — and the suppressed findings, collapsed.
 *
 * Everything from the linted files is escaped for Markdown tables and Mermaid labels, and the
 * whole stays within `maxBytes` (GitHub's job summary limit by default): tables and diagrams
 * stop with an "…and N more" line when the next row would not fit.
 */
import type { Graph } from '../graph/graph';
import { DEFAULT_STORE_TYPES, type StoreType } from '../graph/datastore-reach';
import { FRONT_DOORS } from '../../rules/lambda-no-http';
import { linkedGraph, toMermaid, type LinkedEdge, type LinkedGraph, type LinkedNode, type NodeKind } from '../graph/render';
import type { Diagnostic } from '../model/model';
import { LEVEL_RANK, type Level } from '../rule';
import { summarize } from './json';
import { cleanRegion, isPositiveInt, placeAll, relativeToCwd, type PlacedFinding, type PlacedLocation } from './paths';
import type { LintResult, ReportedFinding } from './result';
import { TOOL_NAME } from './sarif';

/** GitHub's limit for one step's job summary. A PR comment holds 65,536 characters: pass that instead. */
export const MARKDOWN_MAX_BYTES = 1024 * 1024;

/** Rows and diagrams beyond these are summarised even when they would fit: a summary is read, not searched. */
export const MARKDOWN_LIMITS = {
  findings: 1000,
  suppressed: 500,
  diagnostics: 100,
  diagrams: 25,
  /** Resources drawn in one Lambda's diagram. */
  diagramNodes: 40,
  /** Characters of one message or justification. */
  message: 1500,
} as const;

export interface MarkdownOptions {
  /** Base URL of the rule pages: a rule links to `<docsBaseUrl><rule-id>.md`. */
  readonly docsBaseUrl: string;
  readonly toolVersion: string;
  /** The run's graph: diagrams then show every linked resource. Without it, diagrams are drawn
   *  from what the findings' related locations and messages say. */
  readonly graph?: Graph;
  /** Data-store types the lambda-no-datastore rule used (its `extraStoreTypes` included). */
  readonly storeTypes?: readonly StoreType[];
  /** Prefix of file links (`https://github.com/o/r/blob/<sha>/`); default '' (links relative to the page). */
  readonly sourceBaseUrl?: string;
  /** Upper bound of the output in UTF-8 bytes (default MARKDOWN_MAX_BYTES). */
  readonly maxBytes?: number;
}

/** Room kept for each section still to come (its heading and an "…and N more" line). */
const SECTION_RESERVE = 600;

export function formatMarkdown(result: LintResult, opts: MarkdownOptions): string {
  const maxBytes = opts.maxBytes !== undefined && Number.isFinite(opts.maxBytes) && opts.maxBytes > 0 ? Math.floor(opts.maxBytes) : MARKDOWN_MAX_BYTES;
  const doc = new Doc(maxBytes);
  const placed = placeAll(result.cwd, result.findings);
  const open = placed.filter((p) => !p.finding.suppression);
  const suppressed = placed.filter((p) => p.finding.suppression);
  const footer = `<sub>${TOOL_NAME} ${escapeText(opts.toolVersion)} · as of ${escapeText(result.asOf)}</sub>`;
  // A section may fill the page only up to the room kept for itself and the sections after it.
  const keep = (sections: number): number => sections * SECTION_RESERVE + bytes(footer) + 2;

  doc.force(`## ${TOOL_NAME}`, '', countsLine(result), '');
  rulesSection(doc, open, opts, keep(5));
  findingsSection(doc, open, opts, keep(4));
  diagnosticsSection(doc, result, keep(3));
  evidenceSection(doc, result, open, opts, keep(2));
  suppressedSection(doc, result, suppressed, opts, keep(1));
  doc.force(footer);
  return doc.text();
}

/** The document so far and the bytes it may still take. */
class Doc {
  private readonly lines: string[] = [];
  private used = 0;

  constructor(private readonly max: number) {}

  /** Lines that are always written (headings, "…and N more"): their room was reserved. */
  force(...lines: string[]): void {
    for (const l of lines) {
      this.lines.push(l);
      this.used += bytes(l) + 1;
    }
  }

  /** Writes the lines if they fit with `reserve` bytes left over; all or nothing. */
  fits(lines: readonly string[], reserve: number): boolean {
    const n = lines.reduce((sum, l) => sum + bytes(l) + 1, 0);
    if (this.used + n + reserve > this.max) return false;
    this.lines.push(...lines);
    this.used += n;
    return true;
  }

  text(): string {
    return this.lines.join('\n') + '\n';
  }
}

function bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

// ---- sections ----

function countsLine(result: LintResult): string {
  const s = summarize(result);
  const shown = s.error + s.warning + s.note;
  const parts: string[] = [];
  if (shown === 0) parts.push(s.files === 0 ? '**⚠ Nothing was linted**: no Terraform files or plans were found' : '**✔ No findings**');
  else parts.push(`**✖ ${[plural(s.error, 'error'), plural(s.warning, 'warning'), plural(s.note, 'note')].join(', ')}**`);
  if (s.suppressed) parts.push(`${s.suppressed} suppressed`);
  if (s.files) parts.push(`${plural(s.files, 'file')} scanned`);
  if (result.diagnostics.length) {
    // An input error makes the exit code 2: it is as loud as the findings.
    const words = plural(result.diagnostics.length, 'input problem');
    parts.push(result.diagnostics.some((d) => d.level === 'error') ? `**${words}**` : words);
  }
  return parts.join(' · ');
}

function rulesSection(doc: Doc, open: readonly PlacedFinding[], opts: MarkdownOptions, reserve: number): void {
  if (!open.length) return;
  const counts = new Map<string, number>();
  for (const p of open) {
    const key = `${p.finding.ruleId}\0${p.finding.level}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const rows = [...counts]
    .map(([key, count]) => {
      const [ruleId, level] = key.split('\0') as [string, Level];
      return { ruleId, level, count };
    })
    .sort((a, b) => cmp(a.ruleId, b.ruleId) || (LEVEL_RANK[b.level] ?? 0) - (LEVEL_RANK[a.level] ?? 0));
  table(doc, '### Findings by rule', ['Rule', 'Level', 'Count'], ['---', '---', '---:'], rows.map((r) => [
    `[${codeSpan(r.ruleId)}](${ruleUrl(opts.docsBaseUrl, r.ruleId)})`,
    escapeText(r.level),
    String(r.count),
  ]), Infinity, (n) => `…and ${plural(n, 'more rule')}.`, reserve);
}

function findingsSection(doc: Doc, open: readonly PlacedFinding[], opts: MarkdownOptions, reserve: number): void {
  if (!open.length) return;
  table(doc, '### Findings', ['Level', 'Rule', 'Location', 'Resource', 'Message'], ['---', '---', '---', '---', '---'], open.map((p) => [
    escapeText(p.finding.level),
    codeSpan(p.finding.ruleId),
    p.primary ? locationLink(p.primary, opts.sourceBaseUrl) : '—',
    codeSpan(p.finding.address),
    escapeText(truncate(p.finding.message, MARKDOWN_LIMITS.message)),
  ]), MARKDOWN_LIMITS.findings, (n) => `…and ${plural(n, 'more finding')} (see the SARIF or JSON report for all of them).`, reserve);
}

function diagnosticsSection(doc: Doc, result: LintResult, reserve: number): void {
  if (!result.diagnostics.length) return;
  doc.force('### Input problems', '');
  const items = result.diagnostics.map((d) => `- **${escapeText(d.level)}** ${diagnosticPlace(result.cwd, d)}${escapeText(truncate(d.message, MARKDOWN_LIMITS.message))} (${codeSpan(d.code)})`);
  list(doc, items, MARKDOWN_LIMITS.diagnostics, (n) => `- …and ${plural(n, 'more input problem')}.`, reserve);
  doc.force('');
}

function suppressedSection(doc: Doc, result: LintResult, suppressed: readonly PlacedFinding[], opts: MarkdownOptions, reserve: number): void {
  if (!suppressed.length) return;
  doc.force('<details>', `<summary>${plural(suppressed.length, 'suppressed finding')}</summary>`, '');
  table(doc, undefined, ['Rule', 'Location', 'Resource', 'Justification'], ['---', '---', '---', '---'], suppressed.map((p) => {
    const s = p.finding.suppression!;
    const where = s.location ? relativeToCwd(result.cwd, s.location.file) : undefined;
    const how = s.kind === 'external' ? 'config' : 'in source';
    const at = where !== undefined && s.location ? `, ${locationLink({ path: where, location: s.location }, opts.sourceBaseUrl)}` : '';
    return [
      codeSpan(p.finding.ruleId),
      p.primary ? locationLink(p.primary, opts.sourceBaseUrl) : '—',
      codeSpan(p.finding.address),
      `${escapeText(truncate(s.justification, MARKDOWN_LIMITS.message))} (${how}${at})`,
    ];
  }), MARKDOWN_LIMITS.suppressed, (n) => `…and ${plural(n, 'more suppressed finding')}.`, reserve);
  doc.force('</details>', '');
}

function evidenceSection(doc: Doc, result: LintResult, open: readonly PlacedFinding[], opts: MarkdownOptions, reserve: number): void {
  const byFunction = new Map<string, ReportedFinding[]>();
  for (const p of open) {
    if (!isLambdaAddress(p.finding.address)) continue;
    const list = byFunction.get(p.finding.address) ?? [];
    list.push(p.finding);
    byFunction.set(p.finding.address, list);
  }
  if (!byFunction.size) return;
  const lg = opts.graph ? safeLinkedGraph(opts.graph, result.cwd, opts.storeTypes) : undefined;
  const order = [...byFunction].sort(([a, fa], [b, fb]) => worst(fb) - worst(fa) || cmp(a, b));
  const diagrams = order.map(([address, findings]) => ({ address, findings, diagram: evidenceDiagram(address, findings, lg) }));
  const drawn = diagrams.filter((d) => d.diagram.nodes.length > 1);
  const alone = diagrams.filter((d) => d.diagram.nodes.length <= 1);
  doc.force('### Evidence', '');
  let written = 0;
  for (const d of drawn) {
    if (written >= MARKDOWN_LIMITS.diagrams) break;
    const rules = countRules(d.findings);
    const block = [
      `#### ${codeSpan(d.address)}`,
      '',
      `${rules.map(([id, n]) => `${codeSpan(id)}${n > 1 ? ` ×${n}` : ''}`).join(', ')}${d.diagram.omitted ? ` · ${plural(d.diagram.omitted, 'more linked resource')} not drawn` : ''}`,
      '',
      '```mermaid',
      ...toMermaid(d.diagram, {
        groupByModule: false,
        highlight: d.diagram.highlight,
        notes: new Map([[d.diagram.fnId, rules.map(([id, n]) => `${id}${n > 1 ? ` ×${n}` : ''}`).join(', ')]]),
      }).trimEnd().split('\n'),
      '```',
      '',
    ];
    if (!doc.fits(block, reserve)) break;
    written++;
  }
  if (written < drawn.length) doc.force(`…and ${plural(drawn.length - written, 'more diagram')} not shown.`, '');
  if (alone.length) {
    const names = alone.slice(0, 50).map((d) => codeSpan(d.address)).join(', ');
    doc.fits([`Functions with findings but nothing linked to draw: ${names}${alone.length > 50 ? `, …and ${alone.length - 50} more` : ''}.`, ''], reserve);
  }
}

/** The graph only adds detail to the diagrams: if building it fails, they come from the findings. */
function safeLinkedGraph(graph: Graph, cwd: string, storeTypes: readonly StoreType[] | undefined): LinkedGraph | undefined {
  try {
    return linkedGraph(graph.model, graph, { cwd, storeTypes });
  } catch {
    return undefined;
  }
}

// ---- evidence diagrams ----

export interface EvidenceDiagram {
  readonly nodes: LinkedNode[];
  readonly edges: LinkedEdge[];
  /** Id of the function's node. */
  readonly fnId: string;
  /** Nodes the findings name (front doors, stores, groups, policies). */
  readonly highlight: Set<string>;
  /** Linked resources left out to keep the diagram readable. */
  readonly omitted: number;
}

/**
 * The evidence chain of one function: from the graph when there is one (its invokers with their
 * upstream chains, its reach, IAM grants, and ECS tasks that already reach the same stores),
 * and from what its findings' related locations and messages say otherwise.
 */
export function evidenceDiagram(address: string, findings: readonly ReportedFinding[], lg?: LinkedGraph): EvidenceDiagram {
  const fromGraph = lg ? graphEvidence(address, findings, lg) : undefined;
  const d = fromGraph ?? findingEvidence(address, findings);
  const cited = citedAddresses(findings);
  const highlight = new Set(d.nodes.filter((n) => n.id === d.fnId || cited.has(n.address)).map((n) => n.id));
  return capNodes({ ...d, highlight, omitted: 0 });
}

function graphEvidence(address: string, findings: readonly ReportedFinding[], lg: LinkedGraph): Omit<EvidenceDiagram, 'highlight' | 'omitted'> | undefined {
  const candidates = lg.nodes.filter((n) => n.address === address && n.kind === 'lambda');
  if (!candidates.length) return undefined;
  // Two roots may hold the same address: the one whose file the findings point at.
  const files = new Set(findings.map((f) => f.location?.file));
  const fn = candidates.find((n) => n.resource && files.has(n.resource.pointer.file)) ?? candidates[0];
  const edges: LinkedEdge[] = [...(lg.evidence.get(fn.id) ?? [])];
  const stores = new Set(lg.reaches.get(fn.id) ?? []);
  if (stores.size) {
    for (const task of lg.nodes) {
      if (task.type !== 'aws_ecs_task_definition') continue;
      if ((lg.reaches.get(task.id) ?? []).some((s) => stores.has(s))) edges.push({ from: fn.id, to: task.id, label: 'run the job as', suggestion: true });
    }
  }
  const used = new Set([fn.id, ...edges.flatMap((e) => [e.from, e.to])]);
  return { nodes: lg.nodes.filter((n) => used.has(n.id)), edges, fnId: fn.id };
}

/** Related-location messages the rules write, and what each names. */
const RELATED: readonly { readonly re: RegExp; readonly kind: NodeKind }[] = [
  { re: /^shared security group (\S+)$/, kind: 'security-group' },
  { re: /^security group rule (\S+)$/, kind: 'security-group' },
  { re: /^policy (.+)$/, kind: 'policy' },
  { re: /^ECS task definition (\S+) already reaches it$/, kind: 'ecs' },
];

/** The front door a related location of a lambda-no-http finding names (`API Gateway REST integration aws_x.y`). */
function frontDoorOf(message: string): string | undefined {
  const door = FRONT_DOORS.find((d) => message.startsWith(`${d.label} `));
  return door ? message.slice(door.label.length + 1) : undefined;
}

/** The store a related location of a lambda-no-datastore finding names (`RDS instance aws_db_instance.main`). */
function storeOf(message: string): string | undefined {
  const store = DEFAULT_STORE_TYPES.find((t) => message.startsWith(`${t.label} `));
  return store ? message.slice(store.label.length + 1) : undefined;
}

/** The chain as the findings tell it, for reports made without the graph. */
function findingEvidence(address: string, findings: readonly ReportedFinding[]): Omit<EvidenceDiagram, 'highlight' | 'omitted'> {
  const nodes = new Map<string, LinkedNode>();
  const edges: LinkedEdge[] = [];
  const node = (addr: string, kind: NodeKind): string => {
    if (!nodes.has(addr)) nodes.set(addr, { id: addr, type: typeOf(addr), address: addr, kind, module: '', root: '.' });
    return addr;
  };
  const edge = (e: LinkedEdge): void => {
    if (!edges.some((x) => x.from === e.from && x.to === e.to && x.label === e.label)) edges.push(e);
  };
  const fn = node(address, 'lambda');
  for (const f of findings) {
    if (f.ruleId === 'lambda-no-http') {
      for (const r of f.relatedLocations) {
        const door = frontDoorOf(r.message);
        if (door) edge({ from: node(door, 'front-door'), to: fn, label: 'invokes' });
      }
    }
    if (f.ruleId !== 'lambda-no-datastore') continue;
    const stores = f.relatedLocations.map((r) => storeOf(r.message)).filter((x): x is string => !!x).map((a) => node(a, 'store'));
    // IAM grants that name no store resource: the kind of store the message names.
    if (!stores.length) {
      const kind = /can reach ([^(]+?) \(/.exec(f.message)?.[1];
      if (kind) stores.push(node(kind, 'store'));
    }
    const linked = new Set<string>();
    for (const r of f.relatedLocations) {
      for (const { re, kind } of RELATED) {
        const m = re.exec(r.message);
        if (!m) continue;
        const id = node(m[1], kind);
        // Which store a rule or policy leads to is in the graph, not the finding: link each to the first store.
        const storeId = stores[0];
        if (kind === 'security-group' && r.message.startsWith('shared') && storeId) {
          edge({ from: fn, to: id, label: 'in security group' });
          edge({ from: id, to: storeId, label: 'guards' });
          linked.add(storeId);
        } else if (kind === 'security-group' && storeId) {
          edge({ from: fn, to: storeId, label: `reaches via SG (rule ${m[1]})` });
          nodes.delete(id);
          linked.add(storeId);
        } else if (kind === 'policy' && storeId) {
          const action = /is granted (\S+)/.exec(f.message)?.[1];
          edge({ from: id, to: fn, label: action ? `IAM grant (${action})` : 'IAM grant' });
          edge({ from: fn, to: storeId, label: 'connects to' });
          linked.add(storeId);
        } else if (kind === 'ecs') {
          edge({ from: fn, to: id, label: 'run the job as', suggestion: true });
        }
      }
    }
    const env = /environment variable (\S+) references it/.exec(f.message);
    if (env && stores[0]) {
      edge({ from: fn, to: stores[0], label: `env reference (${env[1]})` });
      linked.add(stores[0]);
    }
    for (const st of stores) if (!linked.has(st)) edge({ from: fn, to: st, label: 'reaches' });
  }
  const kindOrder: NodeKind[] = ['front-door', 'event-source', 'policy', 'lambda', 'security-group', 'store', 'ecs'];
  const list = [...nodes.values()].sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || cmp(a.address, b.address));
  return { nodes: list, edges, fnId: fn };
}

/** Addresses the findings name: the last word of related messages. */
function citedAddresses(findings: readonly ReportedFinding[]): Set<string> {
  const out = new Set<string>();
  for (const f of findings) {
    for (const r of f.relatedLocations) {
      const words = String(r.message ?? '').split(' ');
      out.add(words[words.length - 1]);
      const m = /^ECS task definition (\S+) already reaches it$/.exec(r.message);
      if (m) out.add(m[1]);
    }
  }
  return out;
}

/** At most MARKDOWN_LIMITS.diagramNodes nodes: the function first, then edges in order while room is left. */
function capNodes(d: EvidenceDiagram): EvidenceDiagram {
  if (d.nodes.length <= MARKDOWN_LIMITS.diagramNodes) return d;
  const keep = new Set([d.fnId]);
  const edges: LinkedEdge[] = [];
  // Edges touching the function come first: they are the findings' own links.
  const ordered = [...d.edges.filter((e) => e.from === d.fnId || e.to === d.fnId), ...d.edges.filter((e) => e.from !== d.fnId && e.to !== d.fnId)];
  for (const e of ordered) {
    const extra = [e.from, e.to].filter((id) => !keep.has(id)).length;
    if (keep.size + extra > MARKDOWN_LIMITS.diagramNodes) continue;
    keep.add(e.from);
    keep.add(e.to);
    edges.push(e);
  }
  const nodes = d.nodes.filter((n) => keep.has(n.id));
  return { ...d, nodes, edges: d.edges.filter((e) => edges.includes(e)), omitted: d.nodes.length - nodes.length };
}

function isLambdaAddress(address: string): boolean {
  return /(^|\.)aws_lambda_function\.[^.]+$/.test(address) || /(^|\.)aws_lambda_function\.[^.[]+\[.*\]$/.test(address);
}

function typeOf(address: string): string {
  return /(?:^|\.)(aws_[a-z0-9_]+)\.[^.[\]]+(?:\[[^\]]*\])?$/.exec(address)?.[1] ?? '';
}

function worst(findings: readonly ReportedFinding[]): number {
  return Math.max(...findings.map((f) => LEVEL_RANK[f.level] ?? 0));
}

/** Rule ids of the findings with how often each occurs, by id. */
function countRules(findings: readonly ReportedFinding[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => cmp(a, b));
}

// ---- tables and lists ----

/** A table whose rows stop (with a `more` line) at `cap` rows or when the next would not fit. */
function table(doc: Doc, heading: string | undefined, head: readonly string[], align: readonly string[], rows: readonly string[][], cap: number, more: (n: number) => string, reserve: number): void {
  if (heading) doc.force(heading, '');
  const headLines = [`| ${head.join(' | ')} |`, `| ${align.join(' | ')} |`];
  let written = 0;
  for (const row of rows) {
    if (written >= cap) break;
    const line = `| ${row.join(' | ')} |`;
    if (!doc.fits(written === 0 ? [...headLines, line] : [line], reserve)) break;
    written++;
  }
  if (written < rows.length) {
    if (written > 0) doc.force('');
    doc.force(more(rows.length - written));
  }
  doc.force('');
}

function list(doc: Doc, items: readonly string[], cap: number, more: (n: number) => string, reserve: number): void {
  let written = 0;
  for (const item of items) {
    if (written >= cap || !doc.fits([item], reserve)) break;
    written++;
  }
  if (written < items.length) doc.force(more(items.length - written));
}

// ---- escaping ----

/**
 * Plain text for a table cell or a list item: Markdown punctuation backslash-escaped (so `*`,
 * `_`, `[`, `<` and `|` show as themselves and never split a cell), line breaks as `<br>`,
 * control characters dropped, and `@` kept from mentioning anyone.
 */
export function escapeText(s: string): string {
  return String(s ?? '')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/[\\`*{}[\]<>|~&#!]/g, (c) => `\\${c}`)
    // `_` emphasises only at a word's edge (GFM never does inside `snake_case`), so only there is it escaped.
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/@/g, '@\u200b')
    .replace(/\r\n|\r|\n/g, '<br>');
}

/** An inline code span that holds any text: a fence longer than any backtick run inside, `|` escaped for tables. */
export function codeSpan(s: string): string {
  const text = String(s ?? '').replace(/[\r\n\t]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  // GFM splits table cells at `|` even inside code spans unless it is escaped.
  return `${fence}${pad}${text.replace(/\|/g, '\\|')}${pad}${fence}`;
}

/** `[path:line](path#Lstart-Lend)`, relative unless a base URL is given. */
function locationLink(p: PlacedLocation, base = ''): string {
  const r = cleanRegion(p.location.region);
  const anchor = r.endLine > r.startLine ? `#L${r.startLine}-L${r.endLine}` : `#L${r.startLine}`;
  return `[${escapeText(`${p.path}:${r.startLine}`)}](${linkTarget(base, p.path)}${anchor})`;
}

/** A link destination Markdown takes whole: path segments percent-encoded, and no space, parenthesis or angle bracket left in the base. */
function linkTarget(base: string, file: string): string {
  return urlSafe(base) + file.split('/').map((seg) => urlSafe(encodeURIComponent(seg))).join('/');
}

function ruleUrl(base: string, ruleId: string): string {
  return `${urlSafe(base)}${urlSafe(encodeURIComponent(ruleId))}.md`;
}

function urlSafe(s: string): string {
  return s.replace(/[\s()<>|\\]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function diagnosticPlace(cwd: string, d: Diagnostic): string {
  const rel = d.file ? relativeToCwd(cwd, d.file) : undefined;
  if (rel === undefined) return '';
  const line = isPositiveInt(d.line) ? `:${d.line}` : '';
  return `${codeSpan(rel + line)} `;
}

function truncate(s: string, max: number): string {
  const text = String(s ?? '');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
