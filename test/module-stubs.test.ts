/**
 * Registry module stubs (rules/modules): each parses, declares every variable with a default (or
 * as required, like the module), matches only its module's root source, and — loaded in place of
 * a module `terraform init` did not download — creates the resources and references the rules
 * link through.
 */
import * as fs from 'fs';
import * as path from 'path';
import { KNOWN_MODULES, knownModuleStub } from '../rules/modules';
import { loadSource } from '../src/load/project';
import { parseJsonFile } from '../src/load/parse';
import { parseTemplate } from '../src/hcl/parser';
import { Graph } from '../src/graph/graph';
import { collectRefs, getPath, toJson, type Value } from '../src/model/value';
import type { Resource } from '../src/model/model';
import { tree } from './helpers/tree';

const STUB_DIR = path.join(__dirname, '..', 'rules', 'modules');

/** Variables the real modules declare without a default; the stubs keep them required. */
const REQUIRED: Record<string, string[]> = {
  'terraform-aws-modules-rds.tf.json': ['identifier'],
};


async function load(main: string) {
  const dir = tree({ 'main.tf': main });
  const r = await loadSource({ dirs: [dir], files: [] }, { cwd: dir, varFiles: [], vars: [] });
  const graph = new Graph({ resources: r.resources, files: r.files });
  const byAddr = (a: string): Resource => {
    const hit = r.resources.find((x) => x.address === a);
    if (!hit) throw new Error(`no ${a} in ${r.resources.map((x) => x.address).join(', ')}`);
    return hit;
  };
  const addresses = (prefix: string): string[] => r.resources.map((x) => x.address).filter((a) => a.startsWith(prefix)).sort();
  /** Addresses of the resources `from` refers to under the attribute path `at`. */
  const refsAt = (from: string, at: (string | number)[]): string[] =>
    [...new Set(graph.referencesAt(byAddr(from), at).map((e) => e.to.address))].sort();
  const value = (addr: string, at: (string | number)[]): unknown => {
    const v = getPath(byAddr(addr).values, at);
    return v === undefined ? undefined : toJson(v);
  };
  return { ...r, dir, graph, byAddr, addresses, refsAt, value };
}

/** Every string in a stub that the evaluator reads as a template. */
function templates(node: unknown, out: string[] = []): string[] {
  if (typeof node === 'string') out.push(node);
  else if (Array.isArray(node)) node.forEach((n) => templates(n, out));
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) if (k !== '//') templates(v, out);
  return out;
}

function refsOf(v: Value | undefined): string[] {
  return v ? [...new Set(collectRefs(v).map((r) => r.address))].sort() : [];
}

describe('every stub', () => {
  const stubs = KNOWN_MODULES.map((m) => m.stub);

  test('every stub file is listed, and every listed stub exists', () => {
    const files = fs.readdirSync(STUB_DIR).filter((f) => f.endsWith('.tf.json')).sort();
    expect([...stubs].sort()).toEqual(files);
  });

  test.each(stubs)('%s parses, says which major version it follows, and its expressions parse', (stub) => {
    const file = path.join(STUB_DIR, stub);
    const text = fs.readFileSync(file, 'utf8');
    const parsed = parseJsonFile(file, text);
    expect(parsed.ok).toBe(true);
    const doc = JSON.parse(text) as Record<string, unknown>;
    expect(doc['//']).toMatch(/\bv\d/);
    for (const t of templates(doc)) expect(() => parseTemplate(t)).not.toThrow();
  });

  test.each(stubs)('%s: every variable has a default or is required like the module', (stub) => {
    const doc = JSON.parse(fs.readFileSync(path.join(STUB_DIR, stub), 'utf8')) as { variable: Record<string, Record<string, unknown>> };
    const withoutDefault = Object.entries(doc.variable).filter(([, body]) => !('default' in body)).map(([name]) => name);
    expect(withoutDefault.sort()).toEqual((REQUIRED[stub] ?? []).sort());
  });

  test.each(stubs)('%s: its outputs and resources refer only to what it declares', (stub) => {
    const doc = JSON.parse(fs.readFileSync(path.join(STUB_DIR, stub), 'utf8')) as Record<string, Record<string, unknown>>;
    const declared = new Set([
      ...Object.keys(doc.variable ?? {}).map((n) => `var.${n}`),
      ...Object.keys(doc.locals ?? {}).map((n) => `local.${n}`),
      ...[doc.resource ?? {}, doc.data ?? {}].flatMap((blocks) => Object.entries(blocks).flatMap(([t, byName]) => Object.keys(byName as object).map((n) => `${t}.${n}`))),
    ]);
    const text = templates(doc).join('\n');
    for (const m of text.matchAll(/\b(var|local)\.([a-z0-9_]+)/g)) expect(declared).toContain(`${m[1]}.${m[2]}`);
    for (const m of text.matchAll(/\b(aws_[a-z0-9_]+)\.([a-z0-9_]+)\b/g)) expect(declared).toContain(`${m[1]}.${m[2]}`);
  });
});

