/**
 * A LintResult built by hand for the formatter tests: fake rules, findings already resolved to
 * locations, and the source text of every file (so code frames and line hashes are real).
 * Nothing touches the file system; the paths only have to look absolute.
 */
import * as path from 'path';
import type { Diagnostic } from '../../src/model/model';
import { hclPointer, type Location, type Region } from '../../src/model/source';
import { findingFingerprint } from '../../src/report/fingerprint';
import type { LintResult, ReportedFinding, Suppression } from '../../src/report/result';
import type { Level, Rule, RuleMeta } from '../../src/rule';

export const CWD = path.resolve('/work/proj');
/** A module beside the working directory (reached by `source = "../shared-modules/fn"`). */
export const OUTSIDE = path.resolve('/work/shared-modules/fn');

export const MAIN_TF = path.join(CWD, 'main.tf');
export const API_TF = path.join(CWD, 'api', 'gateway.tf');
export const OUTSIDE_TF = path.join(OUTSIDE, 'main.tf');

export const SOURCES: Record<string, string[]> = {
  [MAIN_TF]: [
    'module "shared" {', //                        1
    '  source = "../shared-modules/fn"', //        2
    '}', //                                         3
    '', //                                          4
    'resource "aws_lambda_function" "api" {', //   5
    '  function_name = "api"', //                  6
    '  runtime       = "python3.12"', //            7
    '  handler       = "app.handler"', //           8
    '}', //                                         9
    '', //                                         10
    '# lambda-adr-lint:ignore lambda-ruby-only reason="migrating in Q3"', // 11
    'resource "aws_lambda_function" "legacy" {', // 12
    '\truntime = "nodejs18.x"', //                  13 (tab-indented on purpose)
    '}', //                                        14
    '',
  ],
  [API_TF]: [
    'resource "aws_api_gateway_integration" "lambda" {',
    '  type = "AWS_PROXY"',
    '  uri  = aws_lambda_function.api.invoke_arn',
    '}',
    '',
  ],
  [OUTSIDE_TF]: ['resource "aws_lambda_function" "this" {', '  runtime = "ruby2.7"', '}', ''],
};

export function readLines(file: string): readonly string[] {
  return SOURCES[file] ?? [];
}

export function region(startLine: number, startColumn: number, endLine: number, endColumn: number): Region {
  return { startLine, startColumn, endLine, endColumn };
}

export function at(file: string, r: Region): Location {
  return { file, region: r };
}

export function fakeRule(id: string, level: Level, extra: Partial<RuleMeta> = {}): Rule {
  const meta: RuleMeta = {
    id,
    name: id.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: `Short description of ${id}.`,
    fullDescription: `Full description of ${id}: what it checks and why.`,
    defaultLevel: level,
    securitySeverity: level === 'error' ? '7.5' : '2.0',
    precision: 'high',
    tags: ['adr030', 'lambda'],
    adr: `The ADR sentence behind ${id}.`,
    ...extra,
  };
  return { meta, check: () => undefined };
}

export const RULES: Rule[] = [
  fakeRule('lambda-no-http', 'error', { tags: ['adr030', 'lambda', 'http', 'security'] }),
  fakeRule('lambda-ruby-only', 'error'),
  fakeRule('lambda-outdated-runtime', 'error'),
];

interface FindingSpec {
  ruleId: string;
  level: Level;
  message: string;
  address: string;
  location: Location;
  related?: { location: Location; message: string }[];
  discriminator?: string;
  suppression?: Suppression;
}

/** A finding as the pipeline would report it, fingerprint included. */
export function finding(spec: FindingSpec): ReportedFinding {
  const line = readLines(spec.location.file)[spec.location.region.startLine - 1] ?? '';
  return {
    ruleId: spec.ruleId,
    level: spec.level,
    message: spec.message,
    address: spec.address,
    pointer: hclPointer(spec.location.file, []),
    related: [],
    ...(spec.discriminator ? { discriminator: spec.discriminator } : {}),
    location: spec.location,
    relatedLocations: spec.related ?? [],
    fingerprint: findingFingerprint(spec.ruleId, spec.address, spec.discriminator, line),
    ...(spec.suppression ? { suppression: spec.suppression } : {}),
  };
}

