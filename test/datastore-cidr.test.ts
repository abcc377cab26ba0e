/**
 * lambda-no-datastore through address ranges: a store's security group admits a CIDR range that
 * holds one of the function's subnets (by value, by reference to the subnet or to its VPC, or
 * 0.0.0.0/0), and the near misses that must stay quiet: another VPC, ranges that do not hold the
 * subnet, values not known, a function outside a VPC, a range on a group no store uses, IPv6 only,
 * egress limited to other groups, a VPC with secondary ranges, another root module. Each case is
 * a small Terraform tree linted through the CLI; the CIDR helpers are tested on their own.
 */
import { compareVpcs, contains, parseIPv4Cidr } from '../src/graph/datastore-reach';
import type { Resource } from '../src/model/model';
import { runCli } from './helpers/run-cli';
import { tree } from './helpers/tree';

interface Related { file: string; startLine: number; message: string }
interface JsonFinding { ruleId: string; level: string; address: string; message: string; location: { file: string; startLine: number }; related: Related[] }



/** The lambda-no-datastore findings of a tree (every other rule's are left out). */
async function datastoreFindings(files: Record<string, string>): Promise<JsonFinding[]> {
  const dir = tree(files, 'lal-cidr-');
  const run = await runCli(['.', '--format', 'json', '--as-of', '2026-11-27'], dir);
  expect(run.stderr).toBe('');
  const report = JSON.parse(run.stdout) as { findings: JsonFinding[]; diagnostics: unknown[] };
  expect(report.diagnostics).toEqual([]);
  return report.findings.filter((f) => f.ruleId === 'lambda-no-datastore');
}

/** The line (1-based) of the first line of `text` in a file's content that contains `needle`. */
function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no "${needle}"`);
  return i + 1;
}

const STORE = `
resource "aws_db_instance" "main" {
  identifier             = "forms"
  engine                 = "postgres"
  instance_class         = "db.t4g.micro"
  vpc_security_group_ids = [aws_security_group.db.id]
}
`;

/** A Ruby function in the given subnets, with its own security group (open egress unless given). */
function fn(subnets: string, extra = '', name = 'job'): string {
  return `
resource "aws_security_group" "${name}" {
  name   = "${name}"
  vpc_id = aws_vpc.main.id
  ${extra}
}

resource "aws_lambda_function" "${name}" {
  function_name = "${name}"
  role          = "arn:aws:iam::123456789012:role/${name}"
  runtime       = "ruby3.4"
  handler       = "job.handler"
  s3_bucket     = "artifacts"
  s3_key        = "${name}.zip"

  vpc_config {
    subnet_ids         = ${subnets}
    security_group_ids = [aws_security_group.${name}.id]
  }
}
`;
}

const VPC = `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 1)
}
`;

const ADMIT_VPC = `
resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}
`;

describe('a store that admits the function by address range', () => {
  test('inline ingress of the VPC range: reported at subnet_ids, saying how, the rule a related location', async () => {
    const net = VPC + ADMIT_VPC;
    const f = await datastoreFindings({ 'network.tf': net, 'db.tf': STORE, 'lambda.tf': fn('aws_subnet.private[*].id') });
    expect(f).toHaveLength(1);
    expect(f[0].address).toBe('aws_lambda_function.job');
    expect(f[0].level).toBe('error');
    expect(f[0].location.file).toBe('lambda.tf');
    expect(f[0].location.startLine).toBe(lineOf(fn('aws_subnet.private[*].id'), 'subnet_ids'));
    expect(f[0].message).toContain('can reach RDS instance aws_db_instance.main (its subnet aws_subnet.private[0] (10.0.1.0/24) is inside 10.0.0.0/16 (aws_vpc.main.cidr_block) that the security group aws_security_group.db admits).');
    const rule = f[0].related.find((r) => r.message === 'ingress rule of aws_security_group.db admits 10.0.0.0/16');
    expect(rule).toMatchObject({ file: 'network.tf', startLine: lineOf(net, 'cidr_blocks = [aws_vpc.main.cidr_block]') });
    expect(f[0].related.map((r) => r.message)).toEqual(expect.arrayContaining(['RDS instance aws_db_instance.main', 'subnet aws_subnet.private[0]']));
  });

  test('the subnets\' own ranges (aws_subnet.private[*].cidr_block)', async () => {
    const f = await datastoreFindings({
      'network.tf': `${VPC}
resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = aws_subnet.private[*].cidr_block
  }
}`,
      'db.tf': STORE,
      'lambda.tf': fn('[aws_subnet.private[1].id]'),
    });
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('its subnet aws_subnet.private[1] is 10.0.2.0/24 (aws_subnet.private[1].cidr_block), which the security group aws_security_group.db admits');
  });

  test('aws_security_group_rule with known variable ranges and literal subnets', async () => {
    const f = await datastoreFindings({
      'network.tf': `
variable "private_subnet_cidrs" {
  type    = list(string)
  default = ["10.20.1.0/24", "10.20.2.0/24"]
}

resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.20.2.0/24"
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group_rule" "db_from_private" {
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  from_port         = 5432
  to_port           = 5432
  protocol          = "tcp"
  cidr_blocks       = var.private_subnet_cidrs
}`,
      'db.tf': STORE,
      'lambda.tf': fn('[aws_subnet.a.id]'),
    });
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('its subnet aws_subnet.a is 10.20.2.0/24, which the security group aws_security_group.db admits (aws_security_group_rule.db_from_private)');
    expect(f[0].related.map((r) => r.message)).toContain('ingress rule aws_security_group_rule.db_from_private admits 10.20.2.0/24');
  });

  test('aws_vpc_security_group_ingress_rule cidr_ipv4, subnets from data sources', async () => {
    const f = await datastoreFindings({
      'network.tf': `
data "aws_vpc" "main" {
  id = "vpc-0f1e2d3c4b5a69788"
}

data "aws_subnet" "private_a" {
  vpc_id     = data.aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = data.aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "db_from_vpc" {
  security_group_id = aws_security_group.db.id
  cidr_ipv4         = "10.0.0.0/16"
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
}

resource "aws_vpc" "main" {
  cidr_block = "172.16.0.0/16"
}`,
      'db.tf': STORE,
      'lambda.tf': fn('[data.aws_subnet.private_a.id]'),
    });
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('its subnet data.aws_subnet.private_a (10.0.1.0/24) is inside 10.0.0.0/16 that the security group aws_security_group.db admits (aws_vpc_security_group_ingress_rule.db_from_vpc)');
  });

  test('by reference when the ranges are known only after apply: the VPC\'s range, the subnet\'s own range', async () => {
    const net = `
data "aws_vpc" "main" {
  tags = { Name = "forms" }
}

data "aws_subnets" "private" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.main.id]
  }
}

variable "cache_subnet_cidr" {
  type = string
}

resource "aws_subnet" "cache_clients" {
  vpc_id     = data.aws_vpc.main.id
  cidr_block = var.cache_subnet_cidr
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = data.aws_vpc.main.id

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [data.aws_vpc.main.cidr_block]
  }
}