describe('defaults', () => {
  /** Paths of the values a stub failed to evaluate (an expression Terraform would reject). */
  function invalidPaths(v: Value, at: string, out: string[] = []): string[] {
    if (v.kind === 'unknown' && v.invalid) out.push(`${at}: ${v.reason}`);
    if (v.kind === 'list') v.items.forEach((x, i) => invalidPaths(x, `${at}[${i}]`, out));
    if (v.kind === 'object') for (const [k, x] of v.entries) invalidPaths(x, `${at}.${k}`, out);
    return out;
  }

  test.each([
    ['rds', 'identifier = "db"', ['module.m.aws_db_instance.this']],
    ['rds-aurora', 'name = "db"', ['module.m.aws_rds_cluster.this', 'module.m.aws_security_group.this']],
    ['elasticache', 'replication_group_id = "cache"', ['module.m.aws_elasticache_replication_group.this', 'module.m.aws_security_group.this']],
    ['security-group', 'name = "sg"', ['module.m.aws_security_group.this']],
    ['apigateway-v2', 'name = "api"', ['module.m.aws_apigatewayv2_api.this']],
    ['alb', 'name = "lb"', ['module.m.aws_lb.this']],
    ['lambda', 'function_name = "fn"', ['module.m.aws_iam_role.lambda', 'module.m.aws_lambda_function.this']],
  ])('%s with only its required inputs creates what the module creates by default, and every value evaluates', async (name, inputs, expected) => {
    const m = await load(`module "m" {\n  source = "terraform-aws-modules/${name}/aws"\n  ${inputs}\n}`);
    expect(m.diagnostics).toEqual([]);
    expect(m.addresses('module.m.')).toEqual(expected);
    for (const r of m.resources) expect(invalidPaths(r.values, r.address)).toEqual([]);
  });
});

describe('sources', () => {
  test.each([
    ['terraform-aws-modules/rds/aws', 'terraform-aws-modules-rds.tf.json'],
    ['registry.terraform.io/terraform-aws-modules/rds/aws', 'terraform-aws-modules-rds.tf.json'],
    ['terraform-aws-modules/rds-aurora/aws', 'terraform-aws-modules-rds-aurora.tf.json'],
    ['Terraform-AWS-Modules/RDS-Aurora/AWS/', 'terraform-aws-modules-rds-aurora.tf.json'],
    ['registry.opentofu.org/terraform-aws-modules/elasticache/aws', 'terraform-aws-modules-elasticache.tf.json'],
    ['terraform-aws-modules/security-group/aws', 'terraform-aws-modules-security-group.tf.json'],
    ['terraform-aws-modules/apigateway-v2/aws', 'terraform-aws-modules-apigateway-v2.tf.json'],
    [' terraform-aws-modules/alb/aws ', 'terraform-aws-modules-alb.tf.json'],
    ['terraform-aws-modules/lambda/aws', 'terraform-aws-modules-lambda.tf.json'],
  ])('%s is %s', (source, stub) => {
    expect(path.basename(knownModuleStub(source)!.file)).toBe(stub);
  });

  test.each([
    'terraform-aws-modules/rds/aws//modules/db_instance',
    'terraform-aws-modules/security-group/aws//modules/postgresql',
    'terraform-aws-modules/elasticache/aws//modules/serverless-cache',
    'terraform-aws-modules/rds-proxy/aws',
    'terraform-aws-modules/alb/azurerm',
    'example.com/terraform-aws-modules/rds/aws',
    'git::https://github.com/terraform-aws-modules/terraform-aws-rds.git',
    'cloudposse/rds/aws',
  ])('%s is not known', (source) => {
    expect(knownModuleStub(source)).toBeUndefined();
  });
});