/** The shared scenario: one finding per level, a suppressed one, two outside cwd, three input problems. */
export function sampleFindings(): ReportedFinding[] {
  return [
    finding({
      ruleId: 'lambda-no-http',
      level: 'error',
      message: 'aws_lambda_function.api is invoked by API Gateway integration aws_api_gateway_integration.lambda (HTTP).',
      address: 'aws_lambda_function.api',
      location: at(MAIN_TF, region(5, 1, 9, 2)),
      related: [{ location: at(API_TF, region(3, 3, 3, 44)), message: 'API Gateway REST integration aws_api_gateway_integration.lambda' }],
    }),
    finding({
      ruleId: 'lambda-ruby-only',
      level: 'warning',
      message: 'runtime "python3.12" is not Ruby.',
      address: 'aws_lambda_function.api',
      location: at(MAIN_TF, region(7, 19, 7, 31)),
      related: [{ location: at(MAIN_TF, region(5, 1, 9, 2)), message: 'aws_lambda_function aws_lambda_function.api' }],
    }),
    finding({
      ruleId: 'lambda-outdated-runtime',
      level: 'note',
      message: 'runtime "nodejs18.x" reaches end of support soon.',
      address: 'aws_lambda_function.legacy',
      location: at(MAIN_TF, region(13, 12, 13, 24)),
    }),
    finding({
      ruleId: 'lambda-ruby-only',
      level: 'error',
      message: 'runtime "nodejs18.x" is not Ruby.',
      address: 'aws_lambda_function.legacy',
      location: at(MAIN_TF, region(13, 12, 13, 24)),
      suppression: { kind: 'inSource', justification: 'migrating in Q3', location: at(MAIN_TF, region(11, 1, 11, 67)) },
    }),
    // In a module outside cwd, called from main.tf: shown at the module call.
    finding({
      ruleId: 'lambda-outdated-runtime',
      level: 'error',
      message: 'runtime "ruby2.7" is deprecated.',
      address: 'module.shared.aws_lambda_function.this',
      location: at(OUTSIDE_TF, region(2, 13, 2, 22)),
      related: [
        { location: at(OUTSIDE_TF, region(1, 1, 3, 2)), message: 'aws_lambda_function module.shared.aws_lambda_function.this' },
        { location: at(MAIN_TF, region(1, 1, 3, 2)), message: 'module call module.shared' },
      ],
    }),
    // Outside cwd with nothing inside to stand in for it.
    finding({
      ruleId: 'lambda-ruby-only',
      level: 'error',
      message: 'runtime "ruby2.7" needs checking.',
      address: 'module.other.aws_lambda_function.this',
      location: at(OUTSIDE_TF, region(2, 3, 2, 22)),
    }),
  ];
}

export function sampleDiagnostics(): Diagnostic[] {
  return [
    { level: 'error', code: 'parse-error', file: path.join(CWD, 'broken.tf'), line: 3, column: 5, message: 'Unclosed configuration block' },
    { level: 'warning', code: 'module-not-found', file: path.join(OUTSIDE, 'x.tf'), line: 1, message: 'module "y" source not found' },
    { level: 'note', code: 'unsupported', message: 'provider functions are not evaluated' },
  ];
}

export function makeResult(overrides: Partial<LintResult> = {}): LintResult {
  return {
    cwd: CWD,
    rules: RULES,
    findings: sampleFindings(),
    diagnostics: sampleDiagnostics(),
    filesScanned: 12,
    asOf: '2026-11-27',
    ...overrides,
  };
}

export const OPTS = {
  color: false,
  docsBaseUrl: 'https://github.com/example/lambda-adr-lint/blob/main/docs/rules/',
  toolVersion: '0.1.0',
  readLines,
};