resource "aws_security_group" "redis" {
  name   = "redis"
  vpc_id = data.aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "redis_from_clients" {
  security_group_id = aws_security_group.redis.id
  cidr_ipv4         = aws_subnet.cache_clients.cidr_block
  ip_protocol       = "tcp"
  from_port         = 6379
  to_port           = 6379
}

resource "aws_elasticache_cluster" "jobs" {
  cluster_id         = "jobs"
  engine             = "redis"
  node_type          = "cache.t4g.micro"
  num_cache_nodes    = 1
  security_group_ids = [aws_security_group.redis.id]
}`;
    const f = await datastoreFindings({
      'network.tf': net,
      'db.tf': STORE,
      'lambda.tf': fn('data.aws_subnets.private.ids', '', 'db_job') + fn('[aws_subnet.cache_clients.id]', '', 'cache_job'),
    });
    const messages = f.map((x) => x.message.split('. ADR030')[0]).sort();
    expect(messages).toEqual([
      // One finding per function: cache_clients is in the VPC too, so the database's rule (the VPC's
      // whole range) admits it as well as the cache's rule (the subnet's own range).
      'aws_lambda_function.cache_job can reach RDS instance aws_db_instance.main (its subnet aws_subnet.cache_clients is in data.aws_vpc.main, whose whole range data.aws_vpc.main.cidr_block the security group aws_security_group.db admits) and ElastiCache cluster aws_elasticache_cluster.jobs (the security group aws_security_group.redis admits the range of its subnet aws_subnet.cache_clients (aws_subnet.cache_clients.cidr_block) (aws_vpc_security_group_ingress_rule.redis_from_clients))',
      'aws_lambda_function.db_job can reach RDS instance aws_db_instance.main (its subnet data.aws_subnets.private is in data.aws_vpc.main, whose whole range data.aws_vpc.main.cidr_block the security group aws_security_group.db admits)',
    ]);
  });

  test('the known range of the VPC decides for a subnet whose own range is not known', async () => {
    const f = await datastoreFindings({
      'network.tf': `
variable "subnet_cidr" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = var.subnet_cidr
}
${ADMIT_VPC}`,
      'db.tf': STORE,
      'lambda.tf': fn('[aws_subnet.a.id]'),
    });
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('its subnet aws_subnet.a is in aws_vpc.main, whose whole range 10.0.0.0/16 (aws_vpc.main.cidr_block) the security group aws_security_group.db admits');
  });

  test('literal subnet IDs are in the VPC of the function\'s security groups', async () => {
    const net = `
variable "private_subnet_ids" {
  type    = list(string)
  default = ["subnet-0a1b2c3d4e5f60718", "subnet-0b2c3d4e5f6071829"]
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "batch" {
  cidr_block = "10.9.0.0/16"
}
${ADMIT_VPC}`;
    const inMain = await datastoreFindings({ 'network.tf': net, 'db.tf': STORE, 'lambda.tf': fn('var.private_subnet_ids') });
    expect(inMain).toHaveLength(1);
    expect(inMain[0].message).toContain('its subnet subnet-0a1b2c3d4e5f60718 is in aws_vpc.main, the VPC of its security groups, whose whole range 10.0.0.0/16 (aws_vpc.main.cidr_block) the security group aws_security_group.db admits');
    const inBatch = await datastoreFindings({ 'network.tf': net, 'db.tf': STORE, 'lambda.tf': fn('var.private_subnet_ids').replace('vpc_id = aws_vpc.main.id', 'vpc_id = aws_vpc.batch.id') });
    expect(inBatch).toEqual([]);
  });

  test('0.0.0.0/0: any function in a VPC, unless the VPCs are known to differ', async () => {
    const open = (vpc: string) => `
resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = ${vpc}

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`;
    const literal = await datastoreFindings({
      'network.tf': `
variable "private_subnet_ids" {
  type    = list(string)
  default = ["subnet-0a1b2c3d4e5f60718"]
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
${open('"vpc-0f1e2d3c4b5a69788"')}`,
      'db.tf': STORE,
      'lambda.tf': fn('var.private_subnet_ids'),
    });
    expect(literal).toHaveLength(1);
    expect(literal[0].message).toContain('the security group aws_security_group.db admits 0.0.0.0/0 (any address) and its subnet subnet-0a1b2c3d4e5f60718 is in a VPC');

    // One subnet, its ID not known: in a VPC all the same.
    const unknownId = await datastoreFindings({
      'network.tf': `
variable "subnet_id" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
${open('"vpc-0f1e2d3c4b5a69788"')}`,
      'db.tf': STORE,
      'lambda.tf': fn('[var.subnet_id]'),
    });
    expect(unknownId).toHaveLength(1);
    expect(unknownId[0].message).toContain('admits 0.0.0.0/0 (any address) and its subnet var.subnet_id');

    const sameVpc = await datastoreFindings({
      'network.tf': `
variable "subnet_cidr" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = var.subnet_cidr
}
${open('aws_vpc.main.id')}`,
      'db.tf': STORE,
      'lambda.tf': fn('[aws_subnet.a.id]'),
    });
    expect(sameVpc).toHaveLength(1);
    expect(sameVpc[0].message).toContain('admits 0.0.0.0/0 (any address) and its subnet aws_subnet.a is in the same VPC (aws_vpc.main)');

    const otherVpc = await datastoreFindings({
      'network.tf': `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "batch" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "batch" {
  vpc_id     = aws_vpc.batch.id
  cidr_block = "10.1.1.0/24"
}
${open('aws_vpc.main.id')}`,
      'db.tf': STORE,
      'lambda.tf': fn('[aws_subnet.batch.id]'),
    });
    expect(otherVpc).toEqual([]);
  });

  test('a local module like terraform-aws-modules/vpc: subnets and the VPC range through outputs', async () => {
    const f = await datastoreFindings({
      'modules/vpc/main.tf': `
variable "cidr" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}