describe('terraform-aws-modules/rds/aws', () => {
  const main = (extra = '') => `
    resource "aws_security_group" "db" { name = "db" }
    module "db" {
      source  = "terraform-aws-modules/rds/aws"
      version = "~> 7.0"

      identifier             = "forms"
      engine                 = "postgres"
      vpc_security_group_ids = [aws_security_group.db.id]
      ${extra}
    }
    resource "aws_lambda_function" "fn" {
      function_name = "report"
      runtime       = "ruby3.4"
      environment {
        variables = {
          DB_HOST   = module.db.db_instance_address
          DB_URL    = "postgres://\${module.db.db_instance_endpoint}/forms"
          DB_PORT   = module.db.db_instance_port
          DB_SECRET = module.db.db_instance_master_user_secret_arn
        }
      }
    }`;

  test('the instance takes its security groups; the outputs carry its address, endpoint, port and secret', async () => {
    const m = await load(main());
    expect(m.diagnostics).toEqual([]);
    expect(m.addresses('module.db.')).toEqual(['module.db.aws_db_instance.this']);
    const db = m.byAddr('module.db.aws_db_instance.this');
    expect(db.pointer.path).toEqual(['module', 'db']);
    expect(m.value('module.db.aws_db_instance.this', ['identifier'])).toBe('forms');
    expect(m.value('module.db.aws_db_instance.this', ['manage_master_user_password'])).toBe(true);
    expect(m.refsAt('module.db.aws_db_instance.this', ['vpc_security_group_ids'])).toEqual(['aws_security_group.db']);
    for (const name of ['DB_HOST', 'DB_URL', 'DB_PORT', 'DB_SECRET']) {
      expect(m.refsAt('aws_lambda_function.fn', ['environment', 0, 'variables', name])).toEqual(['module.db.aws_db_instance.this']);
    }
  });

  test('create_db_instance = false creates nothing', async () => {
    const m = await load(main('create_db_instance = false'));
    expect(m.addresses('module.db.')).toEqual([]);
  });
});

