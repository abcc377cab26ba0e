/**
 * Regressions found by linting public Terraform (terraform-aws-modules, aws-samples, alphagov and
 * others). Each case is a small hand-written configuration with the pattern that went wrong.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadSource } from '../src/load/project';
import { evaluate, type Scope, type StaticStep } from '../src/eval/evaluate';
import { parseTemplate } from '../src/hcl/parser';
import { collectRefs, fromJson, toJson, unknown, type Value } from '../src/model/value';
import type { Resource } from '../src/model/model';
import { runCli } from './helpers/run-cli';

function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lal-rw-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function load(files: Record<string, string>) {
  const dir = tree(files);
  const r = await loadSource({ dirs: [dir], files: [] }, { cwd: dir, varFiles: [], vars: [] });
  const byAddr = (a: string): Resource => {
    const hit = r.resources.find((x) => x.address === a);
    if (!hit) throw new Error(`no ${a} in ${r.resources.map((x) => x.address).join(', ')}`);
    return hit;
  };
  const attr = (a: string, name: string): Value => byAddr(a).values.entries.get(name)!;
  return { ...r, dir, byAddr, attr };
}

/** Evaluates one template with `var.*` values given as JSON. */
function run(template: string, vars: Record<string, unknown> = {}): Value {
  const scope: Scope = {
    resolve(root: string, steps: readonly StaticStep[]) {
      if (root !== 'var') return undefined;
      const name = (steps[0] as { attr: string }).attr;
      return { value: name in vars ? fromJson(vars[name]) : unknown(`var.${name} (no value given)`), consumed: 1 };
    },
    functions: { moduleDir: '.', readFile: () => undefined, renderTemplate: () => unknown('no templates here') },
  };
  return evaluate(parseTemplate(template), { scope });
}

function js(v: Value): unknown {
  return v.kind === 'unknown' ? `${v.invalid ? 'invalid' : 'unknown'}: ${v.reason}` : toJson(v);
}

describe('an invalid expression stays invalid through what is built on it, so try() moves on', () => {
  test.each([
    ['an attribute of a missing attribute', '${try(var.o.missing.deeper, "d")}', 'd'],
    ['a comparison with a missing attribute', '${try(var.o.missing == "a", false)}', false],
    ['arithmetic on a missing attribute', '${try(var.o.missing + 1, 0)}', 0],
    ['a conditional on a missing attribute', '${try(var.o.missing ? 1 : 2, 3)}', 3],
    ['a for expression over a missing attribute', '${try([for x in var.o.missing : x], [])}', []],
    ['an index by a missing attribute', '${try(var.l[var.o.missing], "none")}', 'none'],
    ['an object key from a missing attribute', '${try({ (var.o.missing) = 1 }, {})}', {}],
    ['a splat of a missing attribute', '${try(var.o.missing[*].id, [])}', []],
    ['a template with a missing attribute', '${try("x-${var.o.missing.deeper}", "y")}', 'y'],
    ['a tuple holding a missing attribute', '${try([var.o.missing], ["d"])}', ['d']],
    ['an object holding a missing attribute', '${try({ a = var.o.missing }, {})}', {}],
    ['can() of a tuple holding a missing attribute', '${can([var.o.missing])}', false],
  ])('%s', (_name, template, expected) => {
    expect(js(run(template, { o: { present: 1 }, l: ['a'] }))).toEqual(expected);
  });

  test('an unknown (not invalid) value is still returned by try()', () => {
    expect(js(run('${try(var.unset.deeper, "d")}'))).toBe('unknown: var.unset (no value given)');
  });
});