resource "aws_subnet" "private" {
  count      = 3
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(var.cidr, 8, count.index)
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "vpc_cidr_block" {
  value = aws_vpc.this.cidr_block
}

output "private_subnets" {
  value = aws_subnet.private[*].id
}`,
      'main.tf': `
module "vpc" {
  source = "./modules/vpc"
  cidr   = "10.40.0.0/16"
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = module.vpc.vpc_id

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [module.vpc.vpc_cidr_block]
  }
}

resource "aws_security_group" "job" {
  name   = "job"
  vpc_id = module.vpc.vpc_id
}

resource "aws_lambda_function" "job" {
  function_name = "job"
  role          = "arn:aws:iam::123456789012:role/job"
  runtime       = "ruby3.4"
  handler       = "job.handler"
  s3_bucket     = "artifacts"
  s3_key        = "job.zip"

  vpc_config {
    subnet_ids         = module.vpc.private_subnets
    security_group_ids = [aws_security_group.job.id]
  }
}
${STORE}`,
    });
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('its subnet module.vpc.aws_subnet.private[0] (10.40.0.0/24) is inside 10.40.0.0/16 (module.vpc.aws_vpc.this.cidr_block) that the security group aws_security_group.db admits');
  });

  test('a security-group path is named alone; the range is not added to it', async () => {
    const f = await datastoreFindings({
      'network.tf': `${VPC}
resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.job.id]
    cidr_blocks     = [aws_vpc.main.cidr_block]
  }
}`,
      'db.tf': STORE,
      'lambda.tf': fn('aws_subnet.private[*].id'),
    });
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('its security group aws_security_group.job is admitted by an ingress rule of aws_security_group.db');
    expect(f[0].message).not.toContain('10.0.0.0/16');
  });

  test('the graph draws the range', async () => {
    const dir = tree({ 'network.tf': VPC + ADMIT_VPC, 'db.tf': STORE, 'lambda.tf': fn('aws_subnet.private[*].id') });
    const run = await runCli(['graph', '.', '--format', 'json'], dir);
    expect(run.stderr).toBe('');
    const g = JSON.parse(run.stdout) as { edges: { from: string; to: string; label: string }[] };
    expect(g.edges).toEqual(expect.arrayContaining([
      { from: 'aws_lambda_function.job', to: 'aws_security_group.db', label: 'reaches via CIDR (10.0.0.0/16)' },
      { from: 'aws_security_group.db', to: 'aws_db_instance.main', label: 'guards' },
    ]));
  });
});

describe('near misses', () => {
  test('another VPC with the same addresses', async () => {
    const f = await datastoreFindings({
      'network.tf': `${VPC}