describe('terraform-aws-modules/rds-aurora/aws', () => {
  const main = (rules: string) => `
    resource "aws_security_group" "lambda" { name = "lambda" }
    resource "aws_security_group" "extra" { name = "extra" }
    module "aurora" {
      source  = "terraform-aws-modules/rds-aurora/aws"
      version = "~> 10.0"

      name           = "forms"
      engine         = "aurora-postgresql"
      vpc_id         = "vpc-1"
      instances      = { one = {}, two = { instance_class = "db.r6g.large" } }
      vpc_security_group_ids = [aws_security_group.extra.id]
      ${rules}
    }`;

  test('v10: the cluster uses the group it creates, which admits security_group_ingress_rules', async () => {
    const m = await load(main(`
      security_group_ingress_rules = {
        lambda = { referenced_security_group_id = aws_security_group.lambda.id }
        office = { cidr_ipv4 = "10.0.0.0/16", from_port = 5432 }
      }
      security_group_egress_rules = {
        all = { cidr_ipv4 = "0.0.0.0/0", ip_protocol = "-1" }
      }`));
    expect(m.diagnostics).toEqual([]);
    expect(m.addresses('module.aurora.')).toEqual([
      'module.aurora.aws_rds_cluster.this',
      'module.aurora.aws_rds_cluster_instance.this["one"]',
      'module.aurora.aws_rds_cluster_instance.this["two"]',
      'module.aurora.aws_security_group.this',
      'module.aurora.aws_vpc_security_group_egress_rule.this["all"]',
      'module.aurora.aws_vpc_security_group_ingress_rule.this["lambda"]',
      'module.aurora.aws_vpc_security_group_ingress_rule.this["office"]',
    ]);
    expect(m.refsAt('module.aurora.aws_rds_cluster.this', ['vpc_security_group_ids'])).toEqual(['aws_security_group.extra', 'module.aurora.aws_security_group.this']);
    const rule = 'module.aurora.aws_vpc_security_group_ingress_rule.this["lambda"]';
    expect(m.refsAt(rule, ['security_group_id'])).toEqual(['module.aurora.aws_security_group.this']);
    expect(m.refsAt(rule, ['referenced_security_group_id'])).toContain('aws_security_group.lambda');
    expect(m.value('module.aurora.aws_vpc_security_group_ingress_rule.this["office"]', ['from_port'])).toBe(5432);
    expect(m.value('module.aurora.aws_vpc_security_group_ingress_rule.this["office"]', ['to_port'])).toBe(5432);
    expect(m.value(rule, ['from_port'])).toBe(5432);
    expect(m.refsAt('module.aurora.aws_rds_cluster_instance.this["one"]', ['cluster_identifier'])).toEqual(['module.aurora.aws_rds_cluster.this']);
    expect(m.value('module.aurora.aws_rds_cluster_instance.this["one"]', ['identifier'])).toBe('forms-one');
  });

  test('v8-v9: security_group_rules become aws_security_group_rule, ingress by default', async () => {
    const m = await load(main(`
      security_group_rules = {
        lambda_ingress = { source_security_group_id = aws_security_group.lambda.id }
        egress_all     = { type = "egress", cidr_blocks = ["0.0.0.0/0"] }
      }`));
    const rule = 'module.aurora.aws_security_group_rule.this["lambda_ingress"]';
    expect(m.value(rule, ['type'])).toBe('ingress');
    expect(m.value(rule, ['from_port'])).toBe(5432);
    expect(m.refsAt(rule, ['security_group_id'])).toEqual(['module.aurora.aws_security_group.this']);
    expect(m.refsAt(rule, ['source_security_group_id'])).toEqual(['aws_security_group.lambda']);
    expect(m.value('module.aurora.aws_security_group_rule.this["egress_all"]', ['type'])).toBe('egress');
  });

  test('v7: allowed_security_groups and allowed_cidr_blocks; create_cluster = false creates nothing', async () => {
    const m = await load(main('allowed_security_groups = [aws_security_group.lambda.id]\nallowed_cidr_blocks = ["10.0.0.0/8"]'));
    expect(m.refsAt('module.aurora.aws_security_group_rule.default_ingress[0]', ['source_security_group_id'])).toEqual(['aws_security_group.lambda']);
    expect(m.value('module.aurora.aws_security_group_rule.cidr_ingress', ['cidr_blocks'])).toEqual(['10.0.0.0/8']);
    const off = await load(main('create_cluster = false'));
    expect(off.addresses('module.aurora.')).toEqual([]);
  });

  test('create_security_group = false: the cluster keeps only the groups passed in', async () => {
    const m = await load(main('create_security_group = false'));
    expect(m.addresses('module.aurora.aws_security_group')).toEqual([]);
    expect(m.refsAt('module.aurora.aws_rds_cluster.this', ['vpc_security_group_ids'])).toEqual(['aws_security_group.extra']);
  });

  test('the outputs carry the endpoints and the managed secret', async () => {
    const m = await load(`${main('')}
      resource "aws_lambda_function" "fn" {
        function_name = "stats"
        environment {
          variables = {
            WRITER = module.aurora.cluster_endpoint
            READER = module.aurora.cluster_reader_endpoint
            SECRET = module.aurora.cluster_master_user_secret[0].secret_arn
            SG     = module.aurora.security_group_id
          }
        }
      }`);
    for (const name of ['WRITER', 'READER', 'SECRET']) {
      expect(m.refsAt('aws_lambda_function.fn', ['environment', 0, 'variables', name])).toEqual(['module.aurora.aws_rds_cluster.this']);
    }
    expect(m.refsAt('aws_lambda_function.fn', ['environment', 0, 'variables', 'SG'])).toEqual(['module.aurora.aws_security_group.this']);
  });
});

