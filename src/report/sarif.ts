/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning (DESIGN.md §SARIF, facts/sarif.md).
 * One run; paths relative to cwd under `%SRCROOT%`; exactly one location per result; GitHub's
 * limits applied here so an upload is never rejected. `automationDetails` is left unset on purpose:
 * the upload action sets the category only when the run has none.
 */
import type * as sarif from 'sarif';
import { pathToFileURL } from 'url';
import type { Diagnostic } from '../model/model';
import type { Location } from '../model/source';
import { LEVEL_RANK, type Level, type RuleMeta } from '../rule';
import { lineHashes } from './fingerprint';
import { cleanRegion, isPositiveInt, placeAll, relativeToCwd, type PlacedFinding } from './paths';
import type { LintResult } from './result';

export const TOOL_NAME = 'lambda-adr-lint';
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';
/** Our own fingerprint's key in `partialFingerprints` (versioned so its meaning can change). */
export const FINGERPRINT_KEY = 'lambdaAdrLint/v1';

/** GitHub rejects (or truncates) runs beyond these (facts/sarif.md §4). */
export const SARIF_LIMITS = { results: 25_000, relatedLocations: 1_000, tagsPerRule: 10 } as const;

export interface SarifOptions {
  /** Where `docs/rules/<id>.md` pages live, e.g. `https://github.com/org/repo/blob/main/docs/rules/`. */
  readonly docsBaseUrl: string;
  readonly toolVersion: string;
  /** Lines of a file, for `primaryLocationLineHash`; without it GitHub's upload action computes the hash. */
  readonly readLines?: (file: string) => readonly string[];
}

export function formatSarif(result: LintResult, opts: SarifOptions): string {
  return JSON.stringify(toSarif(result, opts), null, 2) + '\n';
}

export function toSarif(result: LintResult, opts: SarifOptions): sarif.Log {
  const cwd = result.cwd;
  const rootUri = directoryUri(cwd);
  const docsBase = absoluteUrl(withSlash(opts.docsBaseUrl));

  const rules: sarif.ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const addRule = (d: sarif.ReportingDescriptor): void => {
    if (ruleIndex.has(d.id)) return;
    ruleIndex.set(d.id, rules.length);
    rules.push(d);
  };
  for (const rule of result.rules) addRule(ruleDescriptor(rule.meta, docsBase));

  const placed = placeAll(cwd, result.findings);
  const kept = keepWithinLimit(placed);
  const hashesOf = lineHashCache(opts.readLines);
  const results = kept.map((p) => {
    // A result for a rule that did not report its meta still needs a descriptor to point at.
    if (!ruleIndex.has(p.finding.ruleId)) addRule(unknownRuleDescriptor(p.finding.ruleId, p.finding.level));
    return sarifResult(p, ruleIndex.get(p.finding.ruleId) ?? 0, hashesOf);
  });

  const notifications = result.diagnostics.map((d) => notification(cwd, d));
  const dropped = placed.length - kept.length;
  if (dropped > 0) {
    notifications.push({
      level: 'warning',
      descriptor: { id: 'limit' },
      message: {
        text: `${dropped} of ${placed.length} results were left out to stay within GitHub's limit of ${SARIF_LIMITS.results} results per run (the lowest levels first).`,
      },
    });
  }

  const invocation: sarif.Invocation = {
    executionSuccessful: !result.diagnostics.some((d) => d.level === 'error'),
    ...(rootUri ? { workingDirectory: { uri: rootUri } } : {}),
    ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
  };

  const run: sarif.Run = {
    tool: { driver: driver(opts.toolVersion, docsBase, rules) },
    ...(rootUri ? { originalUriBaseIds: { [SRCROOT]: { uri: rootUri } } } : {}),
    invocations: [invocation],
    columnKind: 'utf16CodeUnits',
    results,
    properties: { asOf: result.asOf },
  };
  return { $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] };
}