resource "aws_vpc" "batch" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "batch" {
  vpc_id     = aws_vpc.batch.id
  cidr_block = "10.0.1.0/24"
}
${ADMIT_VPC}`,
      'db.tf': STORE,
      'lambda.tf': fn('[aws_subnet.batch.id]'),
    });
    expect(f).toEqual([]);
  });

  test('ranges that do not hold the subnet, or hold only part of it', async () => {
    const f = await datastoreFindings({
      'network.tf': `${VPC}
resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.9.0/24", "10.0.1.0/25", "192.168.0.0/16"]
  }
}`,
      'db.tf': STORE,
      'lambda.tf': fn('aws_subnet.private[*].id'),
    });
    expect(f).toEqual([]);
  });

  test('values not known: no path and no warning', async () => {
    const f = await datastoreFindings({
      'network.tf': `
variable "admitted_cidrs" {
  type = list(string)
}

variable "subnet_cidr" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_subnet" "b" {
  vpc_id     = aws_vpc.main.id
  cidr_block = var.subnet_cidr
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = var.admitted_cidrs
  }

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.8.0/21"]
  }
}`,
      'db.tf': STORE,
      // a: known range, unknown rule; b: unknown range, a known rule that names no VPC; c: unknown subnets.
      'lambda.tf': fn('[aws_subnet.a.id]', '', 'a') + fn('[aws_subnet.b.id]', '', 'b') + fn('var.subnet_ids', '', 'c'),
    });
    expect(f).toEqual([]);
  });

  test('a function not in a VPC, beside a store open to 0.0.0.0/0', async () => {
    const f = await datastoreFindings({
      'network.tf': `
resource "aws_security_group" "db" {
  name = "db"

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`,
      'db.tf': STORE,
      'lambda.tf': `
resource "aws_lambda_function" "job" {
  function_name = "job"
  role          = "arn:aws:iam::123456789012:role/job"
  runtime       = "ruby3.4"
  handler       = "job.handler"
  s3_bucket     = "artifacts"
  s3_key        = "job.zip"
}`,
    });
    expect(f).toEqual([]);
  });

  test('a range admitted by a group no store uses', async () => {
    const f = await datastoreFindings({
      'network.tf': `${VPC}
resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "vpc_endpoints" {
  name   = "vpc-endpoints"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}`,
      'db.tf': STORE,
      'lambda.tf': fn('aws_subnet.private[*].id'),
    });
    expect(f).toEqual([]);
  });

  test('IPv6 only', async () => {
    const f = await datastoreFindings({
      'network.tf': `${VPC}
resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port        = 5432
    to_port          = 5432
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "db_v6" {
  security_group_id = aws_security_group.db.id
  cidr_ipv6         = "::/0"
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
}

resource "aws_security_group_rule" "db_v6" {
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  ipv6_cidr_blocks  = ["::/0"]
  protocol          = "tcp"
  from_port         = 5432
  to_port           = 5432
}`,
      'db.tf': STORE,
      'lambda.tf': fn('aws_subnet.private[*].id'),
    });
    expect(f).toEqual([]);
  });

  test('an egress rule on the store\'s group; a function whose egress is limited to other groups', async () => {
    const f = await datastoreFindings({
      'network.tf': `${VPC}
resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}

