/**
 * A large synthetic `terraform show -json` plan, shaped like real Terraform 1.11 output (the
 * fixtures under fixtures/plan were the model): for_each module instances, each with a Lambda in
 * a VPC, its security group, role, policy and an HTTP API integration; the values appear in both
 * planned_values and resource_changes, as Terraform writes them, on one line.
 *
 *   node lib/bench/gen-plan.js OUT.json [--mb 50]     write a plan of about that size
 *   node lib/bench/gen-plan.js --measure PLAN.json    load it and print time and peak RSS
 */
import * as fs from 'fs';
import { loadPlan } from '../src/plan/load';

const PROVIDER = 'registry.terraform.io/hashicorp/aws';

/** The instances of one module call in the generated plan. */
function instanceKey(i: number): string {
  return `svc-${String(i).padStart(5, '0')}`;
}

function lambdaAfter(key: string): Record<string, unknown> {
  return {
    architectures: ['arm64'], dead_letter_config: [], description: `Glue job for ${key}`,
    environment: [{ variables: { SERVICE: key, LOG_LEVEL: 'info', QUEUE_URL: `https://sqs.eu-west-1.amazonaws.com/123456789012/${key}` } }],
    file_system_config: [], filename: null, function_name: `${key}-glue`, handler: 'handler.call', image_config: [],
    image_uri: null, kms_key_arn: null, layers: null, memory_size: 256, package_type: 'Zip', publish: false,
    replace_security_groups_on_destroy: null, replacement_security_group_ids: null, reserved_concurrent_executions: -1,
    runtime: Number(key.slice(-1)) % 3 === 0 ? 'python3.12' : 'ruby3.4', s3_bucket: 'artifacts', s3_key: `${key}.zip`,
    s3_object_version: null, skip_destroy: false, snap_start: [], tags: { service: key, team: 'platform' }, timeout: 60,
    timeouts: null, vpc_config: [{ ipv6_allowed_for_dual_stack: false, subnet_ids: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] }],
  };
}

const LAMBDA_UNKNOWN = {
  arn: true, code_sha256: true, ephemeral_storage: true, id: true, invoke_arn: true, last_modified: true, logging_config: true,
  qualified_arn: true, qualified_invoke_arn: true, role: true, signing_job_arn: true, signing_profile_version_arn: true,
  source_code_hash: true, source_code_size: true, tags_all: true, tracing_config: true, version: true,
  environment: [{ variables: {} }], tags: {}, vpc_config: [{ security_group_ids: true, subnet_ids: [false, false], vpc_id: true }],
};