describe('terraform-aws-modules/elasticache/aws', () => {
  const main = (extra: string) => `
    resource "aws_security_group" "lambda" { name = "lambda" }
    module "cache" {
      source  = "terraform-aws-modules/elasticache/aws"
      version = "~> 1.0"

      replication_group_id = "sessions"
      engine               = "valkey"
      vpc_id               = "vpc-1"
      security_group_rules = {
        lambda  = { referenced_security_group_id = aws_security_group.lambda.id }
        vpc     = { cidr_ipv4 = "10.0.0.0/16" }
        out     = { type = "egress", cidr_ipv4 = "0.0.0.0/0", ip_protocol = "-1" }
      }
      ${extra}
    }
    resource "aws_lambda_function" "fn" {
      function_name = "sessions"
      environment {
        variables = { REDIS = module.cache.replication_group_primary_endpoint_address }
      }
    }`;

  test('the replication group (the default) uses the group the module creates, which admits the rules', async () => {
    const m = await load(main(''));
    expect(m.diagnostics).toEqual([]);
    expect(m.addresses('module.cache.')).toEqual([
      'module.cache.aws_elasticache_replication_group.this',
      'module.cache.aws_security_group.this',
      'module.cache.aws_vpc_security_group_egress_rule.this["out"]',
      'module.cache.aws_vpc_security_group_ingress_rule.this["lambda"]',
      'module.cache.aws_vpc_security_group_ingress_rule.this["vpc"]',
    ]);
    expect(m.refsAt('module.cache.aws_elasticache_replication_group.this', ['security_group_ids'])).toEqual(['module.cache.aws_security_group.this']);
    expect(m.value('module.cache.aws_elasticache_replication_group.this', ['port'])).toBe(6379);
    const rule = 'module.cache.aws_vpc_security_group_ingress_rule.this["lambda"]';
    expect(m.refsAt(rule, ['security_group_id'])).toEqual(['module.cache.aws_security_group.this']);
    expect(m.refsAt(rule, ['referenced_security_group_id'])).toEqual(['aws_security_group.lambda']);
    expect(m.refsAt('aws_lambda_function.fn', ['environment', 0, 'variables', 'REDIS'])).toEqual(['module.cache.aws_elasticache_replication_group.this']);
  });

  test('a memcached cluster instead of a replication group, with security groups passed in', async () => {
    const m = await load(`
      resource "aws_security_group" "app" { name = "app" }
      module "cache" {
        source = "terraform-aws-modules/elasticache/aws"

        cluster_id               = "lists"
        engine                   = "memcached"
        create_cluster           = true
        create_replication_group = false
        create_security_group    = false
        security_group_ids       = [aws_security_group.app.id]
      }`);
    expect(m.addresses('module.cache.')).toEqual(['module.cache.aws_elasticache_cluster.this']);
    expect(m.value('module.cache.aws_elasticache_cluster.this', ['port'])).toBe(11211);
    expect(m.refsAt('module.cache.aws_elasticache_cluster.this', ['security_group_ids'])).toEqual(['aws_security_group.app']);
  });
});