resource "aws_security_group" "endpoints" {
  name   = "endpoints"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "db2" {
  name   = "db2"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}

resource "aws_db_instance" "other" {
  identifier             = "other"
  engine                 = "postgres"
  instance_class         = "db.t4g.micro"
  vpc_security_group_ids = [aws_security_group.db2.id]
}`,
      'db.tf': STORE,
      'lambda.tf': fn('aws_subnet.private[*].id', `
  egress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    security_groups = [aws_security_group.endpoints.id]
  }`) + fn('aws_subnet.private[*].id', `
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }`, 'open_egress') + fn('aws_subnet.private[*].id', '', 'no_egress_rules'),
    });
    // Only the functions whose egress is open (or not written) reach db2; none reaches db.
    expect(f.map((x) => `${x.address} ${x.related[0].message}`).sort()).toEqual([
      'aws_lambda_function.no_egress_rules RDS instance aws_db_instance.other',
      'aws_lambda_function.open_egress RDS instance aws_db_instance.other',
    ]);
  });

  test('a VPC with secondary ranges: its primary range does not hold a subnet of unknown range', async () => {
    const f = await datastoreFindings({
      'network.tf': `
variable "subnet_cidr" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "extra" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "100.64.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = var.subnet_cidr
}
${ADMIT_VPC}`,
      'db.tf': STORE,
      'lambda.tf': fn('[aws_subnet.a.id]'),
    });
    expect(f).toEqual([]);
  });

  test('two root modules with the same addresses: each function reaches its own root\'s store only', async () => {
    const root = (env: string) => ({
      [`${env}/network.tf`]: `
variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0a1b2c3d4e5f60718"]
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`,
      [`${env}/db.tf`]: STORE,
      [`${env}/lambda.tf`]: fn('var.subnet_ids'),
    });
    const dir = tree({ ...root('dev'), ...root('prod') });
    const run = await runCli(['.', '--format', 'json', '--as-of', '2026-11-27'], dir);
    const f = (JSON.parse(run.stdout).findings as JsonFinding[]).filter((x) => x.ruleId === 'lambda-no-datastore');
    expect(f.map((x) => x.location.file).sort()).toEqual(['dev/lambda.tf', 'prod/lambda.tf']);
    for (const x of f) {
      const env = x.location.file.split('/')[0];
      expect(x.related.find((r) => r.message.startsWith('RDS instance'))?.file).toBe(`${env}/db.tf`);
    }
  });
});

describe('CIDR helpers', () => {
  test('parseIPv4Cidr reads IPv4 networks only, clearing host bits', () => {
    expect(parseIPv4Cidr('10.0.1.0/24')).toEqual({ addr: 0x0a000100, prefix: 24 });
    expect(parseIPv4Cidr('10.0.1.7/24')).toEqual({ addr: 0x0a000100, prefix: 24 });
    expect(parseIPv4Cidr('0.0.0.0/0')).toEqual({ addr: 0, prefix: 0 });
    expect(parseIPv4Cidr('255.255.255.255/32')).toEqual({ addr: 0xffffffff, prefix: 32 });
    for (const bad of ['10.0.1.0', '10.0.1.0/33', '256.0.0.0/8', '::/0', '2001:db8::/32', '10.0.0/16', '', 'ten/8']) expect(parseIPv4Cidr(bad)).toBeUndefined();
  });

  test('contains: the outer network holds all of the inner one', () => {
    const n = (s: string) => parseIPv4Cidr(s)!;
    expect(contains(n('10.0.0.0/16'), n('10.0.1.0/24'))).toBe(true);
    expect(contains(n('10.0.1.0/24'), n('10.0.1.0/24'))).toBe(true);
    expect(contains(n('0.0.0.0/0'), n('192.168.1.0/24'))).toBe(true);
    expect(contains(n('128.0.0.0/1'), n('200.1.0.0/16'))).toBe(true);
    expect(contains(n('10.0.1.0/24'), n('10.0.0.0/16'))).toBe(false);
    expect(contains(n('10.0.1.0/25'), n('10.0.1.0/24'))).toBe(false);
    expect(contains(n('10.1.0.0/16'), n('10.0.1.0/24'))).toBe(false);
    expect(contains(n('128.0.0.0/1'), n('10.0.0.0/8'))).toBe(false);
  });

  test('compareVpcs: shared names, written IDs, managed VPCs, and what cannot be told', () => {
    const vpc = (address: string, mode: 'managed' | 'data' = 'managed') => ({ address, mode, type: 'aws_vpc' }) as unknown as Resource;
    const a = vpc('aws_vpc.a');
    const b = vpc('aws_vpc.b');
    const d = vpc('data.aws_vpc.c', 'data');
    expect(compareVpcs(new Set([a]), new Set([a]))).toBe('same');
    expect(compareVpcs(new Set(['vpc-1']), new Set(['vpc-1']))).toBe('same');
    expect(compareVpcs(new Set(['vpc-1']), new Set(['vpc-2']))).toBe('different');
    expect(compareVpcs(new Set([a]), new Set([b]))).toBe('different');
    expect(compareVpcs(new Set([a]), new Set(['vpc-1']))).toBe('unknown');
    expect(compareVpcs(new Set([d]), new Set([a]))).toBe('unknown');
    expect(compareVpcs(new Set(), new Set([a]))).toBe('unknown');
  });
});

describe('from a plan', () => {
  /** A one-root plan: each resource's planned values, what is unknown, and its configuration expressions. */
  function plan(resources: { address: string; values: Record<string, unknown>; unknown?: Record<string, unknown>; expressions: Record<string, unknown>; index?: number }[]) {
    const split = (address: string) => {
      const [type, name] = address.replace(/\[\d+\]$/, '').split('.');
      return { mode: 'managed', type, name };
    };
    return {
      format_version: '1.2',
      terraform_version: '1.11.4',
      planned_values: { root_module: { resources: resources.map((r) => ({ address: r.address, ...split(r.address), ...(r.index !== undefined ? { index: r.index } : {}), provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values: r.values, sensitive_values: {} })) } },
      resource_changes: resources.map((r) => ({ address: r.address, ...split(r.address), ...(r.index !== undefined ? { index: r.index } : {}), provider_name: 'registry.terraform.io/hashicorp/aws', change: { actions: ['create'], before: null, after: r.values, after_unknown: r.unknown ?? {}, before_sensitive: false, after_sensitive: {} } })),
      configuration: { root_module: { resources: resources.filter((r) => !r.address.includes('[') || r.index === 0).map((r) => ({ address: r.address.replace(/\[\d+\]$/, ''), ...split(r.address), provider_config_key: 'aws', expressions: r.expressions, schema_version: 0, ...(r.index !== undefined ? { count_expression: { constant_value: 1 } } : {}) })) } },
      applyable: true,
      complete: true,
      errored: false,
    };
  }

  test('subnets and ranges linked through the plan\'s configuration references', async () => {
    const ref = (...refs: string[]) => ({ references: refs });
    const fnValues = (name: string, subnets: unknown) => ({ function_name: name, runtime: 'ruby3.4', handler: 'h.call', role: 'arn:aws:iam::123456789012:role/x', s3_bucket: 'a', s3_key: 'k.zip', vpc_config: [{ subnet_ids: subnets, ipv6_allowed_for_dual_stack: false }] });
    const doc = plan([
      { address: 'aws_vpc.main', values: { cidr_block: '10.0.0.0/16' }, unknown: { id: true }, expressions: { cidr_block: { constant_value: '10.0.0.0/16' } } },
      { address: 'aws_subnet.private[0]', index: 0, values: { cidr_block: '10.0.1.0/24', id: 'subnet-0123456789abcdef0' }, unknown: { vpc_id: true }, expressions: { cidr_block: { constant_value: '10.0.1.0/24' }, vpc_id: ref('aws_vpc.main.id', 'aws_vpc.main') } },
      { address: 'aws_security_group.db', values: { name: 'db', ingress: [{ cidr_blocks: ['10.0.0.0/16'], description: '', from_port: 5432, to_port: 5432, protocol: 'tcp', ipv6_cidr_blocks: [], prefix_list_ids: [], security_groups: [], self: false }] }, unknown: { id: true, vpc_id: true }, expressions: { name: { constant_value: 'db' }, vpc_id: ref('aws_vpc.main.id', 'aws_vpc.main'), ingress: ref('aws_vpc.main.cidr_block', 'aws_vpc.main') } },
      { address: 'aws_security_group.fn', values: { name: 'fn' }, unknown: { id: true, vpc_id: true }, expressions: { name: { constant_value: 'fn' }, vpc_id: ref('aws_vpc.main.id', 'aws_vpc.main') } },
      { address: 'aws_db_instance.main', values: { identifier: 'db', engine: 'postgres' }, unknown: { vpc_security_group_ids: true }, expressions: { identifier: { constant_value: 'db' }, vpc_security_group_ids: ref('aws_security_group.db.id', 'aws_security_group.db') } },
      {
        address: 'aws_lambda_function.worker', values: fnValues('worker', ['subnet-0123456789abcdef0']), unknown: { vpc_config: [{ security_group_ids: true }] },
        expressions: { function_name: { constant_value: 'worker' }, runtime: { constant_value: 'ruby3.4' }, vpc_config: [{ subnet_ids: ref('aws_subnet.private[0].id', 'aws_subnet.private[0]', 'aws_subnet.private'), security_group_ids: ref('aws_security_group.fn.id', 'aws_security_group.fn') }] },
      },
    ]);
    const dir = tree({ 'plan.json': JSON.stringify(doc) });
    const run = await runCli(['plan.json', '--format', 'json', '--as-of', '2026-11-27'], dir);
    expect(run.stderr).toBe('');
    const f = (JSON.parse(run.stdout).findings as JsonFinding[]).filter((x) => x.ruleId === 'lambda-no-datastore');
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('its subnet aws_subnet.private[0] (10.0.1.0/24) is inside 10.0.0.0/16 that the security group aws_security_group.db admits');
  });
});

describe('ECS tasks through address ranges', () => {
  test('a scheduled task in a subnet the store admits is no glue candidate, and is suggested for the function', async () => {
    const dir = tree({
      'main.tf': `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_security_group" "db" {
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}
${STORE}
resource "aws_security_group" "job" {
  vpc_id = aws_vpc.main.id
}
resource "aws_lambda_function" "job" {
  function_name = "job"
  role          = "arn:aws:iam::1:role/job"
  runtime       = "ruby3.4"
  handler       = "job.handler"
  filename      = "job.zip"
  vpc_config {
    subnet_ids         = [aws_subnet.private.id]
    security_group_ids = [aws_security_group.job.id]
  }
}
resource "aws_ecs_cluster" "main" {
  name = "main"
}
resource "aws_ecs_task_definition" "rake" {
  family                   = "rake"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"
  container_definitions    = jsonencode([{ name = "app", image = "app:latest" }])
}
resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly"
  schedule_expression = "cron(0 2 * * ? *)"
}
resource "aws_cloudwatch_event_target" "nightly" {
  rule     = aws_cloudwatch_event_rule.nightly.name
  arn      = aws_ecs_cluster.main.arn
  role_arn = "arn:aws:iam::1:role/events"
  ecs_target {
    task_definition_arn = aws_ecs_task_definition.rake.arn
    launch_type         = "FARGATE"
    network_configuration {
      subnets         = [aws_subnet.private.id]
      security_groups = [aws_security_group.job.id]
    }
  }
}
`,
    });
    const run = await runCli(['.', '--format', 'json', '--as-of', '2026-11-27'], dir);
    const report = JSON.parse(run.stdout) as { findings: JsonFinding[] };
    expect(report.findings.filter((f) => f.ruleId === 'ecs-glue-candidate')).toEqual([]);
    const [finding] = report.findings.filter((f) => f.ruleId === 'lambda-no-datastore');
    expect(finding.message).toContain('aws_ecs_task_definition.rake');
  });
});