describe('try() over the instances of counted resources (terraform-aws-modules outputs)', () => {
  test('an instance that count 0 leaves out is skipped, and the one that exists is linked', async () => {
    const m = await load({
      'main.tf': `
        variable "use_existing" { default = false }
        data "aws_lambda_alias" "existing" {
          count         = var.use_existing ? 1 : 0
          function_name = "f"
          name          = "live"
        }
        resource "aws_lambda_alias" "managed" {
          count            = var.use_existing ? 0 : 1
          name             = "live"
          function_name    = "f"
          function_version = "1"
        }
        locals {
          alias_arn = try(data.aws_lambda_alias.existing[0].arn, aws_lambda_alias.managed[0].arn, "")
        }
        resource "aws_lambda_event_source_mapping" "sqs" {
          function_name    = local.alias_arn
          event_source_arn = "arn:aws:sqs:eu-west-1:123456789012:q"
        }`,
    });
    const fn = m.attr('aws_lambda_event_source_mapping.sqs', 'function_name');
    expect(fn.kind).toBe('unknown');
    expect(collectRefs(fn).map((r) => r.address)).toEqual(['aws_lambda_alias.managed[0]']);
  });

  test('a disabled module output falls back to its default', async () => {
    const m = await load({
      'main.tf': `
        module "fn" {
          source = "./fn"
          create = false
        }
        resource "aws_ssm_parameter" "arn" {
          name  = "fn-arn"
          type  = "String"
          value = module.fn.arn
        }`,
      'fn/main.tf': `
        variable "create" { default = true }
        resource "aws_lambda_function" "this" {
          count         = var.create ? 1 : 0
          function_name = "f"
          role          = "r"
          runtime       = "ruby3.4"
          handler       = "h.handler"
        }
        output "arn" { value = try(aws_lambda_function.this[0].arn, "") }`,
    });
    expect(js(m.attr('aws_ssm_parameter.arn', 'value'))).toBe('');
  });
});

describe('module calls that feed each other (terraform-aws-apigateway-v2 complete-http example)', () => {
  test('an input that reads the other module does not need that module\'s other inputs', async () => {
    // The API module's input reads the function's ARN; the function's input reads the API's
    // execution ARN. Terraform orders inputs and outputs one by one, so there is no cycle.
    const m = await load({
      'main.tf': `
        module "api" {
          source     = "./api"
          lambda_arn = module.fn.arn
        }
        module "fn" {
          source     = "./fn"
          source_arn = "\${module.api.execution_arn}/*/*"
        }`,
      'api/main.tf': `
        variable "lambda_arn" {}
        resource "aws_apigatewayv2_api" "this" {
          name          = "api"
          protocol_type = "HTTP"
        }
        resource "aws_apigatewayv2_integration" "this" {
          api_id           = aws_apigatewayv2_api.this.id
          integration_type = "AWS_PROXY"
          integration_uri  = var.lambda_arn
        }
        output "execution_arn" { value = aws_apigatewayv2_api.this.execution_arn }`,
      'fn/main.tf': `
        variable "source_arn" {}
        resource "aws_lambda_function" "this" {
          function_name = "f"
          role          = "r"
          runtime       = "ruby3.4"
          handler       = "h.handler"
        }
        resource "aws_lambda_permission" "api" {
          function_name = aws_lambda_function.this.function_name
          principal     = "apigateway.amazonaws.com"
          source_arn    = var.source_arn
        }
        output "arn" { value = aws_lambda_function.this.arn }`,
    });
    expect(m.diagnostics).toEqual([]);
    const uri = m.attr('module.api.aws_apigatewayv2_integration.this', 'integration_uri');
    expect(collectRefs(uri).map((r) => r.address)).toEqual(['module.fn.aws_lambda_function.this']);
    const src = m.attr('module.fn.aws_lambda_permission.api', 'source_arn');
    expect(collectRefs(src).map((r) => r.address)).toEqual(['module.api.aws_apigatewayv2_api.this']);
  });

  test('a real cycle between module inputs and outputs gives unknown values, not a crash', async () => {
    const m = await load({
      'main.tf': `
        module "a" {
          source = "./m"
          x      = module.b.y
        }
        module "b" {
          source = "./m"
          x      = module.a.y
        }
        resource "aws_ssm_parameter" "p" {
          name  = "p"
          type  = "String"
          value = module.a.y
        }`,
      'm/main.tf': `
        variable "x" {}
        output "y" { value = var.x }`,
    });
    expect(m.attr('aws_ssm_parameter.p', 'value').kind).toBe('unknown');
  });

  test('a count that depends on the resource itself gives an unknown count, not a crash', async () => {
    const m = await load({
      'main.tf': `
        resource "aws_sqs_queue" "q" {
          count = length(aws_sqs_queue.q)
          name  = "q"
        }
        module "a" {
          source = "./m"
          count  = length(module.a)
        }`,
      'm/main.tf': 'output "y" { value = 1 }',
    });
    expect(m.byAddr('aws_sqs_queue.q').existence).toBe('maybe');
  });
});