describe('terraform-aws-modules/security-group/aws', () => {
  test('v5: rules from ingress_with_source_security_group_id, the computed list (as many as counted) and named CIDR rules', async () => {
    const m = await load(`
      module "lambda_sg" {
        source = "terraform-aws-modules/security-group/aws"
        version = "~> 5.0"
        name   = "lambda"
        egress_with_source_security_group_id = [
          { rule = "postgresql-tcp", source_security_group_id = module.db_sg.security_group_id },
        ]
      }
      module "db_sg" {
        source  = "terraform-aws-modules/security-group/aws"
        version = "~> 5.0"
        name    = "db"
        vpc_id  = "vpc-1"
        ingress_cidr_blocks = ["10.0.0.0/16"]
        ingress_rules       = ["postgresql-tcp"]
        ingress_with_source_security_group_id = [
          { from_port = 5432, to_port = 5432, protocol = "tcp", source_security_group_id = module.lambda_sg.security_group_id },
        ]
        computed_ingress_with_source_security_group_id = [
          { rule = "postgresql-tcp", source_security_group_id = module.lambda_sg.security_group_id },
          { rule = "postgresql-tcp", source_security_group_id = "sg-0123456789abcdef0" },
        ]
        number_of_computed_ingress_with_source_security_group_id = 1
      }`);
    expect(m.diagnostics).toEqual([]);
    expect(m.addresses('module.db_sg.')).toEqual([
      'module.db_sg.aws_security_group.this',
      'module.db_sg.aws_security_group_rule.computed_ingress_with_source_security_group_id[0]',
      'module.db_sg.aws_security_group_rule.ingress_rules[0]',
      'module.db_sg.aws_security_group_rule.ingress_with_source_security_group_id[0]',
    ]);
    const rule = 'module.db_sg.aws_security_group_rule.ingress_with_source_security_group_id[0]';
    expect(m.value(rule, ['type'])).toBe('ingress');
    expect(m.value(rule, ['from_port'])).toBe(5432);
    expect(m.refsAt(rule, ['security_group_id'])).toEqual(['module.db_sg.aws_security_group.this']);
    expect(m.refsAt(rule, ['source_security_group_id'])).toEqual(['module.lambda_sg.aws_security_group.this']);
    expect(m.refsAt('module.db_sg.aws_security_group_rule.computed_ingress_with_source_security_group_id[0]', ['source_security_group_id'])).toEqual(['module.lambda_sg.aws_security_group.this']);
    expect(m.value('module.db_sg.aws_security_group_rule.ingress_rules[0]', ['cidr_blocks'])).toEqual(['10.0.0.0/16']);
    expect(m.value('module.db_sg.aws_security_group.this', ['name_prefix'])).toBe('db-');
    const egress = 'module.lambda_sg.aws_security_group_rule.egress_with_source_security_group_id[0]';
    expect(m.value(egress, ['type'])).toBe('egress');
    expect(m.refsAt(egress, ['source_security_group_id'])).toEqual(['module.db_sg.aws_security_group.this']);
  });

  test('v5: create_sg = false adds the rules to an existing group', async () => {
    const m = await load(`
      resource "aws_security_group" "db" { name = "db" }
      resource "aws_security_group" "lambda" { name = "lambda" }
      module "rules" {
        source            = "terraform-aws-modules/security-group/aws"
        create_sg         = false
        security_group_id = aws_security_group.db.id
        ingress_with_source_security_group_id = [{ rule = "postgresql-tcp", source_security_group_id = aws_security_group.lambda.id }]
      }`);
    expect(m.addresses('module.rules.')).toEqual(['module.rules.aws_security_group_rule.ingress_with_source_security_group_id[0]']);
    expect(m.refsAt('module.rules.aws_security_group_rule.ingress_with_source_security_group_id[0]', ['security_group_id'])).toEqual(['aws_security_group.db']);
  });

  test('v6: ingress_rules and egress_rules maps become aws_vpc_security_group_*_rule; output id', async () => {
    const m = await load(`
      resource "aws_security_group" "lambda" { name = "lambda" }
      module "db_sg" {
        source  = "terraform-aws-modules/security-group/aws"
        version = "~> 6.0"
        name    = "db"
        ingress_rules = {
          lambda = { from_port = 5432, referenced_security_group_id = aws_security_group.lambda.id }
          vpc    = { from_port = 5432, cidr_ipv4 = "10.0.0.0/16" }
        }
        egress_rules = { all = { ip_protocol = "-1", cidr_ipv4 = "0.0.0.0/0" } }
      }
      resource "aws_db_instance" "db" {
        vpc_security_group_ids = [module.db_sg.id]
      }`);
    expect(m.diagnostics).toEqual([]);
    expect(m.addresses('module.db_sg.')).toEqual([
      'module.db_sg.aws_security_group.this',
      'module.db_sg.aws_vpc_security_group_egress_rule.this["all"]',
      'module.db_sg.aws_vpc_security_group_ingress_rule.this["lambda"]',
      'module.db_sg.aws_vpc_security_group_ingress_rule.this["vpc"]',
    ]);
    const rule = 'module.db_sg.aws_vpc_security_group_ingress_rule.this["lambda"]';
    expect(m.value(rule, ['to_port'])).toBe(5432);
    expect(m.value(rule, ['ip_protocol'])).toBe('tcp');
    expect(m.refsAt(rule, ['security_group_id'])).toEqual(['module.db_sg.aws_security_group.this']);
    expect(m.refsAt(rule, ['referenced_security_group_id'])).toContain('aws_security_group.lambda');
    expect(m.refsAt('aws_db_instance.db', ['vpc_security_group_ids'])).toEqual(['module.db_sg.aws_security_group.this']);
  });
});

