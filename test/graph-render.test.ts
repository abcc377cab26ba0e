/**
 * `lambda-adr-lint graph`: the linked graph on a small Terraform project written to a temp dir
 * (front doors, event sources, security-group reach, env and IAM reach, ECS, a module with a
 * for_each key that needs escaping), and on the HTTP fixtures when they are present. Checks the
 * nodes and edges, that DOT is well formed, that JSON validates against schemas/graph.schema.json,
 * and that the output does not depend on the order of the model.
 */
import Ajv from 'ajv';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Graph } from '../src/graph/graph';
import { dotString, GRAPH_FORMATS, isGraphFormat, linkedGraph, mermaidText, renderGraph, toDot, toMermaid, type GraphJson } from '../src/graph/render';
import { loadSource } from '../src/load/project';
import type { Model } from '../src/model/model';

const FILES: Record<string, string> = {
  'main.tf': `
resource "aws_iam_role" "fn" {
  name               = "fn"
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy" "db_connect" {
  role   = aws_iam_role.fn.id
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["rds-db:connect"], Resource = "*" }] })
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = aws_iam_role.fn.arn
  runtime       = "ruby3.4"
  handler       = "h.handler"
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = aws_iam_role.fn.arn
  runtime       = "ruby3.4"
  handler       = "h.handler"
  vpc_config {
    subnet_ids         = ["subnet-1"]
    security_group_ids = [aws_security_group.lambda.id]
  }
  environment {
    variables = {
      DB_HOST = aws_db_instance.main.address
    }
  }
}

resource "aws_lambda_function" "lonely" {
  function_name = "lonely"
  role          = "arn:aws:iam::123456789012:role/x"
  runtime       = "ruby3.4"
  handler       = "h.handler"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "api"
}

resource "aws_api_gateway_integration" "post" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = "r"
  http_method = "POST"
  type        = "AWS_PROXY"
  uri         = aws_lambda_function.api.invoke_arn
}

resource "aws_lambda_permission" "apigw" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.api.function_name
  principal     = "apigateway.amazonaws.com"
}

resource "aws_lambda_permission" "events" {
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.worker.function_name
  principal     = "events.amazonaws.com"
}

resource "aws_lambda_function_url" "api" {
  function_name      = aws_lambda_function.api.function_name
  authorization_type = "NONE"
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly"
  schedule_expression = "cron(0 3 * * ? *)"
}

resource "aws_cloudwatch_event_target" "nightly" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_lambda_function.worker.arn
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}

resource "aws_lambda_event_source_mapping" "jobs" {
  event_source_arn = aws_sqs_queue.jobs.arn
  function_name    = aws_lambda_function.worker.arn
}

resource "aws_security_group" "lambda" {
  name = "lambda"
}

resource "aws_security_group" "db" {
  name = "db"
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_security_group" "app" {
  name = "app"
}

resource "aws_security_group_rule" "db_from_lambda" {
  type                     = "ingress"
  from_port                = 5432
  to_port                  = 5432
  protocol                 = "tcp"
  security_group_id        = aws_security_group.db.id
  source_security_group_id = aws_security_group.lambda.id
}

resource "aws_db_instance" "main" {
  identifier             = "main"
  engine                 = "postgres"
  instance_class         = "db.t4g.micro"
  vpc_security_group_ids = [aws_security_group.db.id]
}

resource "aws_elasticache_cluster" "cache" {
  cluster_id         = "cache"
  engine             = "redis"
  security_group_ids = ["sg-0abc"]
}

resource "aws_ecs_task_definition" "app" {
  family                = "app"
  container_definitions = "[]"
}

resource "aws_ecs_service" "app" {
  name            = "app"
  task_definition = aws_ecs_task_definition.app.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = ["subnet-1"]
    security_groups = [aws_security_group.app.id]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.app.arn
    container_name   = "app"
    container_port   = 3000
  }
}

resource "aws_lb_target_group" "app" {
  name        = "app"
  target_type = "ip"
}

resource "aws_lb_target_group" "fn" {
  name        = "fn"
  target_type = "lambda"
}

resource "aws_lb_target_group_attachment" "fn" {
  target_group_arn = aws_lb_target_group.fn.arn
  target_id        = aws_lambda_function.api.arn
}

module "edge" {
  source = "./modules/edge"
}
`,
  'modules/edge/main.tf': `
resource "aws_lambda_function" "this" {
  for_each      = toset(["a\\"b", "x|y"])
  function_name = "edge-\${md5(each.key)}"
  role          = "arn:aws:iam::123456789012:role/x"
  runtime       = "ruby3.4"
  handler       = "h.handler"
}

resource "aws_apigatewayv2_api" "http" {
  name          = "http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "fn" {
  api_id           = aws_apigatewayv2_api.http.id
  integration_type = "AWS_PROXY"
  integration_uri  = aws_lambda_function.this["a\\"b"].invoke_arn
}
`,
};