test('a computed attribute of a nested block read from a resource is known after apply, not invalid', async () => {
  // terraform-aws-apigateway-v2: alias { name = aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0].target_domain_name }
  const m = await load({
    'main.tf': `
      resource "aws_apigatewayv2_domain_name" "this" {
        domain_name = "api.example.com"
        domain_name_configuration {
          certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/x"
          endpoint_type   = "REGIONAL"
          security_policy = "TLS_1_2"
        }
      }
      resource "aws_route53_record" "api" {
        zone_id = "Z123"
        name    = "api"
        type    = "A"
        alias {
          name                   = aws_apigatewayv2_domain_name.this.domain_name_configuration[0].target_domain_name
          zone_id                = aws_apigatewayv2_domain_name.this.domain_name_configuration[0].hosted_zone_id
          evaluate_target_health = false
        }
      }
      locals {
        settings = { mode = "a" }
      }
      resource "aws_ssm_parameter" "p" {
        name  = "p"
        type  = "String"
        value = try(local.settings.missing, "fallback")
      }`,
  });
  const alias = m.attr('aws_route53_record.api', 'alias');
  const name = alias.kind === 'list' && alias.items[0].kind === 'object' ? alias.items[0].entries.get('name')! : alias;
  expect(name).toMatchObject({ kind: 'unknown', reason: 'aws_apigatewayv2_domain_name.this.domain_name_configuration.target_domain_name (known after apply)' });
  expect((name as { invalid?: boolean }).invalid).toBeUndefined();
  expect(collectRefs(name)).toEqual([{ address: 'aws_apigatewayv2_domain_name.this', attribute: ['domain_name_configuration', 'target_domain_name'] }]);
  // An object written in the configuration still has no such attribute.
  expect(js(m.attr('aws_ssm_parameter.p', 'value'))).toBe('fallback');
});

describe('terraform.workspace (brutalismbot names functions after it)', () => {
  const files = {
    'main.tf': `
      resource "aws_lambda_function" "prod_only" {
        count         = terraform.workspace == "prod" ? 1 : 0
        function_name = "\${terraform.workspace}-worker"
        role          = "r"
        runtime       = "ruby3.4"
        handler       = "h.handler"
      }`,
  };

  test('is Unknown when no workspace was selected, so a workspace-gated function may exist', async () => {
    const m = await load(files);
    expect(m.byAddr('aws_lambda_function.prod_only').existence).toBe('maybe');
    expect(js(m.attr('aws_lambda_function.prod_only', 'function_name'))).toBe('unknown: terraform.workspace (the workspace is selected when Terraform runs)');
  });

  test('is the workspace recorded in .terraform/environment', async () => {
    const m = await load({ ...files, '.terraform/environment': 'prod\n' });
    expect(js(m.attr('aws_lambda_function.prod_only[0]', 'function_name'))).toBe('prod-worker');
  });
});

