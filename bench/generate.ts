/**
 * A deterministic synthetic Terraform monorepo for the benchmark: shared local modules under
 * `modules/`, and root modules under `live/<env>/<team>/<service>/`, each one of a few archetypes
 * seen in real platform repositories — SQS/EventBridge Ruby workers, functions behind API
 * Gateway, jobs in a VPC next to a Postgres database, ECS services, legacy functions on old
 * runtimes — written with variables, locals, for_each, count, dynamic blocks, jsonencode IAM
 * policies, security group rules, module calls and the odd `.tf.json` file. The same seed and size
 * always give byte-identical files, so timings are comparable between runs and machines.
 *
 *   node lib/bench/generate.js OUT_DIR [--files 2000] [--seed 1]
 */
import * as fs from 'fs';
import * as path from 'path';

export interface GenerateOptions {
  /** About this many `.tf` / `.tf.json` files (the last root may overshoot by a few). */
  readonly files?: number;
  readonly seed?: number;
}

export interface GeneratedRepo {
  readonly dir: string;
  /** `.tf` and `.tf.json` files written (tfvars not counted). */
  readonly files: number;
  readonly roots: number;
  readonly bytes: number;
  /** Root modules by archetype. */
  readonly archetypes: Readonly<Record<string, number>>;
}

export const DEFAULT_FILES = 2000;

/** mulberry32: small, fast, and the same on every platform. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Rng {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

const TEAMS = ['payments', 'identity', 'catalogue', 'notify', 'forms', 'search', 'billing', 'reporting', 'platform', 'content'];
const ENVS = ['staging', 'production'];
const NOUNS = ['invoice', 'receipt', 'export', 'import', 'digest', 'reminder', 'sync', 'audit', 'cleanup', 'thumbnail', 'webhook', 'ledger', 'report', 'archive', 'index', 'mailer'];
const RUBY = ['ruby3.4', 'ruby3.3', 'ruby3.2'];
const OTHER_RUNTIMES = ['python3.12', 'python3.13', 'nodejs20.x', 'nodejs22.x', 'java21'];
const OLD_RUNTIMES = ['ruby2.7', 'python3.8', 'nodejs16.x', 'ruby3.2'];

/** Archetypes and their weights (out of 100). */
const ARCHETYPES: readonly (readonly [string, number])[] = [
  ['worker', 34],
  ['scheduled', 12],
  ['http-api', 14],
  ['db-job', 14],
  ['ecs-service', 18],
  ['legacy', 8],
];

/** Writes the monorepo into `dir` (which is emptied first). */
export function generateMonorepo(dir: string, opts: GenerateOptions = {}): GeneratedRepo {
  const target = Math.max(1, opts.files ?? DEFAULT_FILES);
  const rng = new Rng(prng(opts.seed ?? 1));
  fs.rmSync(dir, { recursive: true, force: true });
  const out = new Writer(dir);
  writeSharedModules(out);
  const archetypes: Record<string, number> = {};
  let roots = 0;
  while (out.tfFiles < target) {
    const env = ENVS[roots % ENVS.length];
    const team = TEAMS[Math.floor(roots / ENVS.length) % TEAMS.length];
    const name = `${rng.pick(NOUNS)}-${rng.pick(NOUNS)}-${String(roots).padStart(4, '0')}`;
    const kind = pickArchetype(rng);
    archetypes[kind] = (archetypes[kind] ?? 0) + 1;
    writeRoot(out, rng, { env, team, name, kind, index: roots });
    roots++;
  }
  return { dir, files: out.tfFiles, roots, bytes: out.bytes, archetypes };
}

function pickArchetype(rng: Rng): string {
  let r = rng.int(0, 99);
  for (const [kind, weight] of ARCHETYPES) {
    if (r < weight) return kind;
    r -= weight;
  }
  return ARCHETYPES[0][0];
}

