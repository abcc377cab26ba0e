/**
 * Terraform source → model: addresses with module paths and instance keys, values through
 * variables/locals/modules, references carried across modules, dynamic blocks, Unknowns.
 */
import * as path from 'path';
import { loadSource } from '../src/load/project';
import { Graph } from '../src/graph/graph';
import { collectRefs, getPath, toJson } from '../src/model/value';
import type { Resource } from '../src/model/model';
import { tree } from './helpers/tree';


async function load(files: Record<string, string>, vars: string[] = []) {
  const dir = tree(files, 'lal-src-');
  const r = await loadSource({ dirs: [dir], files: [] }, { cwd: dir, varFiles: [], vars });
  const byAddr = (a: string): Resource => {
    const hit = r.resources.find((x) => x.address === a);
    if (!hit) throw new Error(`no ${a} in ${r.resources.map((x) => x.address).join(', ')}`);
    return hit;
  };
  return { ...r, dir, byAddr };
}

test('count and for_each instances get keyed addresses; count 0 means no resource', async () => {
  const m = await load({
    'main.tf': `
      resource "aws_sqs_queue" "q" {
        count = 2
        name  = "q-\${count.index}"
      }
      resource "aws_sqs_queue" "none" {
        count = 0
      }
      resource "aws_sns_topic" "t" {
        for_each = toset(["a", "b"])
        name     = each.key
      }
      resource "aws_sns_topic" "m" {
        for_each = { x = "one" }
        name     = each.value
      }`,
  });
  expect(m.diagnostics).toEqual([]);
  expect(m.resources.map((r) => r.address).sort()).toEqual(['aws_sns_topic.m["x"]', 'aws_sns_topic.t["a"]', 'aws_sns_topic.t["b"]', 'aws_sqs_queue.q[0]', 'aws_sqs_queue.q[1]']);
  expect(toJson(m.byAddr('aws_sqs_queue.q[1]').values.entries.get('name')!)).toBe('q-1');
  expect(toJson(m.byAddr('aws_sns_topic.m["x"]').values.entries.get('name')!)).toBe('one');
});

test('an unknown count gives one instance that may exist', async () => {
  const m = await load({ 'main.tf': 'variable "n" {}\nresource "aws_sqs_queue" "q" { count = var.n }' });
  expect(m.resources).toHaveLength(1);
  expect(m.resources[0]).toMatchObject({ address: 'aws_sqs_queue.q', existence: 'maybe' });
});

test('module inputs, outputs and references across modules', async () => {
  const m = await load({
    'main.tf': `
      module "fn" {
        source  = "./modules/fn"
        runtime = "python3.12"
      }
      resource "aws_apigatewayv2_integration" "i" {
        api_id           = "x"
        integration_type = "AWS_PROXY"
        integration_uri  = module.fn.invoke_arn
      }`,
    'modules/fn/main.tf': `
      variable "runtime" {}
      resource "aws_lambda_function" "this" {
        function_name = "f"
        runtime       = var.runtime
      }
      output "invoke_arn" { value = aws_lambda_function.this.invoke_arn }`,
  });
  const fn = m.byAddr('module.fn.aws_lambda_function.this');
  const runtime = fn.values.entries.get('runtime')!;
  expect(toJson(runtime)).toBe('python3.12');
  expect(runtime.marks?.origin?.pointer.path).toEqual(['module', 'fn', 'runtime']);
  expect(runtime.marks?.origin?.pointer.file).toBe(path.join(m.dir, 'main.tf'));
  const integration = m.byAddr('aws_apigatewayv2_integration.i');
  expect(collectRefs(integration.values.entries.get('integration_uri')!)).toEqual([{ address: 'module.fn.aws_lambda_function.this', attribute: ['invoke_arn'] }]);
  const graph = new Graph({ resources: m.resources, files: m.files });
  expect(graph.referrers(fn).map((e) => [e.from.address, e.fromPath])).toEqual([['aws_apigatewayv2_integration.i', ['integration_uri']]]);
  expect(m.roots).toEqual([m.dir]);
});

test('dynamic blocks expand, and their references are kept', async () => {
  const m = await load({
    'main.tf': `
      variable "rules" { default = [{ port = 5432 }, { port = 6379 }] }
      resource "aws_security_group" "lambda" {}
      resource "aws_security_group" "db" {
        dynamic "ingress" {
          for_each = var.rules
          content {
            from_port       = ingress.value.port
            security_groups = [aws_security_group.lambda.id]
          }
        }
      }`,
  });
  const db = m.byAddr('aws_security_group.db');
  expect(toJson(getPath(db.values, ['ingress', 1, 'from_port'])!)).toBe(6379);
  const graph = new Graph({ resources: m.resources, files: m.files });
  expect(graph.references(db).map((e) => e.to.address)).toEqual(['aws_security_group.lambda', 'aws_security_group.lambda']);
});

test('--var values are strings for string variables and parsed for others', async () => {
  const m = await load({
    'main.tf': `
      variable "name" {}
      variable "tags" { type = map(string) }
      resource "aws_sqs_queue" "q" {
        name = var.name
        tags = var.tags
      }`,
  }, ['name=jobs', 'tags={team = "forms"}']);
  const q = m.byAddr('aws_sqs_queue.q');
  expect(toJson(q.values.entries.get('name')!)).toBe('jobs');
  expect(toJson(q.values.entries.get('tags')!)).toEqual({ team: 'forms' });
});

test('locals referring to each other in a cycle become Unknown, not a hang', async () => {
  const m = await load({ 'main.tf': 'locals {\n a = local.b\n b = local.a\n}\nresource "aws_sqs_queue" "q" { name = local.a }' });
  expect(m.resources[0].values.entries.get('name')!.kind).toBe('unknown');
});

test('optional() attributes of object types get their defaults, through maps of objects', async () => {
  const m = await load({
    'main.tf': `
      variable "jobs" {
        type = map(object({
          schedule = string
          runtime  = optional(string, "ruby3.4")
          timeout  = optional(number)
        }))
        default = {
          nightly = { schedule = "cron(0 2 * * ? *)" }
          legacy  = { schedule = "rate(1 day)", runtime = "python3.12" }
        }
      }
      resource "aws_lambda_function" "job" {
        for_each      = var.jobs
        function_name = each.key
        runtime       = each.value.runtime
        timeout       = each.value.timeout
      }`,
  });
  const nightly = m.byAddr('aws_lambda_function.job["nightly"]');
  expect(toJson(nightly.values.entries.get('runtime')!)).toBe('ruby3.4');
  expect(nightly.values.entries.get('runtime')!.marks?.origin?.pointer.path).toEqual(['variable', 'jobs', 'type']);
  expect(nightly.values.entries.get('timeout')!.kind).toBe('null');
  expect(toJson(m.byAddr('aws_lambda_function.job["legacy"]').values.entries.get('runtime')!)).toBe('python3.12');
});

test('nullable = false: a null given for the variable means its default', async () => {
  const m = await load({
    'main.tf': `
      variable "runtime" {
        default  = "java21"
        nullable = false
      }
      resource "aws_lambda_function" "f" {
        function_name = "f"
        runtime       = var.runtime
      }`,
    'terraform.tfvars': 'runtime = null\n',
  });
  expect(toJson(m.byAddr('aws_lambda_function.f').values.entries.get('runtime')!)).toBe('java21');
});