describe('a function that names the secret holding a store\'s connection details reaches the store', () => {
  // pranavpathak29/Terraform-AWS-Examples aws-lambda-rds-aurora-mysql: no VPC config, the function
  // reads the Aurora endpoint from a Secrets Manager secret named in its environment.
  async function noDatastore(files: Record<string, string>) {
    const run = await runCli(['.', '--format', 'json', '--as-of', '2026-11-27'], tree(files));
    return JSON.parse(run.stdout).findings.filter((f: { ruleId: string }) => f.ruleId === 'lambda-no-datastore');
  }
  const fn = (env: string) => `
    resource "aws_lambda_function" "reader" {
      function_name = "reader"
      role          = "arn:aws:iam::123456789012:role/reader"
      runtime       = "ruby3.4"
      handler       = "reader.handler"
      environment {
        variables = { ${env} }
      }
    }`;
  const cluster = `
    resource "aws_rds_cluster" "db" {
      cluster_identifier = "db"
      engine             = "aurora-postgresql"
      master_username    = "app"
      master_password    = "not-a-real-password"
    }`;

  test('through a Secrets Manager secret whose version holds the endpoint', async () => {
    const found = await noDatastore({
      'main.tf': cluster + fn('DB_SECRET = aws_secretsmanager_secret.db.arn') + `
        resource "aws_secretsmanager_secret" "db" { name = "db" }
        resource "aws_secretsmanager_secret_version" "db" {
          secret_id     = aws_secretsmanager_secret.db.id
          secret_string = jsonencode({ host = aws_rds_cluster.db.endpoint, port = aws_rds_cluster.db.port })
        }`,
    });
    expect(found).toHaveLength(1);
    expect(found[0].address).toBe('aws_lambda_function.reader');
    expect(found[0].message).toContain('its environment variable DB_SECRET names aws_secretsmanager_secret.db, which holds its connection details');
  });

  test('through an SSM parameter holding the endpoint', async () => {
    const found = await noDatastore({
      'main.tf': cluster + fn('DB_PARAM = aws_ssm_parameter.db_host.name') + `
        resource "aws_ssm_parameter" "db_host" {
          name  = "/app/db-host"
          type  = "String"
          value = aws_rds_cluster.db.endpoint
        }`,
    });
    expect(found.map((f: { message: string }) => f.message)).toEqual([expect.stringContaining('names aws_ssm_parameter.db_host')]);
  });

  test('not through a secret that holds something else', async () => {
    const found = await noDatastore({
      'main.tf': cluster + fn('API_KEY = aws_secretsmanager_secret.key.arn') + `
        resource "aws_secretsmanager_secret" "key" { name = "key" }
        resource "aws_secretsmanager_secret_version" "key" {
          secret_id     = aws_secretsmanager_secret.key.id
          secret_string = "not-a-real-key"
        }`,
    });
    expect(found).toEqual([]);
  });
});

describe('.tf.json nested blocks written as one object (CDKTF and Wing output)', () => {
  async function findings(files: Record<string, string>) {
    const run = await runCli(['.', '--format', 'json', '--as-of', '2026-11-27'], tree(files));
    return JSON.parse(run.stdout).findings.map((f: { ruleId: string; address: string }) => `${f.ruleId} ${f.address}`).sort();
  }

  test('a single vpc_config object links the function\'s security groups', async () => {
    const doc = {
      resource: {
        aws_security_group: {
          fn: { name: 'fn' },
          db: { name: 'db', ingress: [{ from_port: 5432, to_port: 5432, protocol: 'tcp', security_groups: ['${aws_security_group.fn.id}'], cidr_blocks: [], description: null, ipv6_cidr_blocks: [], prefix_list_ids: [], self: false }] },
        },
        aws_db_instance: { db: { identifier: 'db', engine: 'postgres', instance_class: 'db.t4g.micro', vpc_security_group_ids: ['${aws_security_group.db.id}'] } },
        aws_lambda_function: {
          fn: {
            '//': { metadata: { path: 'root/fn' } },
            function_name: 'fn',
            role: 'arn:aws:iam::123456789012:role/fn',
            runtime: 'ruby3.4',
            handler: 'fn.handler',
            environment: { variables: { MODE: 'batch' } },
            vpc_config: { security_group_ids: ['${aws_security_group.fn.id}'], subnet_ids: ['subnet-0123'] },
          },
        },
      },
    };
    expect(await findings({ 'main.tf.json': JSON.stringify(doc, null, 2) })).toEqual(['lambda-no-datastore aws_lambda_function.fn']);
  });

  test('a single CloudFront cache behaviour object links its Lambda@Edge association', async () => {
    const doc = {
      resource: {
        aws_lambda_function: { edge: { function_name: 'edge', role: 'r', runtime: 'ruby3.4', handler: 'e.handler', publish: true } },
        aws_cloudfront_distribution: {
          cdn: {
            enabled: true,
            origin: { domain_name: 'example.com', origin_id: 'o' },
            default_cache_behavior: {
              target_origin_id: 'o',
              viewer_protocol_policy: 'https-only',
              allowed_methods: ['GET', 'HEAD'],
              cached_methods: ['GET', 'HEAD'],
              lambda_function_association: { event_type: 'viewer-request', lambda_arn: '${aws_lambda_function.edge.qualified_arn}' },
            },
            restrictions: { geo_restriction: { restriction_type: 'none' } },
            viewer_certificate: { cloudfront_default_certificate: true },
          },
        },
      },
    };
    expect(await findings({ 'main.tf.json': JSON.stringify(doc, null, 2) })).toEqual(['lambda-no-http aws_lambda_function.edge']);
  });
});
