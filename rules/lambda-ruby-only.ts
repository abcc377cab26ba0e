/**
 * lambda-ruby-only: ADR030 allows Lambda only for glue code written in Ruby. The runtime
 * identifier is the only language evidence Terraform holds; where it cannot tell (container
 * images, OS-only runtimes, unknown or missing values) the rule warns instead of passing.
 */
import { resourceContext, type Rule, type RuleContext, type RuleOptions } from '../src/rule';
import { attributeSite, fromWords, lambdaFunctions, readRuntime } from './lambda-functions';
import { newestRuby } from './runtime-table';

/** Runtime patterns allowed when the config gives none (`*` matches any characters). */
export const DEFAULT_ALLOWED_RUNTIMES: readonly string[] = ['ruby*'];

/** The `allowedRuntimes` option: a list of patterns; anything else falls back to the default. */
export function allowedRuntimes(options: RuleOptions): readonly string[] {
  const v = options.allowedRuntimes;
  if (Array.isArray(v) && v.length > 0 && v.every((p) => typeof p === 'string' && p !== '')) return v as string[];
  return DEFAULT_ALLOWED_RUNTIMES;
}

/** Case-insensitive match of an identifier against a pattern where `*` matches any characters. */
export function matchesPattern(id: string, pattern: string): boolean {
  const re = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  // 's': a stray newline (a heredoc without trimspace) is still matched, and left to
  // lambda-outdated-runtime to call an unknown identifier.
  return new RegExp(`^${re}$`, 'is').test(id);
}

const rule: Rule = {
  meta: {
    id: 'lambda-ruby-only',
    name: 'LambdaRubyOnly',
    shortDescription: 'Lambda functions must run Ruby',
    fullDescription:
      'ADR030 allows AWS Lambda only for glue code written in Ruby; other workloads run on ECS Fargate. ' +
      'Reports an aws_lambda_function whose runtime is not a Ruby runtime (error), and warns when the ' +
      'language cannot be verified from Terraform: container image functions, a runtime whose value is ' +
      'unknown, or a Zip function without a runtime. OS-only runtimes (provided*) are not Ruby runtimes.',
    defaultLevel: 'error',
    securitySeverity: '4.0',
    precision: 'very-high',
    tags: ['adr030', 'lambda', 'runtime', 'maintainability'],
    adr: 'We will use AWS Lambda for workloads that meet these criteria: … are written in Ruby',
  },

  check(ctx: RuleContext): void {
    const allowed = allowedRuntimes(ctx.options);
    const ruby = newestRuby(ctx.asOf);
    const moveTo = ruby ? `Move it to ${ruby}` : 'Move it to a supported Ruby runtime';
    const zipWithRuby = ruby ? `package it as a Zip with runtime = "${ruby}"` : 'package it as a Zip with a Ruby runtime';

    for (const r of lambdaFunctions(ctx.graph)) {
      const reading = readRuntime(r);
      switch (reading.kind) {
        case 'known': {
          if (allowed.some((p) => matchesPattern(reading.id, p))) break;
          const site = attributeSite(r, 'runtime', reading.value);
          const uses = `${r.address} uses runtime "${reading.id}"${fromWords(site)}`;
          // OS-only runtimes (provided*) count as not Ruby too: the ADR asks for a Ruby runtime, and a
          // custom bootstrap is exactly the extra maintenance it wants to avoid.
          ctx.report({
            address: r.address,
            pointer: site.pointer,
            related: site.related,
            message: `${uses}; ADR030 allows Lambda only for glue code written in Ruby. ${moveTo} or run it on ECS Fargate.`,
          });
          break;
        }
        case 'image': {
          const site = attributeSite(r, 'package_type', reading.value);
          ctx.report({
            level: 'warning',
            address: r.address,
            pointer: site.pointer,
            related: site.related,
            message: `${r.address} is a container image function (package_type = "Image"${fromWords(site)}); its language cannot be verified from Terraform. ADR030 allows Lambda only for glue code written in Ruby: ${zipWithRuby}, or run the image on ECS Fargate.`,
          });
          break;
        }
        case 'unknown': {
          const site = attributeSite(r, reading.attribute, reading.value);
          const what = reading.attribute === 'runtime' ? '' : ' (package_type decides whether a runtime applies)';
          ctx.report({
            level: 'warning',
            address: r.address,
            pointer: site.pointer,
            related: site.related,
            message: `${r.address}: could not determine the runtime: it depends on ${reading.value.reason}${what}, so ADR030's Ruby-only rule cannot be checked. ${/^var\./.test(reading.value.reason) ? 'Give the value (tfvars, --var) or set the runtime literally.' : 'Set the runtime literally, or lint the plan, where it is known.'}`,
          });
          break;
        }
        case 'absent': {
          ctx.report({
            level: 'warning',
            address: r.address,
            pointer: r.pointer,
            // Reported at the block itself, so only the module calls are related.
            related: resourceContext(r).slice(1),
            message: `${r.address} sets no runtime; a Zip function needs one (the AWS provider rejects it at plan time), so its language cannot be verified. ADR030 allows Lambda only for glue code written in Ruby: set runtime = "${ruby ?? 'ruby…'}".`,
          });
          break;
        }
        case 'invalid': {
          const site = attributeSite(r, 'runtime', reading.value);
          ctx.report({
            level: 'warning',
            address: r.address,
            pointer: site.pointer,
            related: site.related,
            message: `${r.address} has a runtime that is not a single identifier (a ${reading.value.kind}), so its language cannot be verified; ADR030 allows Lambda only for glue code written in Ruby.`,
          });
          break;
        }
      }
    }
  },
};

export default rule;
