/**
 * The rule contract: metadata beside the check, as ESLint's `meta` + `create`. Rules live in
 * `rules/`, one per file, and only read the model and the graph; they report findings that point
 * at source by SourcePointer (the reporter resolves those to lines).
 */
import type { Graph } from './graph/graph';
import type { Model, Resource } from './model/model';
import type { SourcePointer } from './model/source';

export type Level = 'error' | 'warning' | 'note';

export const LEVEL_RANK: Record<Level, number> = { note: 1, warning: 2, error: 3 };

export interface RuleMeta {
  /** Fixed public ID (`lambda-ruby-only`). */
  readonly id: string;
  /** PascalCase name for SARIF `name`. */
  readonly name: string;
  readonly shortDescription: string;
  readonly fullDescription: string;
  readonly defaultLevel: Level;
  /** SARIF `security-severity` score, "0.0"–"10.0". */
  readonly securitySeverity: string;
  readonly precision: 'very-high' | 'high' | 'medium' | 'low';
  readonly tags: readonly string[];
  /** The ADR sentence the rule enforces. */
  readonly adr: string;
}

export interface RelatedLocation {
  readonly pointer: SourcePointer;
  readonly message: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly level: Level;
  readonly message: string;
  /** The resource the finding belongs to (for `lambda-…` rules, the function's address). */
  readonly address: string;
  /** The attribute or block that causes it. */
  readonly pointer: SourcePointer;
  /** The resource block, linked resources, module call chain. */
  readonly related: readonly RelatedLocation[];
  /** Extra stable words for the fingerprint (e.g. the front door's address), so two findings
   *  of one rule on one resource stay apart. */
  readonly discriminator?: string;
}

/** Rule options as the config supplies them (`rules/<id>` documents its own keys). */
export type RuleOptions = Readonly<Record<string, unknown>>;

export interface RuleContext {
  readonly model: Model;
  readonly graph: Graph;
  /** "Today" for date-based rules (`--as-of`), as YYYY-MM-DD. */
  readonly asOf: string;
  readonly options: RuleOptions;
  report(finding: Omit<Finding, 'ruleId' | 'level'> & { level?: Level }): void;
}

export interface Rule {
  readonly meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/** Related locations every `lambda-…` finding carries: the resource block, then the module calls that made it. */
export function resourceContext(r: Resource): RelatedLocation[] {
  const out: RelatedLocation[] = [{ pointer: r.pointer, message: `${r.type} ${r.address}` }];
  for (const call of r.moduleChain) out.push({ pointer: call.pointer, message: `module call ${call.address}` });
  return out;
}
