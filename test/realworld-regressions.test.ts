/**
 * Regressions found by linting public Terraform (terraform-aws-modules, aws-samples, alphagov and
 * others). Each case is a small hand-written configuration with the pattern that went wrong.
 */
import { loadSource } from '../src/load/project';
import { evaluate, type Scope, type StaticStep } from '../src/eval/evaluate';
import { parseTemplate } from '../src/hcl/parser';
import { collectRefs, fromJson, toJson, unknown, type Value } from '../src/model/value';
import type { Resource } from '../src/model/model';
import { runCli } from './helpers/run-cli';
import { Graph } from '../src/graph/graph';
import { DatastoreReach, describePath } from '../src/graph/datastore-reach';
import { tree } from './helpers/tree';


async function load(files: Record<string, string>) {
  const dir = tree(files, 'lal-rw-');
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
    functions: { baseDir: '.', readFile: () => undefined, renderTemplate: () => unknown('no templates here') },
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

test('a "//" comment property of a .tf.json resource body is not an attribute', async () => {
  const m = await load({ 'main.tf.json': JSON.stringify({ resource: { aws_s3_bucket: { code: { '//': { metadata: { path: 'root/Code' } }, bucket_prefix: 'code-' } } } }) });
  expect([...m.byAddr('aws_s3_bucket.code').values.entries.keys()]).toEqual(['bucket_prefix']);
});

test('the function a Secrets Manager rotation runs reaches the store whose secret it rotates', async () => {
  // kunduso/rds-secretsmanager-rotation-lambda-terraform: the rotator reaches RDS through CIDR-based
  // rules only, but rotating the secret that holds the instance's endpoint means logging in to it.
  const m = await load({
    'main.tf': `
      resource "aws_db_instance" "db" {
        identifier     = "db"
        engine         = "postgres"
        instance_class = "db.t4g.micro"
      }
      resource "aws_secretsmanager_secret" "db" { name = "db" }
      resource "aws_secretsmanager_secret_version" "db" {
        secret_id     = aws_secretsmanager_secret.db.id
        secret_string = jsonencode({ host = aws_db_instance.db.address })
      }
      resource "aws_lambda_function" "rotator" {
        function_name = "rotator"
        role          = "r"
        runtime       = "ruby3.4"
        handler       = "rotate.call"
      }
      resource "aws_secretsmanager_secret_rotation" "db" {
        secret_id           = aws_secretsmanager_secret.db.id
        rotation_lambda_arn = aws_lambda_function.rotator.arn
        rotation_rules {
          automatically_after_days = 30
        }
      }`,
  });
  const graph = new Graph({ resources: m.resources, files: m.files });
  const reach = new DatastoreReach(graph);
  const fn = m.byAddr('aws_lambda_function.rotator');
  const noGroups = { resources: new Set<Resource>(), ids: new Set<string>() };
  const found = reach.reach({ securityGroups: noGroups, environment: [], roles: [], resource: fn });
  expect(found.map((r) => [r.store?.address, r.paths.map(describePath)])).toEqual([
    ['aws_db_instance.db', ['it rotates aws_secretsmanager_secret.db (aws_secretsmanager_secret_rotation.db), which holds its connection details']],
  ]);
  // Without the workload's own resource there is nothing to follow.
  expect(reach.reach({ securityGroups: noGroups, environment: [], roles: [] })).toEqual([]);
});

test('an ephemeral resource (Terraform 1.10) is Unknown, not an undeclared reference', async () => {
  const m = await load({
    'main.tf': `
      ephemeral "aws_secretsmanager_secret_version" "db" {
        secret_id = "db"
      }
      resource "aws_ssm_parameter" "p" {
        name  = "p"
        type  = "SecureString"
        value = try(ephemeral.aws_secretsmanager_secret_version.db.secret_string, "fallback")
      }
      resource "aws_ssm_parameter" "q" {
        name  = "q"
        type  = "String"
        value = try(ephemeral.aws_secretsmanager_secret_version.other.secret_string, "fallback")
      }`,
  });
  expect(m.diagnostics).toEqual([]);
  expect(js(m.attr('aws_ssm_parameter.p', 'value'))).toBe('unknown: ephemeral.aws_secretsmanager_secret_version.db (ephemeral values exist only while Terraform runs)');
  expect(js(m.attr('aws_ssm_parameter.q', 'value'))).toBe('fallback');
});

test('a reason names the condition it depends on, not "a binary expression"', () => {
  // terraform-aws-lambda: for_each = data.aws_partition.current.partition == "aws" ? [true] : []
  expect(js(run('${var.partition == "aws" ? "logging" : "none"}'))).toBe('unknown: var.partition == "aws" (var.partition (no value given))');
  expect(js(run('${substr(pathexpand(var.home), 0, 1) == "/" ? "python3" : "python.exe"}'))).toBe(
    'unknown: substr(pathexpand(var.home), 0, 1) == "/" (var.home (no value given))');
});

describe('override files (eosdis-nasa/earthdata-pub-api keeps an override.tf of Lambda layers)', () => {
  test('an override file\'s arguments replace the base block\'s, with no duplicate warning', async () => {
    const m = await load({
      'main.tf': `
        resource "aws_lambda_function" "fn" {
          function_name = "fn"
          role          = "r"
          runtime       = "python3.9"
          handler       = "h.handler"
          environment {
            variables = { A = "1" }
          }
        }
        locals {
          stage = "dev"
        }`,
      'runtime_override.tf': `
        resource "aws_lambda_function" "fn" {
          runtime = "ruby3.4"
          environment {
            variables = { B = "2" }
          }
        }
        locals {
          stage = "prod"
        }
        resource "aws_ssm_parameter" "stage" {
          name  = "stage"
          type  = "String"
          value = local.stage
        }`,
    });
    const fn = m.byAddr('aws_lambda_function.fn');
    expect(js(fn.values.entries.get('runtime')!)).toBe('ruby3.4');
    expect(js(fn.values.entries.get('handler')!)).toBe('h.handler');
    expect(js(fn.values.entries.get('environment')!)).toEqual([{ variables: { B: '2' } }]);
    // A block that only an override file declares is not a resource (Terraform rejects it).
    expect(m.resources.map((r) => r.address).sort()).toEqual(['aws_lambda_function.fn']);
    expect(m.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('overrides resource "aws_ssm_parameter.stage", which module')]);
  });

  test('a module of override blocks alone declares no functions', async () => {
    const m = await load({ 'layers/override.tf': 'resource "aws_lambda_function" "dashboard" {\n  layers = ["arn:aws:lambda:eu-west-2:111122223333:layer:db:1"]\n}\n' });
    expect(m.resources).toEqual([]);
  });
});