function driver(toolVersion: string, docsBase: string | undefined, rules: sarif.ReportingDescriptor[]): sarif.ToolComponent {
  const version = String(toolVersion ?? '').trim();
  const home = docsBase ? informationUri(docsBase) : undefined;
  return {
    name: TOOL_NAME,
    ...(version ? { version } : {}),
    ...(SEMVER.test(version) ? { semanticVersion: version } : {}),
    ...(home ? { informationUri: home } : {}),
    rules,
  };
}

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** The project's home: the GitHub repository the docs live in, else the docs URL without `docs/rules/`. */
function informationUri(docsBase: string): string {
  const repo = /^(https:\/\/github\.com\/[^/]+\/[^/]+)\//.exec(docsBase);
  if (repo) return repo[1];
  return docsBase.replace(/docs\/rules\/$/, '');
}

function ruleDescriptor(meta: RuleMeta, docsBase: string | undefined): sarif.ReportingDescriptor {
  const helpUri = docsBase ? docsBase + `${encodeURIComponent(meta.id)}.md` : undefined;
  const tags = [...new Set(meta.tags ?? [])].slice(0, SARIF_LIMITS.tagsPerRule);
  const severity = validSecuritySeverity(meta.securitySeverity);
  return {
    id: meta.id,
    ...(meta.name ? { name: meta.name } : {}),
    shortDescription: { text: nonEmpty(meta.shortDescription, meta.id).slice(0, 1024) },
    fullDescription: { text: nonEmpty(meta.fullDescription, meta.shortDescription || meta.id).slice(0, 1024) },
    help: { text: helpText(meta, helpUri), markdown: helpMarkdown(meta, helpUri) },
    ...(helpUri ? { helpUri } : {}),
    defaultConfiguration: { level: meta.defaultLevel },
    properties: {
      tags,
      precision: meta.precision,
      ...(severity ? { 'security-severity': severity } : {}),
      'problem.severity': PROBLEM_SEVERITY[meta.defaultLevel] ?? 'warning',
    },
  };
}

function unknownRuleDescriptor(id: string, level: Level): sarif.ReportingDescriptor {
  const text = `${id} (no rule description was supplied)`;
  return {
    id,
    shortDescription: { text },
    fullDescription: { text },
    help: { text },
    defaultConfiguration: { level },
  };
}

const PROBLEM_SEVERITY: Record<Level, string> = { error: 'error', warning: 'warning', note: 'recommendation' };

/** RuleMeta has no fix text, so help gives the fix common to every rule and links the rule page for specifics. */
function fixSentence(id: string): string {
  return (
    'Change the Terraform so the resource meets the sentence above (the rule page lists the usual fixes). ' +
    `Where an exception has been agreed, put \`# lambda-adr-lint:ignore ${id} reason="…"\` on the line above the block or attribute.`
  );
}