describe('terraform-aws-modules/apigateway-v2/aws', () => {
  const lambda = `
    resource "aws_lambda_function" "fn" {
      function_name = "webhooks"
      runtime       = "ruby3.4"
    }`;

  test('v5-v6: one integration and route per route key, with the Lambda passed as the integration uri', async () => {
    const m = await load(`${lambda}
      module "api" {
        source  = "terraform-aws-modules/apigateway-v2/aws"
        version = "~> 6.0"
        name    = "forms"
        create_domain_name = false
        routes = {
          "POST /webhooks" = {
            integration = { uri = aws_lambda_function.fn.arn, payload_format_version = "2.0" }
          }
          "GET /health" = {
            authorization_type = "JWT"
            authorizer_key     = "cognito"
            integration        = { type = "HTTP_PROXY", uri = "https://example.com/health", method = "GET" }
          }
        }
        authorizers = {
          cognito = { authorizer_type = "JWT", identity_sources = "$request.header.Authorization" }
          custom  = { authorizer_type = "REQUEST", authorizer_uri = aws_lambda_function.fn.invoke_arn }
        }
      }`);
    expect(m.diagnostics).toEqual([]);
    expect(m.addresses('module.api.')).toEqual([
      'module.api.aws_apigatewayv2_api.this',
      'module.api.aws_apigatewayv2_authorizer.this["cognito"]',
      'module.api.aws_apigatewayv2_authorizer.this["custom"]',
      'module.api.aws_apigatewayv2_integration.this["GET /health"]',
      'module.api.aws_apigatewayv2_integration.this["POST /webhooks"]',
      'module.api.aws_apigatewayv2_route.this["GET /health"]',
      'module.api.aws_apigatewayv2_route.this["POST /webhooks"]',
    ]);
    const post = 'module.api.aws_apigatewayv2_integration.this["POST /webhooks"]';
    expect(m.refsAt(post, ['integration_uri'])).toEqual(['aws_lambda_function.fn']);
    expect(m.value(post, ['integration_type'])).toBe('AWS_PROXY');
    expect(m.value('module.api.aws_apigatewayv2_integration.this["GET /health"]', ['integration_uri'])).toBe('https://example.com/health');
    expect(m.refsAt('module.api.aws_apigatewayv2_authorizer.this["custom"]', ['authorizer_uri'])).toEqual(['aws_lambda_function.fn']);
    expect(m.refsAt('module.api.aws_apigatewayv2_route.this["GET /health"]', ['authorizer_id'])).toEqual(['module.api.aws_apigatewayv2_authorizer.this["cognito"]']);
    expect(m.value('module.api.aws_apigatewayv2_route.this["POST /webhooks"]', ['route_key'])).toBe('POST /webhooks');
  });

  test('v2-v4: integrations with lambda_arn or integration_uri', async () => {
    const m = await load(`${lambda}
      module "api" {
        source  = "registry.terraform.io/terraform-aws-modules/apigateway-v2/aws"
        version = "~> 4.0"
        name    = "forms"
        integrations = {
          "POST /webhooks" = { lambda_arn = aws_lambda_function.fn.arn }
          "$default"       = { integration_uri = aws_lambda_function.fn.invoke_arn, integration_type = "AWS_PROXY" }
        }
      }`);
    expect(m.refsAt('module.api.aws_apigatewayv2_integration.this["POST /webhooks"]', ['integration_uri'])).toEqual(['aws_lambda_function.fn']);
    expect(m.refsAt('module.api.aws_apigatewayv2_integration.this["$default"]', ['integration_uri'])).toEqual(['aws_lambda_function.fn']);
  });

  test('quick create: the target is on the API; create = false creates nothing', async () => {
    const m = await load(`${lambda}
      module "api" {
        source = "terraform-aws-modules/apigateway-v2/aws"
        name   = "quick"
        target = aws_lambda_function.fn.arn
      }
      module "off" {
        source = "terraform-aws-modules/apigateway-v2/aws"
        create = false
        routes = { "GET /" = { integration = { uri = aws_lambda_function.fn.arn } } }
      }`);
    expect(m.addresses('module.api.')).toEqual(['module.api.aws_apigatewayv2_api.this']);
    expect(m.refsAt('module.api.aws_apigatewayv2_api.this', ['target'])).toEqual(['aws_lambda_function.fn']);
    expect(m.addresses('module.off.')).toEqual([]);
  });
});