describe('variable type constraints (alphagov/forms-deploy inputs use optional(bool, false))', () => {
  test('optional attribute defaults fill in what a caller leaves out (or sets to null)', async () => {
    const m = await load({
      'main.tf': `
        module "jobs" {
          source = "./jobs"
          jobs = {
            nightly = { handler = "nightly.call" }
            legacy  = { handler = "legacy.call", runtime = "python3.9" }
            cleared = { handler = "cleared.call", runtime = null }
          }
        }`,
      'jobs/main.tf': `
        variable "jobs" {
          type = map(object({
            handler = string
            runtime = optional(string, "ruby3.4")
            timeout = optional(number)
          }))
        }
        resource "aws_lambda_function" "job" {
          for_each      = var.jobs
          function_name = each.key
          role          = "r"
          handler       = each.value.handler
          runtime       = each.value.runtime
          timeout       = each.value.timeout
        }`,
    });
    expect(js(m.attr('module.jobs.aws_lambda_function.job["nightly"]', 'runtime'))).toBe('ruby3.4');
    expect(js(m.attr('module.jobs.aws_lambda_function.job["legacy"]', 'runtime'))).toBe('python3.9');
    expect(js(m.attr('module.jobs.aws_lambda_function.job["cleared"]', 'runtime'))).toBe('ruby3.4');
    expect(js(m.attr('module.jobs.aws_lambda_function.job["nightly"]', 'timeout'))).toBeNull();
    // The default's origin is the type constraint, where a finding about it belongs.
    const runtime = m.attr('module.jobs.aws_lambda_function.job["nightly"]', 'runtime');
    expect(runtime.marks?.origin?.pointer.path).toEqual(['variable', 'jobs', 'type']);
  });
});