function helpText(meta: RuleMeta, helpUri: string | undefined): string {
  const parts = [
    `ADR030: "${meta.adr}"`,
    nonEmpty(meta.fullDescription, meta.shortDescription),
    `How to fix: ${fixSentence(meta.id).replace(/`/g, '')}`,
  ];
  if (helpUri) parts.push(`Documentation: ${helpUri}`);
  return parts.join('\n\n');
}

function helpMarkdown(meta: RuleMeta, helpUri: string | undefined): string {
  const parts = [`> ADR030: "${meta.adr}"`, `**How to fix:** ${fixSentence(meta.id)}`];
  if (helpUri) parts.push(`Full documentation: [${meta.id}](${helpUri})`);
  return parts.join('\n\n');
}

function validSecuritySeverity(s: unknown): string | undefined {
  if (typeof s !== 'string' || !/^\d+(?:\.\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return n >= 0 && n <= 10 ? s : undefined;
}

/** At most SARIF_LIMITS.results, keeping the highest levels (unsuppressed before suppressed), in output order. */
function keepWithinLimit(placed: PlacedFinding[]): PlacedFinding[] {
  if (placed.length <= SARIF_LIMITS.results) return placed;
  const rank = (p: PlacedFinding): number => (LEVEL_RANK[p.finding.level] ?? 0) * 2 + (p.finding.suppression ? 0 : 1);
  const order = placed.map((p, i) => ({ p, i })).sort((a, b) => rank(b.p) - rank(a.p) || a.i - b.i);
  const keep = new Set(order.slice(0, SARIF_LIMITS.results).map((x) => x.i));
  return placed.filter((_, i) => keep.has(i));
}

function sarifResult(
  p: PlacedFinding,
  ruleIndex: number,
  hashesOf: (file: string) => readonly string[],
): sarif.Result {
  const f = p.finding;
  const location: sarif.Location = {
    ...(p.primary ? { physicalLocation: physical(p.primary.path, p.primary.location) } : {}),
    logicalLocations: [{ fullyQualifiedName: f.address, kind: 'resource' }],
  };
  const related = p.related.slice(0, SARIF_LIMITS.relatedLocations).map(
    (r, id): sarif.Location => ({
      id,
      physicalLocation: physical(r.path, r.location),
      ...(r.message ? { message: { text: r.message } } : {}),
    }),
  );
  const fingerprints: Record<string, string> = {};
  if (p.primary) {
    const hash = hashesOf(p.primary.location.file)[cleanRegion(p.primary.location.region).startLine - 1];
    if (hash) fingerprints.primaryLocationLineHash = hash;
  }
  if (f.fingerprint) fingerprints[FINGERPRINT_KEY] = f.fingerprint;
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: f.level,
    message: { text: nonEmpty(f.message, f.ruleId) },
    locations: [location],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: fingerprints,
    ...(f.suppression ? { suppressions: [{ kind: f.suppression.kind, justification: f.suppression.justification }] } : {}),
  };
}

function physical(relPath: string, location: Location): sarif.PhysicalLocation {
  const r = cleanRegion(location.region);
  return {
    artifactLocation: { uri: uriReference(relPath), uriBaseId: SRCROOT },
    region: { startLine: r.startLine, startColumn: r.startColumn, endLine: r.endLine, endColumn: r.endColumn },
  };
}

function notification(cwd: string, d: Diagnostic): sarif.Notification {
  const rel = d.file ? relativeToCwd(cwd, d.file) : undefined;
  const line = isPositiveInt(d.line) ? d.line : undefined;
  const column = line !== undefined && isPositiveInt(d.column) ? d.column : undefined;
  const where: sarif.Location[] =
    rel === undefined
      ? []
      : [
          {
            physicalLocation: {
              artifactLocation: { uri: uriReference(rel), uriBaseId: SRCROOT },
              ...(line !== undefined ? { region: { startLine: line, ...(column !== undefined ? { startColumn: column } : {}) } } : {}),
            },
          },
        ];
  return {
    level: d.level,
    message: { text: nonEmpty(d.message, d.code) },
    descriptor: { id: d.code },
    ...(where.length > 0 ? { locations: where } : {}),
  };
}

/** Each file's line hashes, computed once; empty when its lines are unknown. */
function lineHashCache(readLines: SarifOptions['readLines']): (file: string) => readonly string[] {
  const cache = new Map<string, readonly string[]>();
  return (file) => {
    let hashes = cache.get(file);
    if (!hashes) {
      let lines: readonly string[] = [];
      try {
        lines = readLines?.(file) ?? [];
      } catch {
        lines = [];
      }
      hashes = Array.isArray(lines) && lines.length > 0 ? lineHashes(lines.join('\n')) : [];
      cache.set(file, hashes);
    }
    return hashes;
  };
}

/** A relative path as a URI reference: each segment percent-encoded (spaces, `#`, `%`, `:`). */
function uriReference(relPath: string): string {
  return relPath.split('/').map(encodeURIComponent).join('/');
}

function directoryUri(dir: string): string | undefined {
  try {
    const href = pathToFileURL(dir).href;
    return href.endsWith('/') ? href : href + '/';
  } catch {
    return undefined;
  }
}

function absoluteUrl(s: string): string | undefined {
  try {
    return s ? new URL(s).href : undefined;
  } catch {
    return undefined;
  }
}

function withSlash(s: unknown): string {
  const t = typeof s === 'string' ? s.trim() : '';
  return t === '' || t.endsWith('/') ? t : t + '/';
}

function nonEmpty(s: string | undefined, fallback: string): string {
  return typeof s === 'string' && s.trim() !== '' ? s : fallback;
}