describe('terraform-aws-modules/alb/aws', () => {
  test('v9-v10: a lambda target group, its attachment and the permission the module adds', async () => {
    const m = await load(`
      resource "aws_lambda_function" "fn" {
        function_name = "legacy"
        runtime       = "ruby3.4"
      }
      module "alb" {
        source  = "terraform-aws-modules/alb/aws"
        version = "~> 10.0"
        name    = "forms"
        target_groups = {
          legacy = {
            name_prefix              = "l1-"
            target_type              = "lambda"
            target_id                = aws_lambda_function.fn.arn
            attach_lambda_permission = true
          }
          web = {
            protocol    = "HTTP"
            port        = 8080
            target_type = "ip"
            target_id   = "10.0.0.10"
          }
          spare = {
            target_type       = "instance"
            create_attachment = false
          }
        }
      }`);
    expect(m.diagnostics).toEqual([]);
    expect(m.addresses('module.alb.')).toEqual([
      'module.alb.aws_lambda_permission.this["legacy"]',
      'module.alb.aws_lb.this',
      'module.alb.aws_lb_target_group.this["legacy"]',
      'module.alb.aws_lb_target_group.this["spare"]',
      'module.alb.aws_lb_target_group.this["web"]',
      'module.alb.aws_lb_target_group_attachment.this["legacy"]',
      'module.alb.aws_lb_target_group_attachment.this["web"]',
    ]);
    expect(m.value('module.alb.aws_lb_target_group.this["legacy"]', ['target_type'])).toBe('lambda');
    expect(m.value('module.alb.aws_lb_target_group.this["legacy"]', ['port'])).toBeNull();
    expect(m.value('module.alb.aws_lb_target_group.this["web"]', ['port'])).toBe(8080);
    const attachment = 'module.alb.aws_lb_target_group_attachment.this["legacy"]';
    expect(m.refsAt(attachment, ['target_id'])).toEqual(['aws_lambda_function.fn']);
    expect(m.refsAt(attachment, ['target_group_arn'])).toEqual(['module.alb.aws_lb_target_group.this["legacy"]']);
    const permission = 'module.alb.aws_lambda_permission.this["legacy"]';
    expect(m.refsAt(permission, ['function_name'])).toEqual(['aws_lambda_function.fn']);
    expect(m.value(permission, ['principal'])).toBe('elasticloadbalancing.amazonaws.com');
  });

  test('a function ARN written out gives the permission the function name', async () => {
    const m = await load(`
      module "alb" {
        source = "terraform-aws-modules/alb/aws"
        target_groups = {
          fn = {
            target_type              = "lambda"
            target_id                = "arn:aws:lambda:eu-west-2:111122223333:function:legacy"
            attach_lambda_permission = true
          }
        }
      }`);
    expect(m.value('module.alb.aws_lambda_permission.this["fn"]', ['function_name'])).toBe('legacy');
  });
});