class Writer {
  tfFiles = 0;
  bytes = 0;
  constructor(readonly root: string) {}
  write(rel: string, text: string): void {
    const file = path.join(this.root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    this.bytes += Buffer.byteLength(text);
    if (/\.tf(\.json)?$/.test(rel)) this.tfFiles++;
  }
}

interface RootSpec {
  readonly env: string;
  readonly team: string;
  readonly name: string;
  readonly kind: string;
  readonly index: number;
}

function writeRoot(out: Writer, rng: Rng, spec: RootSpec): void {
  const rel = `live/${spec.env}/${spec.team}/${spec.name}`;
  const w = (file: string, text: string): void => out.write(`${rel}/${file}`, text);
  w('providers.tf', providers(spec));
  w('variables.tf', rootVariables(rng, spec));
  w('terraform.tfvars', tfvars(rng, spec));
  switch (spec.kind) {
    case 'worker': writeWorker(w, rng, spec); break;
    case 'scheduled': writeScheduled(w, rng, spec); break;
    case 'http-api': writeHttpApi(w, rng, spec); break;
    case 'db-job': writeDbJob(w, rng, spec); break;
    case 'ecs-service': writeEcsService(w, rng, spec); break;
    default: writeLegacy(w, rng, spec); break;
  }
  if (rng.chance(0.15)) w('tags.tf.json', tagsJson(spec));
  w('outputs.tf', `output "service" {\n  description = "Service name"\n  value       = local.service\n}\n`);
}

// ---------------------------------------------------------------- root pieces

function providers(s: RootSpec): string {
  return `terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }

  backend "s3" {
    bucket = "tfstate-${s.env}"
    key    = "${s.team}/${s.name}/terraform.tfstate"
    region = "eu-west-2"
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Environment = var.environment
      Team        = "${s.team}"
      Service     = "${s.name}"
      ManagedBy   = "terraform"
    }
  }
}
`;
}

function rootVariables(rng: Rng, s: RootSpec): string {
  return `variable "region" {
  description = "AWS region"
  type        = string
  default     = "eu-west-2"
}

variable "environment" {
  description = "Deployment environment"
  type        = string
  default     = "${s.env}"
}

variable "vpc_id" {
  description = "VPC the workload runs in"
  type        = string
  default     = "vpc-${hex(rng, 17)}"
}

variable "private_subnet_ids" {
  description = "Private subnets"
  type        = list(string)
  default     = ["subnet-${hex(rng, 17)}", "subnet-${hex(rng, 17)}", "subnet-${hex(rng, 17)}"]
}

variable "log_retention_days" {
  type    = number
  default = ${rng.pick([14, 30, 90, 365])}
}

variable "alarm_topic_arn" {
  type    = string
  default = "arn:aws:sns:eu-west-2:123456789012:${s.team}-alarms"
}

locals {
  service = "${s.name}"
  prefix  = "\${var.environment}-${s.team}-\${local.service}"
  common_tags = {
    Service     = local.service
    CostCentre  = "${s.team}-${rng.int(100, 999)}"
    Environment = var.environment
  }
}
`;
}

function tfvars(rng: Rng, s: RootSpec): string {
  return `environment        = "${s.env}"
log_retention_days = ${rng.pick([30, 90])}
`;
}

function tagsJson(s: RootSpec): string {
  return JSON.stringify({
    locals: { extra_tags: { Owner: `${s.team}@example.com`, Repository: 'platform-infrastructure', Index: String(s.index) } },
    resource: {
      aws_ssm_parameter: {
        service_owner: { name: `/\${var.environment}/${s.name}/owner`, type: 'String', value: `${s.team}@example.com`, tags: '${local.extra_tags}' },
      },
    },
  }, null, 2) + '\n';
}

function hex(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[rng.int(0, 15)];
  return s;
}

type Emit = (file: string, text: string) => void;

function queues(names: readonly string[]): string {
  return names.map((q) => `resource "aws_sqs_queue" "${q}" {
  name                       = "\${local.prefix}-${q.replace(/_/g, '-')}"
  visibility_timeout_seconds = 360
  message_retention_seconds  = 1209600
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.${q}_dlq.arn
    maxReceiveCount     = 5
  })
  tags = local.common_tags
}

resource "aws_sqs_queue" "${q}_dlq" {
  name = "\${local.prefix}-${q.replace(/_/g, '-')}-dlq"
  tags = local.common_tags
}

resource "aws_cloudwatch_metric_alarm" "${q}_dlq_depth" {
  alarm_name          = "\${local.prefix}-${q.replace(/_/g, '-')}-dlq-depth"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  metric_name         = "ApproximateNumberOfMessagesVisible"
  namespace           = "AWS/SQS"
  period              = 300
  statistic           = "Maximum"
  threshold           = 0
  alarm_actions       = [var.alarm_topic_arn]
  dimensions = {
    QueueName = aws_sqs_queue.${q}_dlq.name
  }
}
`).join('\n');
}

function writeWorker(w: Emit, rng: Rng, s: RootSpec): void {
  const jobs = Array.from({ length: rng.int(1, 4) }, (_, i) => `${rng.pick(NOUNS)}_${i}`);
  w('queues.tf', queues(jobs));
  const runtime = rng.chance(0.85) ? rng.pick(RUBY) : rng.pick(OTHER_RUNTIMES);
  w('workers.tf', `locals {
  workers = {
${jobs.map((j) => `    ${j} = {
      handler     = "${j}.handler"
      timeout     = ${rng.pick([30, 60, 120, 300])}
      memory_size = ${rng.pick([128, 256, 512])}
      queue_arn   = aws_sqs_queue.${j}.arn
    }`).join('\n')}
  }
}

module "worker" {
  source   = "../../../../modules/lambda-worker"
  for_each = local.workers

  name        = "\${local.prefix}-\${replace(each.key, "_", "-")}"
  description = "Processes \${each.key} jobs for ${s.name}"
  handler     = each.value.handler
  runtime     = var.worker_runtime
  timeout     = each.value.timeout
  memory_size = each.value.memory_size
  queue_arn   = each.value.queue_arn
  environment = {
    SERVICE   = local.service
    LOG_LEVEL = var.environment == "production" ? "info" : "debug"
  }
  tags = local.common_tags
}

variable "worker_runtime" {
  type    = string
  default = "${runtime}"
}
`);
  if (rng.chance(0.5)) w('alarms.tf', alarms(jobs.map((j) => `module.worker["${j}"].function_name`)));
}

function alarms(functionNames: readonly string[]): string {
  return functionNames.map((fn, i) => `resource "aws_cloudwatch_metric_alarm" "errors_${i}" {
  alarm_name          = "\${local.prefix}-errors-${i}"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 2
  metric_name         = "Errors"
  namespace           = "AWS/Lambda"
  period              = 60
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = [var.alarm_topic_arn]
  dimensions = {
    FunctionName = ${fn}
  }
}
`).join('\n');
}

function writeScheduled(w: Emit, rng: Rng, s: RootSpec): void {
  const runtime = rng.chance(0.8) ? rng.pick(RUBY) : rng.pick(OTHER_RUNTIMES);
  const schedules = Array.from({ length: rng.int(1, 3) }, (_, i) => [`job_${i}`, rng.pick(['rate(5 minutes)', 'rate(1 hour)', 'cron(0 3 * * ? *)', 'cron(15 6 ? * MON-FRI *)'])] as const);
  w('iam.tf', lambdaRole('scheduled', rng.chance(0.1)));
  w('lambda.tf', `data "archive_file" "bundle" {
  type        = "zip"
  source_dir  = "\${path.module}/src"
  output_path = "\${path.module}/build/bundle.zip"
}

resource "aws_cloudwatch_log_group" "scheduled" {
  name              = "/aws/lambda/\${local.prefix}"
  retention_in_days = var.log_retention_days
  tags              = local.common_tags
}

resource "aws_lambda_function" "scheduled" {
  function_name    = local.prefix
  role             = aws_iam_role.scheduled.arn
  filename         = data.archive_file.bundle.output_path
  source_code_hash = data.archive_file.bundle.output_base64sha256
  handler          = "main.handler"
  runtime          = "${runtime}"
  timeout          = ${rng.pick([60, 300, 900])}
  memory_size      = 256
  architectures    = ["arm64"]

  environment {
    variables = merge(local.common_tags, {
      BUCKET = aws_s3_bucket.output.bucket
    })
  }

  tracing_config {
    mode = "Active"
  }

  tags       = local.common_tags
  depends_on = [aws_cloudwatch_log_group.scheduled]
}

resource "aws_s3_bucket" "output" {
  bucket = "\${local.prefix}-output"
  tags   = local.common_tags
}
`);
  w('schedule.tf', schedules.map(([id, expr]) => `resource "aws_cloudwatch_event_rule" "${id}" {
  name                = "\${local.prefix}-${id}"
  schedule_expression = "${expr}"
}

resource "aws_cloudwatch_event_target" "${id}" {
  rule = aws_cloudwatch_event_rule.${id}.name
  arn  = aws_lambda_function.scheduled.arn
  input = jsonencode({
    job = "${id}"
  })
}

resource "aws_lambda_permission" "${id}" {
  statement_id  = "AllowEventBridge-${id}"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.scheduled.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.${id}.arn
}
`).join('\n'));
}

/** An execution role and policy; `rdsConnect` grants rds-db:connect (a data-store reach by IAM). */
function lambdaRole(name: string, rdsConnect: boolean): string {
  return `data "aws_iam_policy_document" "${name}_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "${name}" {
  name               = "\${local.prefix}-${name}"
  assume_role_policy = data.aws_iam_policy_document.${name}_assume.json
  tags               = local.common_tags
}

resource "aws_iam_role_policy_attachment" "${name}_logs" {
  role       = aws_iam_role.${name}.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy" "${name}" {
  name = "\${local.prefix}-${name}"
  role = aws_iam_role.${name}.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:GetObject"]
        Resource = "arn:aws:s3:::\${local.prefix}-*/*"
      },
      {
        Effect   = "Allow"
        Action   = ["ssm:GetParameter", "ssm:GetParametersByPath"]
        Resource = "arn:aws:ssm:\${var.region}:123456789012:parameter/\${var.environment}/\${local.service}/*"
      },${rdsConnect ? `
      {
        Effect   = "Allow"
        Action   = ["rds-db:connect"]
        Resource = "arn:aws:rds-db:\${var.region}:123456789012:dbuser:*/app"
      },` : ''}
    ]
  })
}
`;
}

function writeHttpApi(w: Emit, rng: Rng, s: RootSpec): void {
  const routes = Array.from({ length: rng.int(2, 5) }, (_, i) => [`${rng.pick(['GET', 'POST', 'PUT', 'DELETE'])} /${rng.pick(NOUNS)}s/${i}`, `route_${i}`] as const);
  const viaModule = rng.chance(0.5);
  w('iam.tf', lambdaRole('api', false));
  if (viaModule) {
    w('lambda.tf', `module "api_handler" {
  source = "../../../../modules/http-lambda"

  name         = local.prefix
  runtime      = "${rng.pick([...OTHER_RUNTIMES, ...RUBY])}"
  role_arn     = aws_iam_role.api.arn
  api_id       = aws_apigatewayv2_api.this.id
  api_exec_arn = aws_apigatewayv2_api.this.execution_arn
  routes       = [${routes.map(([r]) => `"${r}"`).join(', ')}]
  tags         = local.common_tags
}
`);
  } else {
    w('lambda.tf', `resource "aws_lambda_function" "api" {
  function_name = local.prefix
  role          = aws_iam_role.api.arn
  s3_bucket     = "${s.team}-artifacts"
  s3_key        = "\${local.service}/\${var.environment}/api.zip"
  handler       = "app.handler"
  runtime       = "${rng.pick([...OTHER_RUNTIMES, ...RUBY])}"
  timeout       = 29
  memory_size   = 1024
  tags          = local.common_tags
}

resource "aws_apigatewayv2_integration" "api" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.api.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "routes" {
  for_each  = toset([${routes.map(([r]) => `"${r}"`).join(', ')}])
  api_id    = aws_apigatewayv2_api.this.id
  route_key = each.value
  target    = "integrations/\${aws_apigatewayv2_integration.api.id}"
}

resource "aws_lambda_permission" "apigw" {
  statement_id  = "AllowAPIGateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "\${aws_apigatewayv2_api.this.execution_arn}/*/*"
}
`);
  }
  w('api.tf', `resource "aws_apigatewayv2_api" "this" {
  name          = local.prefix
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins = ["https://${s.name}.example.com"]
    allow_methods = ["GET", "POST", "PUT", "DELETE"]
    max_age       = 300
  }
  tags = local.common_tags
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId = "$context.requestId"
      status    = "$context.status"
      route     = "$context.routeKey"
    })
  }
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/\${local.prefix}"
  retention_in_days = var.log_retention_days
}

resource "aws_apigatewayv2_domain_name" "this" {
  domain_name = "${s.name}.\${var.environment}.example.com"

  domain_name_configuration {
    certificate_arn = "arn:aws:acm:eu-west-2:123456789012:certificate/${hex(rng, 8)}-${hex(rng, 4)}"
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}
`);
  if (rng.chance(0.4)) w('waf.tf', waf(rng));
}

function waf(rng: Rng): string {
  const rules = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'].slice(0, rng.int(1, 3));
  return `resource "aws_wafv2_web_acl" "this" {
  name  = local.prefix
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  dynamic "rule" {
    for_each = { for i, name in ${JSON.stringify(rules)} : name => i }
    content {
      name     = rule.key
      priority = rule.value

      override_action {
        none {}
      }

      statement {
        managed_rule_group_statement {
          name        = rule.key
          vendor_name = "AWS"
        }
      }

      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = rule.key
        sampled_requests_enabled   = true
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = local.prefix
    sampled_requests_enabled   = true
  }
}
`;
}

function writeDbJob(w: Emit, rng: Rng, s: RootSpec): void {
  const reach = rng.pick(['ingress', 'none', 'none', 'env']);
  w('network.tf', `resource "aws_security_group" "job" {
  name        = "\${local.prefix}-job"
  description = "Outbound only, for the ${s.name} job"
  vpc_id      = var.vpc_id

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = local.common_tags
}
`);
  w('database.tf', `module "db" {
  source = "../../../../modules/postgres"

  identifier     = local.prefix
  vpc_id         = var.vpc_id
  subnet_ids     = var.private_subnet_ids
  instance_class = var.environment == "production" ? "db.r6g.large" : "db.t4g.medium"
  client_security_group_ids = ${reach === 'ingress' ? '[aws_security_group.job.id]' : '[]'}
  tags           = local.common_tags
}
`);
  w('iam.tf', lambdaRole('job', rng.chance(0.15)));
  w('lambda.tf', `resource "aws_lambda_function" "job" {
  count = var.job_enabled ? 1 : 0

  function_name = "\${local.prefix}-job"
  role          = aws_iam_role.job.arn
  s3_bucket     = "${s.team}-artifacts"
  s3_key        = "\${local.service}/job.zip"
  handler       = "job.handler"
  runtime       = "${rng.pick(RUBY)}"
  timeout       = 900

  vpc_config {
    subnet_ids         = var.private_subnet_ids
    security_group_ids = [aws_security_group.job.id]
  }

  environment {
    variables = {
      SERVICE = local.service
${reach === 'env' ? '      DATABASE_HOST = module.db.address\n' : ''}      QUEUE   = aws_sqs_queue.jobs.url
    }
  }
  tags = local.common_tags
}

variable "job_enabled" {
  type    = bool
  default = ${rng.chance(0.9) ? 'true' : 'false'}
}

resource "aws_sqs_queue" "jobs" {
  name = "\${local.prefix}-jobs"
}

resource "aws_lambda_event_source_mapping" "jobs" {
  count            = length(aws_lambda_function.job)
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.job[count.index].arn
  batch_size       = 10
}
`);
}

function writeEcsService(w: Emit, rng: Rng, s: RootSpec): void {
  const containers = Array.from({ length: rng.int(1, 3) }, (_, i) => `${rng.pick(['web', 'worker', 'sidekiq', 'proxy'])}${i}`);
  w('ecs.tf', `module "service" {
  source = "../../../../modules/ecs-service"

  name            = local.prefix
  cluster_arn     = "arn:aws:ecs:eu-west-2:123456789012:cluster/${s.env}"
  vpc_id          = var.vpc_id
  subnet_ids      = var.private_subnet_ids
  desired_count   = var.environment == "production" ? ${rng.int(2, 6)} : 1
  cpu             = ${rng.pick([256, 512, 1024])}
  memory          = ${rng.pick([512, 1024, 2048])}
  containers      = ${JSON.stringify(containers)}
  image           = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/${s.name}:\${var.image_tag}"
  tags            = local.common_tags
}

variable "image_tag" {
  type    = string
  default = "latest"
}
`);
  w('loadbalancer.tf', `resource "aws_lb_target_group" "app" {
  name        = substr(local.prefix, 0, 32)
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id

  health_check {
    path                = "/healthcheck"
    healthy_threshold   = 2
    unhealthy_threshold = 3
    interval            = 15
  }
}

resource "aws_lb_listener_rule" "app" {
  listener_arn = "arn:aws:elasticloadbalancing:eu-west-2:123456789012:listener/app/${s.env}/${hex(rng, 16)}/${hex(rng, 16)}"
  priority     = ${100 + s.index}

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }

  condition {
    host_header {
      values = ["${s.name}.\${var.environment}.example.com"]
    }
  }
}
`);
  if (rng.chance(0.5)) {
    w('cache.tf', `resource "aws_elasticache_replication_group" "cache" {
  replication_group_id = substr(replace(local.prefix, "_", "-"), 0, 40)
  description          = "Cache for ${s.name}"
  node_type            = "cache.t4g.small"
  num_cache_clusters   = 2
  engine               = "redis"
  security_group_ids   = [aws_security_group.cache.id]
}

resource "aws_security_group" "cache" {
  name   = "\${local.prefix}-cache"
  vpc_id = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "cache_from_service" {
  security_group_id            = aws_security_group.cache.id
  referenced_security_group_id = module.service.security_group_id
  from_port                    = 6379
  to_port                      = 6379
  ip_protocol                  = "tcp"
}
`);
  }
  // Some services keep a small local module of their own.
  if (rng.chance(0.35)) {
    w('dashboards.tf', `module "dashboard" {
  source = "./modules/dashboard"

  name    = local.prefix
  widgets = ${rng.int(2, 8)}
}
`);
    w('modules/dashboard/main.tf', `variable "name" {
  type = string
}

variable "widgets" {
  type = number
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [for i in range(var.widgets) : {
      type   = "metric"
      x      = (i % 2) * 12
      y      = floor(i / 2) * 6
      width  = 12
      height = 6
      properties = {
        metrics = [["AWS/ECS", "CPUUtilization", "ServiceName", var.name]]
        period  = 300
        stat    = "Average"
        title   = "\${var.name} #\${i}"
      }
    }]
  })
}
`);
    w('modules/dashboard/outputs.tf', `output "arn" {
  value = aws_cloudwatch_dashboard.this.dashboard_arn
}
`);
  }
}

function writeLegacy(w: Emit, rng: Rng, s: RootSpec): void {
  const fns = Array.from({ length: rng.int(1, 3) }, (_, i) => `fn_${i}`);
  w('iam.tf', lambdaRole('legacy', false));
  w('lambda.tf', fns.map((fn) => `# Written before ADR030; scheduled for migration.
resource "aws_lambda_function" "${fn}" {
  function_name = "\${local.prefix}-${fn}"
  role          = aws_iam_role.legacy.arn
  filename      = "\${path.module}/dist/${fn}.zip"
  handler       = "index.handler"
  runtime       = "${rng.pick(OLD_RUNTIMES)}"
  timeout       = ${rng.pick([3, 30, 300])}

  dynamic "environment" {
    for_each = var.legacy_settings != null ? [var.legacy_settings] : []
    content {
      variables = environment.value
    }
  }
}

resource "aws_sns_topic_subscription" "${fn}" {
  topic_arn = "arn:aws:sns:eu-west-2:123456789012:${s.team}-events"
  protocol  = "lambda"
  endpoint  = aws_lambda_function.${fn}.arn
}
`).join('\n') + `
variable "legacy_settings" {
  type    = map(string)
  default = { MODE = "compat" }
}
`);
  if (rng.chance(0.5)) {
    w('s3.tf', `resource "aws_s3_bucket" "uploads" {
  bucket = "\${local.prefix}-uploads"
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  lambda_function {
    lambda_function_arn = aws_lambda_function.${fns[0]}.arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = "incoming/"
  }
}
`);
  }
}

// ---------------------------------------------------------------- shared modules

function writeSharedModules(out: Writer): void {
  out.write('modules/lambda-worker/variables.tf', `variable "name" {
  type = string
}

variable "description" {
  type    = string
  default = ""
}

variable "handler" {
  type = string
}

variable "runtime" {
  type    = string
  default = "ruby3.4"
}

variable "timeout" {
  type    = number
  default = 60
}

variable "memory_size" {
  type    = number
  default = 256
}

variable "queue_arn" {
  type = string
}

variable "environment" {
  type    = map(string)
  default = {}
}

variable "tags" {
  type    = map(string)
  default = {}
}
`);
  out.write('modules/lambda-worker/main.tf', `resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/\${var.name}"
  retention_in_days = 30
  tags              = var.tags
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  description   = var.description
  role          = aws_iam_role.this.arn
  s3_bucket     = "lambda-artifacts"
  s3_key        = "\${var.name}/bundle.zip"
  handler       = var.handler
  runtime       = var.runtime
  timeout       = var.timeout
  memory_size   = var.memory_size

  dynamic "environment" {
    for_each = length(var.environment) > 0 ? [var.environment] : []
    content {
      variables = environment.value
    }
  }

  tags       = var.tags
  depends_on = [aws_cloudwatch_log_group.this]
}

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn = var.queue_arn
  function_name    = aws_lambda_function.this.arn
  batch_size       = 1
}
`);
  out.write('modules/lambda-worker/iam.tf', `resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy_attachment" "sqs" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
}
`);
  out.write('modules/lambda-worker/outputs.tf', `output "function_arn" {
  value = aws_lambda_function.this.arn
}

output "function_name" {
  value = aws_lambda_function.this.function_name
}
`);

  out.write('modules/http-lambda/main.tf', `variable "name" {
  type = string
}

variable "runtime" {
  type = string
}

variable "role_arn" {
  type = string
}

variable "api_id" {
  type = string
}

variable "api_exec_arn" {
  type = string
}

variable "routes" {
  type = list(string)
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = var.role_arn
  s3_bucket     = "lambda-artifacts"
  s3_key        = "\${var.name}/api.zip"
  handler       = "app.handler"
  runtime       = var.runtime
  timeout       = 29
  tags          = var.tags
}

resource "aws_apigatewayv2_integration" "this" {
  api_id                 = var.api_id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.this.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "this" {
  for_each  = toset(var.routes)
  api_id    = var.api_id
  route_key = each.value
  target    = "integrations/\${aws_apigatewayv2_integration.this.id}"
}

resource "aws_lambda_permission" "apigw" {
  statement_id  = "AllowAPIGateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "\${var.api_exec_arn}/*/*"
}

output "function_name" {
  value = aws_lambda_function.this.function_name
}
`);

  out.write('modules/postgres/variables.tf', `variable "identifier" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "instance_class" {
  type    = string
  default = "db.t4g.medium"
}

variable "client_security_group_ids" {
  description = "Security groups allowed to connect on 5432"
  type        = list(string)
  default     = []
}

variable "tags" {
  type    = map(string)
  default = {}
}
`);
  out.write('modules/postgres/main.tf', `resource "aws_db_subnet_group" "this" {
  name       = var.identifier
  subnet_ids = var.subnet_ids
  tags       = var.tags
}

resource "aws_db_instance" "this" {
  identifier                  = var.identifier
  engine                      = "postgres"
  engine_version              = "16.4"
  instance_class              = var.instance_class
  allocated_storage           = 50
  max_allocated_storage       = 500
  db_subnet_group_name        = aws_db_subnet_group.this.name
  vpc_security_group_ids      = [aws_security_group.db.id]
  username                    = "app"
  manage_master_user_password = true
  storage_encrypted           = true
  backup_retention_period     = 14
  deletion_protection         = true
  tags                        = var.tags
}
`);
  out.write('modules/postgres/security.tf', `resource "aws_security_group" "db" {
  name   = "\${var.identifier}-db"
  vpc_id = var.vpc_id
  tags   = var.tags
}

resource "aws_security_group_rule" "clients" {
  for_each                 = toset(var.client_security_group_ids)
  type                     = "ingress"
  security_group_id        = aws_security_group.db.id
  source_security_group_id = each.value
  from_port                = 5432
  to_port                  = 5432
  protocol                 = "tcp"
}
`);
  out.write('modules/postgres/outputs.tf', `output "address" {
  value = aws_db_instance.this.address
}

output "security_group_id" {
  value = aws_security_group.db.id
}
`);

  out.write('modules/ecs-service/main.tf', `variable "name" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "desired_count" {
  type    = number
  default = 1
}

variable "cpu" {
  type = number
}

variable "memory" {
  type = number
}

variable "containers" {
  type = list(string)
}

variable "image" {
  type = string
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_security_group" "service" {
  name   = "\${var.name}-service"
  vpc_id = var.vpc_id
  tags   = var.tags
}

resource "aws_ecs_task_definition" "this" {
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  container_definitions = jsonencode([for c in var.containers : {
    name      = c
    image     = var.image
    essential = true
    portMappings = [{ containerPort = 8080 }]
    environment = [
      { name = "ROLE", value = c },
    ]
  }])
  tags = var.tags
}

resource "aws_ecs_service" "this" {
  name            = var.name
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.this.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"

  network_configuration {
    subnets         = var.subnet_ids
    security_groups = [aws_security_group.service.id]
  }
  tags = var.tags
}

output "security_group_id" {
  value = aws_security_group.service.id
}
`);
}

// ---------------------------------------------------------------- command line

function cli(argv: string[]): void {
  const dir = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  const opt = (name: string): number | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : undefined;
  };
  if (!dir) {
    process.stderr.write('usage: node lib/bench/generate.js OUT_DIR [--files 2000] [--seed 1]\n');
    process.exitCode = 2;
    return;
  }
  const repo = generateMonorepo(path.resolve(dir), { files: opt('files'), seed: opt('seed') });
  process.stdout.write(`${repo.files} files in ${repo.roots} root modules (${(repo.bytes / 1048576).toFixed(1)} MB) in ${repo.dir}\n`);
}

if (require.main === module) cli(process.argv.slice(2));