let dir: string;
let model: Model;
let graph: Graph;

async function load(root: string): Promise<{ model: Model; graph: Graph }> {
  const src = await loadSource({ dirs: [root], files: [] }, { cwd: root, varFiles: [], vars: [] });
  const m: Model = { resources: src.resources, files: src.files };
  return { model: m, graph: new Graph(m) };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-render-'));
  for (const [name, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  ({ model, graph } = await load(dir));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function json(): GraphJson {
  return JSON.parse(renderGraph(model, graph, 'json', { cwd: dir }));
}

function hasEdge(g: GraphJson, from: string, to: string, label: string | RegExp): boolean {
  return g.edges.some((e) => e.from === from && e.to === to && (typeof label === 'string' ? e.label === label : label.test(e.label)));
}

function kindOf(g: GraphJson, id: string): string | undefined {
  return g.nodes.find((n) => n.id === id)?.kind;
}

describe('linked graph', () => {
  it('has every workload, linked or not, with its kind', () => {
    const g = json();
    expect(kindOf(g, 'aws_lambda_function.api')).toBe('lambda');
    expect(kindOf(g, 'aws_lambda_function.lonely')).toBe('lambda');
    expect(kindOf(g, 'module.edge.aws_lambda_function.this["a\\"b"]')).toBe('lambda');
    expect(kindOf(g, 'module.edge.aws_lambda_function.this["x|y"]')).toBe('lambda');
    expect(kindOf(g, 'aws_ecs_task_definition.app')).toBe('ecs');
    expect(kindOf(g, 'aws_ecs_service.app')).toBe('ecs');
    expect(kindOf(g, 'aws_db_instance.main')).toBe('store');
    expect(kindOf(g, 'aws_elasticache_cluster.cache')).toBe('store');
  });

  it('links HTTP front doors to the function, with the API behind the integration', () => {
    const g = json();
    expect(hasEdge(g, 'aws_api_gateway_integration.post', 'aws_lambda_function.api', 'invokes')).toBe(true);
    expect(hasEdge(g, 'aws_api_gateway_rest_api.api', 'aws_api_gateway_integration.post', 'routes to')).toBe(true);
    expect(hasEdge(g, 'aws_lambda_permission.apigw', 'aws_lambda_function.api', 'allows invoke')).toBe(true);
    expect(hasEdge(g, 'aws_lambda_function_url.api', 'aws_lambda_function.api', 'invokes')).toBe(true);
    expect(hasEdge(g, 'aws_lb_target_group_attachment.fn', 'aws_lambda_function.api', 'invokes')).toBe(true);
    expect(hasEdge(g, 'aws_lb_target_group.fn', 'aws_lb_target_group_attachment.fn', 'routes to')).toBe(true);
    expect(hasEdge(g, 'module.edge.aws_apigatewayv2_integration.fn', 'module.edge.aws_lambda_function.this["a\\"b"]', 'invokes')).toBe(true);
    expect(hasEdge(g, 'module.edge.aws_apigatewayv2_api.http', 'module.edge.aws_apigatewayv2_integration.fn', 'routes to')).toBe(true);
    for (const id of ['aws_api_gateway_rest_api.api', 'aws_api_gateway_integration.post', 'aws_lambda_permission.apigw', 'aws_lambda_function_url.api', 'aws_lb_target_group.fn']) {
      expect(kindOf(g, id)).toBe('front-door');
    }
  });

  it('links event sources and leaves out permissions for non-HTTP principals', () => {
    const g = json();
    expect(hasEdge(g, 'aws_cloudwatch_event_target.nightly', 'aws_lambda_function.worker', 'invokes')).toBe(true);
    expect(hasEdge(g, 'aws_cloudwatch_event_rule.nightly', 'aws_cloudwatch_event_target.nightly', 'triggers')).toBe(true);
    expect(hasEdge(g, 'aws_lambda_event_source_mapping.jobs', 'aws_lambda_function.worker', 'invokes')).toBe(true);
    expect(hasEdge(g, 'aws_sqs_queue.jobs', 'aws_lambda_event_source_mapping.jobs', 'triggers')).toBe(true);
    expect(kindOf(g, 'aws_sqs_queue.jobs')).toBe('event-source');
    expect(kindOf(g, 'aws_lambda_permission.events')).toBeUndefined();
  });

  it('links data-store reach: security groups on the path, env references, IAM grants', () => {
    const g = json();
    expect(hasEdge(g, 'aws_lambda_function.worker', 'aws_security_group.lambda', 'in security group')).toBe(true);
    expect(hasEdge(g, 'aws_security_group.lambda', 'aws_security_group.db', 'reaches via SG (ingress rule aws_security_group_rule.db_from_lambda)')).toBe(true);
    expect(hasEdge(g, 'aws_security_group.db', 'aws_db_instance.main', 'guards')).toBe(true);
    expect(hasEdge(g, 'aws_lambda_function.worker', 'aws_db_instance.main', 'env reference (DB_HOST)')).toBe(true);
    expect(hasEdge(g, 'aws_iam_role_policy.db_connect', 'aws_lambda_function.worker', 'IAM grant (rds-db:connect)')).toBe(true);
    expect(hasEdge(g, 'aws_iam_role_policy.db_connect', 'aws_lambda_function.api', 'IAM grant (rds-db:connect)')).toBe(true);
    expect(kindOf(g, 'aws_iam_role_policy.db_connect')).toBe('policy');
    expect(kindOf(g, 'aws_security_group.lambda')).toBe('security-group');
    // The ECS task reaches the same database through the service's group, admitted inline.
    expect(hasEdge(g, 'aws_ecs_service.app', 'aws_ecs_task_definition.app', 'runs task')).toBe(true);
    expect(hasEdge(g, 'aws_ecs_task_definition.app', 'aws_security_group.app', 'in security group')).toBe(true);
    expect(hasEdge(g, 'aws_security_group.app', 'aws_security_group.db', 'reaches via SG (inline ingress rule)')).toBe(true);
    expect(hasEdge(g, 'aws_lb_target_group.app', 'aws_ecs_service.app', 'routes to')).toBe(true);
  });

  it('keeps security groups off the graph unless they are on a path', () => {
    const g = json();
    const groups = g.nodes.filter((n) => n.kind === 'security-group').map((n) => n.id).sort();
    expect(groups).toEqual(['aws_security_group.app', 'aws_security_group.db', 'aws_security_group.lambda']);
  });

  it('records each workload\'s evidence and the stores it reaches', () => {
    const lg = linkedGraph(model, graph, { cwd: dir });
    const worker = lg.evidence.get('aws_lambda_function.worker') ?? [];
    expect(worker.map((e) => `${e.from} -> ${e.to}`)).toEqual(expect.arrayContaining([
      'aws_cloudwatch_event_rule.nightly -> aws_cloudwatch_event_target.nightly',
      'aws_security_group.lambda -> aws_security_group.db',
      'aws_security_group.db -> aws_db_instance.main',
    ]));
    expect(worker.some((e) => e.from === 'aws_security_group.app')).toBe(false);
    expect(lg.reaches.get('aws_lambda_function.worker')).toEqual(['aws_db_instance.main']);
    expect(lg.reaches.get('aws_ecs_task_definition.app')).toEqual(['aws_db_instance.main']);
  });

  it('puts module and root on nodes, with paths relative to cwd', () => {
    const g = json();
    const edge = g.nodes.find((n) => n.id === 'module.edge.aws_apigatewayv2_api.http')!;
    expect(edge).toMatchObject({ module: 'module.edge', root: '.', type: 'aws_apigatewayv2_api' });
    const parent = JSON.parse(renderGraph(model, graph, 'json', { cwd: path.dirname(dir) })) as GraphJson;
    expect(new Set(parent.nodes.map((n) => n.root))).toEqual(new Set([path.basename(dir)]));
  });
});

describe('formats', () => {
  it('knows its formats', () => {
    expect(GRAPH_FORMATS).toEqual(['mermaid', 'dot', 'json']);
    expect(isGraphFormat('dot')).toBe(true);
    expect(isGraphFormat('text')).toBe(false);
  });

  it('renders an empty model in every format', () => {
    const empty: Model = { resources: [], files: [] };
    expect(renderGraph(empty, new Graph(empty), 'json')).toBe('{\n  "nodes": [],\n  "edges": []\n}\n');
    expect(renderGraph(empty, new Graph(empty), 'mermaid')).toBe('flowchart LR\n');
    expect(dotProblems(renderGraph(empty, new Graph(empty), 'dot'))).toEqual([]);
  });
});

describe('json', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'schemas', 'graph.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

  it('validates against schemas/graph.schema.json', () => {
    const g = json();
    expect(validate(g) ? [] : validate.errors).toEqual([]);
  });

  it('has edges only between listed nodes, and unique ids', () => {
    const g = json();
    const ids = new Set(g.nodes.map((n) => n.id));
    expect(ids.size).toBe(g.nodes.length);
    for (const e of g.edges) {
      expect(ids.has(e.from)).toBe(true);
      expect(ids.has(e.to)).toBe(true);
    }
  });

  it('the schema rejects an unknown kind and a missing field', () => {
    expect(validate({ nodes: [{ id: 'a', type: 't', address: 'a', kind: 'database', module: '', root: '.' }], edges: [] })).toBe(false);
    expect(validate({ nodes: [{ id: 'a', type: 't', kind: 'lambda', module: '', root: '.' }], edges: [] })).toBe(false);
    expect(validate({ nodes: [], edges: [{ from: 'a', to: 'b' }] })).toBe(false);
  });

  it('is the same whatever order the model lists resources in', () => {
    const reversed: Model = { resources: [...model.resources].reverse(), files: model.files };
    const a = renderGraph(model, graph, 'json', { cwd: dir });
    const b = renderGraph(reversed, new Graph(reversed), 'json', { cwd: dir });
    expect(b).toBe(a);
    expect(renderGraph(reversed, new Graph(reversed), 'mermaid', { cwd: dir })).toBe(renderGraph(model, graph, 'mermaid', { cwd: dir }));
    expect(renderGraph(reversed, new Graph(reversed), 'dot', { cwd: dir })).toBe(renderGraph(model, graph, 'dot', { cwd: dir }));
  });

  it('prefixes the root to ids that two roots share', async () => {
    const two = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-roots-'));
    try {
      for (const r of ['staging', 'production']) {
        fs.mkdirSync(path.join(two, r));
        fs.writeFileSync(path.join(two, r, 'main.tf'), 'resource "aws_lambda_function" "fn" {\n  function_name = "fn"\n  runtime = "ruby3.4"\n}\n');
      }
      const loaded = await load(two);
      const g = JSON.parse(renderGraph(loaded.model, loaded.graph, 'json', { cwd: two })) as GraphJson;
      expect(g.nodes.map((n) => n.id)).toEqual(['production:aws_lambda_function.fn', 'staging:aws_lambda_function.fn']);
      const mermaid = renderGraph(loaded.model, loaded.graph, 'mermaid', { cwd: two });
      expect(mermaid).toContain('subgraph g1["production"]');
      expect(mermaid).toContain('subgraph g2["staging"]');
    } finally {
      fs.rmSync(two, { recursive: true, force: true });
    }
  });
});

/** Statements of a Mermaid flowchart, parsed loosely: node declarations and edges. */
function mermaidParts(text: string): { nodes: Map<string, string>; edges: { from: string; to: string; label: string; dashed: boolean }[]; subgraphs: string[] } {
  const nodes = new Map<string, string>();
  const edges: { from: string; to: string; label: string; dashed: boolean }[] = [];
  const subgraphs: string[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    let m = /^(n\d+)(\[\/"|\[\["|\[\("|\(\["|\{\{"|>"|\[")(.*?)("\/\]|"\]\]|"\)\]|"\]\)|"\}\}|"\])$/.exec(line);
    if (m) { nodes.set(m[1], m[3]); continue; }
    m = /^(n\d+) (-->|-\.->)\|"([^"]*)"\| (n\d+)$/.exec(line);
    if (m) { edges.push({ from: m[1], to: m[4], label: m[3], dashed: m[2] === '-.->' }); continue; }
    m = /^subgraph (g\d+)\["([^"]*)"\]$/.exec(line);
    if (m) subgraphs.push(m[2]);
  }
  return { nodes, edges, subgraphs };
}

describe('mermaid', () => {
  it('is a flowchart with one statement per node and edge, grouped by module', () => {
    const text = renderGraph(model, graph, 'mermaid', { cwd: dir });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    const g = json();
    const parts = mermaidParts(text);
    expect(parts.nodes.size).toBe(g.nodes.length);
    expect(parts.edges.length).toBe(g.edges.length);
    expect(parts.subgraphs).toEqual(['module.edge']);
    expect(lines.filter((l) => l.trim() === 'end').length).toBe(1);
    // Every line is a statement this renderer writes: nothing stray from labels.
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {2,4}(n\d+|subgraph g\d+\[|end$|classDef |class )/);
  });

  it('escapes quotes, pipes and brackets of addresses so no label ends early', () => {
    const text = renderGraph(model, graph, 'mermaid', { cwd: dir });
    const parts = mermaidParts(text);
    const labels = [...parts.nodes.values()];
    expect(labels).toContain('module.edge.aws_lambda_function.this[#34;a#92;#34;b#34;]');
    expect(labels).toContain('module.edge.aws_lambda_function.this[#34;x#124;y#34;]');
    for (const l of labels) expect(l).not.toMatch(/["`]/);
    // A label with the integration's invoke edge.
    const ids = new Map([...parts.nodes].map(([id, label]) => [label, id]));
    const fn = ids.get('module.edge.aws_lambda_function.this[#34;a#92;#34;b#34;]')!;
    const integ = ids.get('module.edge.aws_apigatewayv2_integration.fn')!;
    expect(parts.edges).toContainEqual({ from: integ, to: fn, label: 'invokes', dashed: false });
  });

  it('mermaidText leaves no quote, backtick, tag, entity start or line break', () => {
    const nasty = 'a"b`c<d>e&f#quot;g|h\ni\\j:k';
    const out = mermaidText(nasty);
    expect(out).not.toMatch(/["`<>&|\n\\:]/);
    expect(out).toBe('a#34;b#96;c#60;d#62;e#38;f#35;quot;g#124;h i#92;j#58;k');
    // Each entity decodes back to the character it stands for.
    expect(out.replace(/#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))).toBe(nasty.replace('\n', ' '));
  });

  it('draws suggestions dashed and outlines highlighted nodes', () => {
    const text = toMermaid({
      nodes: [
        { id: 'a', type: 'aws_lambda_function', address: 'aws_lambda_function.a', kind: 'lambda', module: '', root: '.' },
        { id: 'b', type: 'aws_ecs_task_definition', address: 'aws_ecs_task_definition.b', kind: 'ecs', module: '', root: '.' },
      ],
      edges: [{ from: 'a', to: 'b', label: 'move to', suggestion: true }],
    }, { highlight: new Set(['a']), notes: new Map([['a', 'lambda-no-datastore']]) });
    expect(text).toContain('n1["aws_lambda_function.a<br/>lambda-no-datastore"]');
    expect(text).toContain('n2[["aws_ecs_task_definition.b"]]');
    expect(text).toContain('n1 -.->|"move to"| n2');
    expect(text).toContain('class n1 cited');
  });
});

/** Checks DOT structure: balanced braces outside strings, every statement ends with `;` or a brace. */
function dotProblems(text: string): string[] {
  const problems: string[] = [];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      else if (c === '\n') problems.push('newline inside a string');
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth < 0) problems.push('unbalanced }');
    }
  }
  if (inString) problems.push('unterminated string');
  if (depth !== 0) problems.push(`unbalanced braces (${depth})`);
  return problems;
}

describe('dot', () => {
  it('is a digraph with quoted ids, balanced braces and clusters per module', () => {
    const text = renderGraph(model, graph, 'dot', { cwd: dir });
    expect(text.startsWith('digraph "lambda-adr-lint" {\n')).toBe(true);
    expect(text.trimEnd().endsWith('}')).toBe(true);
    expect(dotProblems(text)).toEqual([]);
    expect(text).toContain('subgraph "cluster_1" {');
    expect(text).toContain('label="module.edge";');
    expect(text).toContain('"aws_api_gateway_integration.post" -> "aws_lambda_function.api" [label="invokes"];');
    expect(text).toContain('"module.edge.aws_lambda_function.this[\\"a\\\\\\"b\\"]" [label="module.edge.aws_lambda_function.this[\\"a\\\\\\"b\\"]"');
    const g = json();
    const statements = text.split('\n').filter((l) => / -> /.test(l));
    expect(statements.length).toBe(g.edges.length);
    for (const l of text.split('\n').slice(1, -2)) expect(l).toMatch(/(;|\{|\})$/);
  });

  // Graphviz itself, where it is installed (it is not a dependency): the real parser has the last word.
  const dotBinary = ['/usr/bin/dot', '/usr/local/bin/dot', '/opt/homebrew/bin/dot'].find((p) => fs.existsSync(p));
  (dotBinary ? it : it.skip)('Graphviz parses it', () => {
    const text = renderGraph(model, graph, 'dot', { cwd: dir });
    const run = spawnSync(dotBinary!, ['-Tsvg'], { input: text, encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('module.edge.aws_lambda_function.this[&quot;a\\&quot;b&quot;]');
  });

  it('dotString escapes quotes, backslashes and line breaks', () => {
    expect(dotString('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
    expect(dotProblems(toDot({ nodes: [{ id: 'x"}', type: 't', address: 'x"}{', kind: 'store', module: 'module.m["}"]', root: '.' }], edges: [{ from: 'x"}', to: 'x"}', label: '"{' }] }))).toEqual([]);
  });
});

describe('on the fixtures', () => {
  const fixtures = path.join(__dirname, '..', 'fixtures');
  const hasTf = (d: string): boolean => fs.readdirSync(d).some((f) => f.endsWith('.tf'));
  // A fixture is a directory of .tf files: fixtures/example itself, or each directory under http/ and datastore/.
  const dirs = ['http', 'datastore', 'example']
    .map((d) => path.join(fixtures, d))
    .filter((d) => fs.existsSync(d))
    .flatMap((d) => (hasTf(d) ? [d] : fs.readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => path.join(d, e.name))))
    .filter(hasTf)
    .sort();
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'schemas', 'graph.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

  (dirs.length ? test.each(dirs) : test.skip.each(['(none present)']))('%s renders in every format', async (fixture) => {
    const loaded = await load(fixture);
    const g = JSON.parse(renderGraph(loaded.model, loaded.graph, 'json', { cwd: fixture })) as GraphJson;
    expect(validate(g) ? [] : validate.errors).toEqual([]);
    expect(dotProblems(renderGraph(loaded.model, loaded.graph, 'dot', { cwd: fixture }))).toEqual([]);
    const parts = mermaidParts(renderGraph(loaded.model, loaded.graph, 'mermaid', { cwd: fixture }));
    expect(parts.nodes.size).toBe(g.nodes.length);
    expect(parts.edges.length).toBe(g.edges.length);
    // Every function some front door invokes in these fixtures has that edge in the graph.
    for (const n of g.nodes.filter((x) => x.kind === 'lambda')) expect(n.type).toBe('aws_lambda_function');
  });

  // The graph shows what the rules found: a function with an HTTP finding has a front door
  // linked to it, one with a data-store finding reaches a store or is granted access by a policy.
  const withExpectations = dirs.filter((d) => {
    const file = path.join(d, 'expected.json');
    if (!fs.existsSync(file)) return false;
    const exp = JSON.parse(fs.readFileSync(file, 'utf8'));
    return !Array.isArray(exp) && !(exp.args ?? []).length && (exp.paths ?? ['.']).join() === '.';
  });
  (withExpectations.length ? test.each(withExpectations) : test.skip.each(['(none present)']))('%s links what the rules found', async (fixture) => {
    const exp = JSON.parse(fs.readFileSync(path.join(fixture, 'expected.json'), 'utf8')) as { findings: { rule: string; address: string }[] };
    const loaded = await load(fixture);
    const lg = linkedGraph(loaded.model, loaded.graph, { cwd: fixture });
    const kind = new Map(lg.nodes.map((n) => [n.id, n.kind]));
    for (const f of exp.findings) {
      const into = lg.edges.filter((e) => e.to === f.address);
      if (f.rule === 'lambda-no-http') {
        expect({ fn: f.address, frontDoor: into.some((e) => kind.get(e.from) === 'front-door') }).toEqual({ fn: f.address, frontDoor: true });
      }
      if (f.rule === 'lambda-no-datastore') {
        const reach = (lg.reaches.get(f.address) ?? []).length > 0 || into.some((e) => kind.get(e.from) === 'policy');
        expect({ fn: f.address, reach }).toEqual({ fn: f.address, reach: true });
      }
    }
  });

  const restIntegration = path.join(fixtures, 'http', 'rest-integration');
  (fs.existsSync(restIntegration) ? test : test.skip)('http/rest-integration: the API, its integrations and the SQS consumer', async () => {
    const loaded = await load(restIntegration);
    const g = JSON.parse(renderGraph(loaded.model, loaded.graph, 'json', { cwd: restIntegration })) as GraphJson;
    expect(hasEdge(g, 'aws_api_gateway_integration.post_submission', 'aws_lambda_function.submit', 'invokes')).toBe(true);
    expect(hasEdge(g, 'aws_api_gateway_integration.get_submission', 'aws_lambda_function.submission_status', 'invokes')).toBe(true);
    expect(hasEdge(g, 'aws_api_gateway_rest_api.submissions', 'aws_api_gateway_integration.post_submission', 'routes to')).toBe(true);
    expect(hasEdge(g, 'aws_lambda_permission.submit_from_apigw', 'aws_lambda_function.submit', 'allows invoke')).toBe(true);
    expect(hasEdge(g, 'aws_sqs_queue.feedback', 'aws_lambda_event_source_mapping.feedback', 'triggers')).toBe(true);
    expect(hasEdge(g, 'aws_lambda_event_source_mapping.feedback', 'aws_lambda_function.feedback_forwarder', 'invokes')).toBe(true);
    // The SQS service integration and the MOCK one invoke no function.
    expect(kindOf(g, 'aws_api_gateway_integration.post_feedback')).toBeUndefined();
    expect(kindOf(g, 'aws_api_gateway_integration.feedback_options')).toBeUndefined();
  });
});