function policyDocument(key: string): string {
  const statements = Array.from({ length: 6 }, (_, i) => ({
    Effect: 'Allow',
    Action: ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
    Resource: `arn:aws:sqs:eu-west-1:123456789012:${key}-${i}`,
  }));
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

interface Res {
  type: string;
  name: string;
  after: Record<string, unknown>;
  unknown: Record<string, unknown>;
  sensitive: Record<string, unknown>;
  expressions: Record<string, unknown>;
}

function moduleResources(key: string): Res[] {
  return [
    {
      type: 'aws_lambda_function', name: 'this', after: lambdaAfter(key), unknown: LAMBDA_UNKNOWN,
      sensitive: { environment: [{ variables: {} }], vpc_config: [{ security_group_ids: [], subnet_ids: [false, false] }] },
      expressions: {
        function_name: { references: ['var.name'] }, role: { references: ['aws_iam_role.this.arn', 'aws_iam_role.this'] },
        runtime: { references: ['var.runtime'] }, handler: { constant_value: 'handler.call' },
        environment: [{ variables: { references: ['var.name'] } }],
        vpc_config: [{ security_group_ids: { references: ['aws_security_group.this.id', 'aws_security_group.this'] }, subnet_ids: { references: ['var.subnet_ids'] } }],
      },
    },
    {
      type: 'aws_security_group', name: 'this',
      after: { description: 'Managed by Terraform', name: `${key}-fn`, revoke_rules_on_delete: false, tags: null, timeouts: null, vpc_id: 'vpc-0123456789abcdef0' },
      unknown: { arn: true, egress: true, id: true, ingress: true, name_prefix: true, owner_id: true, tags_all: true }, sensitive: {},
      expressions: { name: { references: ['var.name'] }, vpc_id: { constant_value: 'vpc-0123456789abcdef0' } },
    },
    {
      type: 'aws_iam_role', name: 'this',
      after: { assume_role_policy: '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"}}],"Version":"2012-10-17"}', description: null, force_detach_policies: false, max_session_duration: 3600, name: `${key}-fn`, path: '/', permissions_boundary: null, tags: null },
      unknown: { arn: true, create_date: true, id: true, inline_policy: true, managed_policy_arns: true, name_prefix: true, tags_all: true, unique_id: true }, sensitive: {},
      expressions: { assume_role_policy: {}, name: { references: ['var.name'] } },
    },
    {
      type: 'aws_iam_role_policy', name: 'this', after: { name: `${key}-queues`, policy: policyDocument(key) },
      unknown: { id: true, name_prefix: true, role: true }, sensitive: {},
      expressions: { policy: {}, role: { references: ['aws_iam_role.this.id', 'aws_iam_role.this'] } },
    },
  ];
}

function rootResources(keys: string[]): Res[] {
  return [
    {
      type: 'aws_apigatewayv2_api', name: 'http', after: { name: 'bench-http', protocol_type: 'HTTP' }, unknown: { id: true, arn: true }, sensitive: {},
      expressions: { name: { constant_value: 'bench-http' }, protocol_type: { constant_value: 'HTTP' } },
    },
    ...keys.filter((_, i) => i % 10 === 0).map((k): Res => ({
      type: 'aws_apigatewayv2_integration', name: k.replace(/-/g, '_'),
      after: { integration_type: 'AWS_PROXY', connection_type: 'INTERNET', payload_format_version: '2.0' },
      unknown: { api_id: true, id: true, integration_uri: true }, sensitive: {},
      expressions: {
        api_id: { references: ['aws_apigatewayv2_api.http.id', 'aws_apigatewayv2_api.http'] },
        integration_type: { constant_value: 'AWS_PROXY' },
        integration_uri: { references: [`module.svc["${k}"].invoke_arn`, `module.svc["${k}"]`] },
      },
    })),
  ];
}

/** A plan of about `targetBytes`, as one JSON line. */
export function generatePlan(targetBytes: number): string {
  const perInstance = 8620; // bytes one module instance adds, measured on this generator
  const count = Math.max(1, Math.round(targetBytes / perInstance));
  const keys = Array.from({ length: count }, (_, i) => instanceKey(i));
  const changes: unknown[] = [];
  const planned: unknown[] = [];
  const child: unknown[] = [];
  const entry = (moduleAddr: string, r: Res) => {
    const address = `${moduleAddr ? `${moduleAddr}.` : ''}${r.type}.${r.name}`;
    const base = { address, mode: 'managed', type: r.type, name: r.name, provider_name: PROVIDER };
    planned.push({ ...base, schema_version: 0, values: r.after, sensitive_values: r.sensitive });
    changes.push({
      ...base, ...(moduleAddr ? { module_address: moduleAddr } : {}),
      change: { actions: ['create'], before: null, after: r.after, after_unknown: r.unknown, before_sensitive: false, after_sensitive: r.sensitive },
    });
  };
  const roots = rootResources(keys);
  for (const r of roots) entry('', r);
  const rootPlanned = planned.splice(0);
  for (const k of keys) {
    const addr = `module.svc["${k}"]`;
    for (const r of moduleResources(k)) entry(addr, r);
    child.push({ address: addr, resources: planned.splice(0) });
  }
  const configResource = (r: Res) => ({
    address: `${r.type}.${r.name}`, mode: 'managed', type: r.type, name: r.name, provider_config_key: 'aws', expressions: r.expressions, schema_version: 0,
  });
  const plan = {
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: { root_module: { resources: rootPlanned, child_modules: child } },
    resource_changes: changes,
    configuration: {
      provider_config: { aws: { name: 'aws', full_name: PROVIDER } },
      root_module: {
        resources: roots.map(configResource),
        module_calls: {
          svc: {
            source: './modules/svc',
            expressions: { name: { references: ['each.key'] }, runtime: { references: ['each.value'] }, subnet_ids: { references: ['var.subnet_ids'] } },
            for_each_expression: { references: ['var.services'] },
            module: {
              outputs: { invoke_arn: { expression: { references: ['aws_lambda_function.this.invoke_arn', 'aws_lambda_function.this'] } } },
              resources: moduleResources('x').map(configResource),
              variables: { name: {}, runtime: {}, subnet_ids: {} },
            },
          },
        },
      },
    },
    timestamp: '2026-11-27T10:00:00Z',
    applyable: true,
    complete: true,
    errored: false,
  };
  return JSON.stringify(plan);
}

function measure(file: string): void {
  const t0 = process.hrtime.bigint();
  const text = fs.readFileSync(file, 'utf8');
  const t1 = process.hrtime.bigint();
  const { model, diagnostics } = loadPlan(file, text);
  const t2 = process.hrtime.bigint();
  const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
  const refs = model.resources.reduce((n, r) => n + countRefs(r.values), 0);
  console.log(JSON.stringify({
    file,
    bytes: fs.statSync(file).size,
    resources: model.resources.length,
    refs,
    diagnostics: diagnostics.length,
    readMs: Math.round(ms(t0, t1)),
    loadMs: Math.round(ms(t1, t2)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    heapUsedMB: Math.round(process.memoryUsage().heapUsed / 1048576),
  }));
}

function countRefs(v: import('../src/model/value').Value): number {
  let n = v.marks?.refs?.length ?? 0;
  if (v.kind === 'list') for (const i of v.items) n += countRefs(i);
  else if (v.kind === 'object') for (const e of v.entries.values()) n += countRefs(e);
  return n;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (args[0] === '--measure' && args[1]) {
    measure(args[1]);
  } else if (args[0] && !args[0].startsWith('--')) {
    const mbAt = args.indexOf('--mb');
    const mb = mbAt >= 0 ? Number(args[mbAt + 1]) : 50;
    const text = generatePlan(mb * 1024 * 1024);
    fs.writeFileSync(args[0], text);
    console.log(`${args[0]}: ${(text.length / 1048576).toFixed(1)} MB`);
  } else {
    console.error('usage: gen-plan OUT.json [--mb 50] | gen-plan --measure PLAN.json');
    process.exitCode = 2;
  }
}
