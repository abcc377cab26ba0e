/**
 * lambda-outdated-runtime: ADR030 keeps Lambda maintenance inside the team's usual process of
 * "updating language runtimes". Reports functions on a runtime past AWS's end of standard support
 * (error), warns ahead of it inside a window (note), and flags identifiers the runtime table does
 * not know or that are never valid for a function (warning). Dates come from the runtime table,
 * whose as-of date the messages cite whenever a date it quotes could still move.
 */
import type { Resource } from '../src/model/model';
import type { Rule, RuleContext, RuleOptions } from '../src/rule';
import { attributeSite, fromWords, lambdaFunctions, readRuntime, type FindingSite } from './lambda-functions';
import { daysBetween, isDeprecated, isIsoDate, lookupRuntime, newestRuby, tableAsOf, type RuntimeEntry } from './runtime-table';

export const DEFAULT_WARNING_DAYS = 180;

/** The `warningDays` option: whole days before end of support to start noting; default 180. */
export function warningDays(options: RuleOptions): number {
  const v = options.warningDays;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : DEFAULT_WARNING_DAYS;
}

const rule: Rule = {
  meta: {
    id: 'lambda-outdated-runtime',
    name: 'LambdaOutdatedRuntime',
    shortDescription: 'Lambda functions must not use a deprecated runtime',
    fullDescription:
      'Reports an aws_lambda_function whose runtime has reached AWS end of standard support (error), ' +
      'notes one that reaches it within the warning window (default 180 days), and warns about runtime ' +
      'identifiers that are unknown to the runtime table or never valid for a function (container-image-only ' +
      'runtimes). Dates come from the bundled AWS runtime table, which carries an as-of date and is refreshed ' +
      'with scripts/refresh-runtimes.',
    defaultLevel: 'error',
    securitySeverity: '6.5',
    precision: 'high',
    tags: ['adr030', 'lambda', 'runtime', 'security', 'maintainability'],
    adr:
      'We hope to mitigate the maintenance overheads of using AWS Lambda, such as updating language runtimes and ' +
      'dependency management, by including them in our existing processes for handling the same problems in AWS ECS on Fargate.',
  },

  check(ctx: RuleContext): void {
    // The CLI validates --as-of; a date that is not one cannot be compared, so nothing is judged.
    if (!isIsoDate(ctx.asOf)) return;
    const window = warningDays(ctx.options);
    for (const r of lambdaFunctions(ctx.graph)) {
      const reading = readRuntime(r);
      // Unknown, missing and image runtimes are lambda-ruby-only's to report.
      if (reading.kind !== 'known') continue;
      const site = attributeSite(r, 'runtime', reading.value);
      const entry = lookupRuntime(reading.id);
      if (!entry) reportUnknownId(ctx, r, site, reading.id);
      else if (!entry.valid_runtime_value) reportContainerOnly(ctx, r, site, entry);
      else checkDates(ctx, r, site, entry, window);
    }
  },
};

/** "per the runtime table as of …" when a quoted date lies after the table was taken (AWS may still move it). */
function perTable(dates: readonly (string | null)[]): string | undefined {
  return dates.some((d) => d !== null && d > tableAsOf) ? `per the runtime table as of ${tableAsOf}` : undefined;
}

/** The Ruby runtime to move to: the newest one still supported, or words saying the table has none. */
function rubyTarget(asOf: string, current: string): string {
  const ruby = newestRuby(asOf);
  if (ruby && ruby !== current) return ruby;
  return `a newer Ruby runtime (the runtime table as of ${tableAsOf} lists none; refresh it)`;
}

function moveTo(asOf: string, current: string): string {
  return `Move it to ${rubyTarget(asOf, current)}.`;
}

function blockWords(asOf: string, entry: RuntimeEntry): string {
  const create = entry.block_create === null
    ? 'AWS has published no date for blocking function creation'
    : asOf >= entry.block_create
      ? `creating functions with it has been blocked since ${entry.block_create}`
      : `creating functions with it will be blocked from ${entry.block_create}`;
  const update = entry.block_update === null
    ? 'no date for blocking function updates'
    : asOf >= entry.block_update
      ? `updating functions that use it has been blocked since ${entry.block_update}`
      : `updating functions that use it will be blocked from ${entry.block_update}`;
  return `${create}, and ${update}`;
}

function checkDates(ctx: RuleContext, r: Resource, site: FindingSite, entry: RuntimeEntry, window: number): void {
  const uses = `${r.address} uses runtime "${entry.id}"${fromWords(site)}`;
  const base = { address: r.address, pointer: site.pointer, related: site.related };
  const table = perTable([entry.deprecation, entry.block_create, entry.block_update]);
  const tableInParens = table ? ` (${table})` : '';
  if (isDeprecated(entry, ctx.asOf)) {
    ctx.report({
      ...base,
      message: `${uses}, which reached end of standard support on ${entry.deprecation}; ${blockWords(ctx.asOf, entry)}${tableInParens}. ${moveTo(ctx.asOf, entry.id)}`,
    });
    return;
  }
  if (entry.block_create !== null && ctx.asOf >= entry.block_create) {
    // AWS blocked creation before end of support (it has happened): already a broken deploy.
    ctx.report({
      ...base,
      message: `${uses}, which ends standard support on ${entry.deprecation ?? '(no date published)'}; ${blockWords(ctx.asOf, entry)}${tableInParens}. ${moveTo(ctx.asOf, entry.id)}`,
    });
    return;
  }
  if (entry.deprecation === null) return;
  const days = daysBetween(ctx.asOf, entry.deprecation);
  if (days > window) return;
  ctx.report({
    ...base,
    level: 'note',
    message: `${uses}, which reaches end of standard support on ${entry.deprecation} (in ${days} day${days === 1 ? '' : 's'})${table ? `, ${table}` : ''}. Plan the move to ${rubyTarget(ctx.asOf, entry.id)}.`,
  });
}

function reportUnknownId(ctx: RuleContext, r: Resource, site: FindingSite, id: string): void {
  ctx.report({
    level: 'warning',
    address: r.address,
    pointer: site.pointer,
    related: site.related,
    message: `${r.address} uses unknown runtime identifier "${id}"${fromWords(site)}: it is not in the runtime table as of ${tableAsOf}, so its support dates cannot be checked. Fix the identifier, or refresh the table if AWS has added it since.`,
  });
}

function reportContainerOnly(ctx: RuleContext, r: Resource, site: FindingSite, entry: RuntimeEntry): void {
  ctx.report({
    level: 'warning',
    address: r.address,
    pointer: site.pointer,
    related: site.related,
    message: `${r.address} uses unknown runtime identifier "${entry.id}"${fromWords(site)}: AWS offers ${entry.language || 'it'} "${entry.id}" only as a container base image, so it is never a valid aws_lambda_function runtime and the AWS provider rejects it (per the runtime table as of ${tableAsOf}). ${moveTo(ctx.asOf, entry.id)}`,
  });
}

export default rule;
