/**
 * `--format markdown`: the hand-built sample result (tables, links, suppressed findings, input
 * problems), escaping of hostile messages and addresses in tables and Mermaid, the size limit,
 * and evidence diagrams on real rule findings — drawn from the graph and from the findings alone.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Graph } from '../src/graph/graph';
import { loadSource } from '../src/load/project';
import { createLocator } from '../src/locate/file-locator';
import type { Model } from '../src/model/model';
import { findingFingerprint } from '../src/report/fingerprint';
import { format } from '../src/report/index';
import { codeSpan, escapeText, evidenceDiagram, formatMarkdown, MARKDOWN_MAX_BYTES } from '../src/report/markdown';
import type { LintResult, ReportedFinding } from '../src/report/result';
import type { Finding, Rule } from '../src/rule';
import lambdaNoDatastore from '../rules/lambda-no-datastore';
import lambdaNoHttp from '../rules/lambda-no-http';
import lambdaRubyOnly from '../rules/lambda-ruby-only';
import { at, finding, MAIN_TF, makeResult, OPTS, region } from './helpers/lint-result';

const MD = { docsBaseUrl: OPTS.docsBaseUrl, toolVersion: '0.1.0' };

/** Cells of a GFM table row: split at `|` not escaped by a backslash. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < inner.length; i++) {
    if (inner[i] === '\\' && i + 1 < inner.length) {
      cur += inner[i] + inner[i + 1];
      i++;
    } else if (inner[i] === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += inner[i];
  }
  out.push(cur.trim());
  return out;
}

/** The rows of the table under a heading (header and delimiter rows excluded). */
function tableAfter(md: string, heading: string): string[][] {
  const lines = md.split('\n');
  let i = lines.indexOf(heading);
  if (i < 0) return [];
  while (i < lines.length && !lines[i].startsWith('|')) i++;
  const rows: string[][] = [];
  for (i += 2; i < lines.length && lines[i].startsWith('|'); i++) rows.push(cells(lines[i]));
  return rows;
}

/** The Mermaid blocks of a document. */
function mermaidBlocks(md: string): string[] {
  return [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** Node labels and edges of a Mermaid flowchart as the renderer writes them. */
function mermaidGraph(block: string): { labels: Map<string, string>; edges: string[] } {
  const labels = new Map<string, string>();
  const edges: string[] = [];
  for (const line of block.split('\n').map((l) => l.trim())) {
    const n = /^(n\d+)(?:\[\/"|\[\["|\[\("|\(\["|\{\{"|>"|\[")(.*?)(?:"\/\]|"\]\]|"\)\]|"\]\)|"\}\}|"\])$/.exec(line);
    if (n) labels.set(n[1], n[2].replace(/<br\/>.*$/, ''));
    const e = /^(n\d+) (-->|-\.->)\|"([^"]*)"\| (n\d+)$/.exec(line);
    if (e) edges.push(`${e[1]} ${e[2]} ${e[3]} ${e[4]}`);
  }
  const named = edges.map((e) => {
    const [from, arrow, ...rest] = e.split(' ');
    const to = rest.pop()!;
    return `${labels.get(from)} ${arrow} ${rest.join(' ')} ${labels.get(to)}`;
  });
  return { labels, edges: named };
}

describe('markdown on the sample result', () => {
  const md = formatMarkdown(makeResult(), MD);

  it('has a heading, a counts line and a footer', () => {
    const lines = md.split('\n');
    expect(lines[0]).toBe('## lambda-adr-lint');
    expect(lines[2]).toBe('**✖ 3 errors, 1 warning, 1 note** · 1 suppressed · 12 files scanned · **3 input problems**');
    expect(md.trimEnd().split('\n').pop()).toBe('<sub>lambda-adr-lint 0.1.0 · as of 2026-11-27</sub>');
  });

  it('counts findings by rule and level, linking each rule to its page', () => {
    expect(tableAfter(md, '### Findings by rule')).toEqual([
      [`[\`lambda-no-http\`](${OPTS.docsBaseUrl}lambda-no-http.md)`, 'error', '1'],
      [`[\`lambda-outdated-runtime\`](${OPTS.docsBaseUrl}lambda-outdated-runtime.md)`, 'error', '1'],
      [`[\`lambda-outdated-runtime\`](${OPTS.docsBaseUrl}lambda-outdated-runtime.md)`, 'note', '1'],
      [`[\`lambda-ruby-only\`](${OPTS.docsBaseUrl}lambda-ruby-only.md)`, 'error', '1'],
      [`[\`lambda-ruby-only\`](${OPTS.docsBaseUrl}lambda-ruby-only.md)`, 'warning', '1'],
    ]);
  });

  it('lists unsuppressed findings with relative line links', () => {
    const rows = tableAfter(md, '### Findings');
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual(['error', '`lambda-outdated-runtime`', '[main.tf:1](main.tf#L1-L3)', '`module.shared.aws_lambda_function.this`', 'runtime "ruby2.7" is deprecated.']);
    expect(rows[1].slice(0, 4)).toEqual(['error', '`lambda-no-http`', '[main.tf:5](main.tf#L5-L9)', '`aws_lambda_function.api`']);
    expect(rows[2].slice(0, 3)).toEqual(['warning', '`lambda-ruby-only`', '[main.tf:7](main.tf#L7)']);
    // Nothing inside the working directory to point at: no link.
    expect(rows[4].slice(2, 4)).toEqual(['—', '`module.other.aws_lambda_function.this`']);
    for (const r of rows) expect(r).toHaveLength(5);
  });

  it('links to a base URL when one is given', () => {
    const withBase = formatMarkdown(makeResult(), { ...MD, sourceBaseUrl: 'https://github.com/o/r/blob/abc123/' });
    expect(withBase).toContain('[main.tf:5](https://github.com/o/r/blob/abc123/main.tf#L5-L9)');
  });

  it('collapses suppressed findings with their justification', () => {
    const details = md.slice(md.indexOf('<details>'), md.indexOf('</details>') + '</details>'.length);
    expect(details).toContain('<summary>1 suppressed finding</summary>');
    const rows = tableAfter(details, '<summary>1 suppressed finding</summary>');
    expect(rows).toEqual([['`lambda-ruby-only`', '[main.tf:13](main.tf#L13)', '`aws_lambda_function.legacy`', 'migrating in Q3 (in source, [main.tf:11](main.tf#L11))']]);
    expect(tableAfter(md, '### Findings').some((r) => r[3] === '`aws_lambda_function.legacy`' && r[1] === '`lambda-ruby-only`')).toBe(false);
  });

  it('lists input problems, without paths outside the working directory', () => {
    expect(md).toContain('### Input problems');
    expect(md).toContain('- **error** `broken.tf:3` Unclosed configuration block (`parse-error`)');
    expect(md).toContain('- **warning** module "y" source not found (`module-not-found`)');
    expect(md).not.toContain('/work/shared-modules');
  });

  it('draws the front door of the HTTP finding from the finding alone', () => {
    const blocks = mermaidBlocks(md);
    const api = md.indexOf('#### `aws_lambda_function.api`');
    expect(api).toBeGreaterThan(0);
    expect(blocks).toHaveLength(1);
    const g = mermaidGraph(blocks[0]);
    expect(g.edges).toContain('aws_api_gateway_integration.lambda --> invokes aws_lambda_function.api');
    // Functions with only runtime findings have nothing to draw and are named instead.
    expect(md).toContain('Functions with findings but nothing linked to draw: `module.other.aws_lambda_function.this`, `module.shared.aws_lambda_function.this`, `aws_lambda_function.legacy`.');
  });

  it('is what format() gives for "markdown"', () => {
    expect(format(makeResult(), 'markdown', OPTS)).toBe(formatMarkdown(makeResult(), { docsBaseUrl: OPTS.docsBaseUrl, toolVersion: OPTS.toolVersion }));
  });

  it('says so when nothing was found', () => {
    const empty = formatMarkdown(makeResult({ findings: [], diagnostics: [], filesScanned: 0 }), MD);
    expect(empty).toContain('**⚠ Nothing was linted**');
    expect(empty).not.toContain('###');
    const clean = formatMarkdown(makeResult({ findings: [], diagnostics: [], filesScanned: 4 }), MD);
    expect(clean.split('\n')[2]).toBe('**✔ No findings** · 4 files scanned');
  });
});

describe('escaping', () => {
  const hostile = '| a | b |\nsecond line <details><summary>x</summary> **bold** [link](http://x) `code` @octocat &lt; #1 ~strike~';
  const address = 'module.a["x|y`z"].aws_lambda_function.this';
  const result = makeResult({
    diagnostics: [],
    findings: [finding({ ruleId: 'lambda-no-http', level: 'error', message: hostile, address, location: at(MAIN_TF, region(5, 1, 9, 2)), related: [{ location: at(MAIN_TF, region(1, 1, 3, 2)), message: 'Lambda function URL module.a["x|y`z"].aws_lambda_function_url.u"]' }] })],
  });
  const md = formatMarkdown(result, MD);

  it('keeps a hostile message and address inside their cells', () => {
    const rows = tableAfter(md, '### Findings');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveLength(5);
    expect(rows[0][3]).toBe('``module.a["x\\|y`z"].aws_lambda_function.this``');
    // Every Markdown-active character is backslash-escaped; `<br>` is the one tag written on purpose.
    expect(rows[0][4].replace(/<br>/g, ' ')).not.toMatch(/(^|[^\\])[<>*[\]`~]/);
    expect(rows[0][4]).toContain('<br>second line');
    expect(rows[0][4]).toContain('@\u200boctocat');
    expect(rows[0][4]).toContain('\\&lt;');
  });

  it('escapeText escapes Markdown punctuation and codeSpan fences any backticks', () => {
    expect(escapeText('a|b*c_d[e]<f>\\g')).toBe('a\\|b\\*c_d\\[e\\]\\<f\\>\\\\g');
    // Underscores inside a word never emphasise; at a word's edge they are escaped.
    expect(escapeText('_x_ aws_lambda_function.a_')).toBe('\\_x\\_ aws_lambda_function.a\\_');
    expect(escapeText('one\r\ntwo\u0007')).toBe('one<br>two');
    expect(codeSpan('a`b')).toBe('``a`b``');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(codeSpan('a|b\nc')).toBe('`a\\|b c`');
  });

  it('escapes quotes, brackets and pipes in Mermaid labels', () => {
    const [block] = mermaidBlocks(md);
    for (const line of block.split('\n')) {
      // Inside a node's quotes nothing that ends the string or starts a tag or Markdown string.
      const label = /^\s+n\d+[[(>{/]+"(.*)"[\])}/]+$/.exec(line)?.[1];
      if (label !== undefined) expect(label.replace(/<br\/>/g, '')).not.toMatch(/["`<>|]/);
    }
    expect(block).toContain('module.a[#34;x#124;y#96;z#34;].aws_lambda_function.this');
    expect(block).toContain('module.a[#34;x#124;y#96;z#34;].aws_lambda_function_url.u#34;]');
  });
});

describe('size limit', () => {
  function many(n: number): LintResult {
    const findings: ReportedFinding[] = [];
    for (let i = 0; i < n; i++) {
      findings.push(finding({
        ruleId: 'lambda-no-http',
        level: 'error',
        message: `aws_lambda_function.fn${i} handles HTTP requests: ${'it is behind a front door. '.repeat(12)}`,
        address: `aws_lambda_function.fn${i}`,
        location: at(MAIN_TF, region(5, 1, 9, 2)),
        related: [{ location: at(MAIN_TF, region(1, 1, 3, 2)), message: `API Gateway REST integration aws_api_gateway_integration.i${i}` }],
        ...(i % 7 === 0 ? { suppression: { kind: 'external' as const, justification: `exception ${i} ${'because '.repeat(20)}` } } : {}),
      }));
    }
    return makeResult({ findings });
  }

  it('stays within GitHub\'s 1 MiB by default, saying how many rows were left out', () => {
    const md = formatMarkdown(many(6000), MD);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(MARKDOWN_MAX_BYTES);
    expect(md).toMatch(/…and \d+ more findings \(see the SARIF or JSON report for all of them\)\./);
    expect(md).toContain('…and ');
    expect(md).toContain('</details>');
    expect(md.trimEnd().endsWith('</sub>')).toBe(true);
  });

  it.each([8_000, 20_000, 65_536])('stays within maxBytes %d with every section present', (maxBytes) => {
    const md = formatMarkdown(many(400), { ...MD, maxBytes });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(maxBytes);
    expect(md).toContain('### Findings by rule');
    expect(md).toContain('### Findings\n');
    expect(md).toContain('### Evidence');
    expect(md).toMatch(/…and \d+ more findings/);
    expect(md).toMatch(/…and \d+ more (diagrams not shown|suppressed findings)/);
    expect(md).toContain('</details>');
    expect(md.trimEnd().endsWith('</sub>')).toBe(true);
    // A table is never cut mid-row, and every Mermaid block is closed.
    expect((md.match(/```/g) ?? []).length % 2).toBe(0);
    for (const line of md.split('\n').filter((l) => l.startsWith('|'))) expect(line.endsWith('|')).toBe(true);
  });

  it('shows at most 25 diagrams', () => {
    const md = formatMarkdown(many(60), MD);
    expect(mermaidBlocks(md)).toHaveLength(25);
    expect(md).toContain(`…and ${60 - Math.ceil(60 / 7) - 25} more diagrams not shown.`);
  });
});

// ---- on real findings ----

const PROJECT: Record<string, string> = {
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
  role          = aws_iam_role.api.arn
  runtime       = "python3.12"
  handler       = "h.handler"
}

resource "aws_iam_role" "api" {
  name               = "api"
  assume_role_policy = "{}"
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

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = aws_iam_role.fn.arn
  runtime       = "ruby3.4"
  handler       = "h.handler"
  vpc_config {
    subnet_ids         = ["subnet-1"]
    security_group_ids = [aws_security_group.lambda.id]
  }
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly"
  schedule_expression = "cron(0 3 * * ? *)"
}

resource "aws_cloudwatch_event_target" "nightly" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_lambda_function.worker.arn
}

resource "aws_security_group" "lambda" {
  name = "lambda"
}

resource "aws_security_group" "app" {
  name = "app"
}

resource "aws_security_group" "db" {
  name = "db"
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id, aws_security_group.lambda.id]
  }
}

resource "aws_db_instance" "main" {
  identifier             = "main"
  engine                 = "postgres"
  instance_class         = "db.t4g.micro"
  vpc_security_group_ids = [aws_security_group.db.id]
}

resource "aws_ecs_task_definition" "jobs" {
  family                = "jobs"
  container_definitions = "[]"
}

resource "aws_ecs_service" "jobs" {
  name            = "jobs"
  task_definition = aws_ecs_task_definition.jobs.arn
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = ["subnet-1"]
    security_groups = [aws_security_group.app.id]
  }
}
`,
};

const RULES: Rule[] = [lambdaNoHttp, lambdaNoDatastore, lambdaRubyOnly];

/** Runs the rules the way lint() does and locates their findings (lint() itself does not hand back the graph). */
async function run(dir: string): Promise<{ result: LintResult; graph: Graph }> {
  const src = await loadSource({ dirs: [dir], files: [] }, { cwd: dir, varFiles: [], vars: [] });
  const model: Model = { resources: src.resources, files: src.files };
  const graph = new Graph(model);
  const found: Finding[] = [];
  for (const rule of RULES) {
    rule.check({ model, graph, asOf: '2026-11-27', options: {}, report: (f) => found.push({ ...f, ruleId: rule.meta.id, level: f.level ?? rule.meta.defaultLevel }) });
  }
  const locator = await createLocator();
  const findings: ReportedFinding[] = found.map((f) => ({
    ...f,
    location: locator.locate(f.pointer),
    relatedLocations: f.related.map((r) => ({ location: locator.locate(r.pointer), message: r.message })),
    fingerprint: findingFingerprint(f.ruleId, f.address, f.discriminator, ''),
  }));
  return { result: { cwd: dir, rules: RULES, findings, diagnostics: src.diagnostics, filesScanned: src.files.length, asOf: '2026-11-27' }, graph };
}

describe('evidence diagrams on rule findings', () => {
  let dir: string;
  let result: LintResult;
  let graph: Graph;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'markdown-'));
    for (const [name, text] of Object.entries(PROJECT)) fs.writeFileSync(path.join(dir, name), text);
    ({ result, graph } = await run(dir));
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function diagramOf(md: string, address: string): ReturnType<typeof mermaidGraph> {
    const at_ = md.indexOf(`#### \`${address}\``);
    expect(at_).toBeGreaterThan(0);
    const block = /```mermaid\n([\s\S]*?)```/.exec(md.slice(at_))![1];
    return mermaidGraph(block);
  }

  it('the rules found what the diagrams should explain', () => {
    const ids = result.findings.map((f) => `${f.ruleId} ${f.address}`).sort();
    expect(ids).toEqual([
      'lambda-no-datastore aws_lambda_function.worker',
      'lambda-no-http aws_lambda_function.api',
      'lambda-ruby-only aws_lambda_function.api',
    ]);
  });

  it('with the graph: front door chain, security groups, store, IAM grant and the ECS task', () => {
    const md = formatMarkdown(result, { ...MD, graph });
    const worker = diagramOf(md, 'aws_lambda_function.worker');
    expect(worker.edges).toEqual(expect.arrayContaining([
      'aws_cloudwatch_event_rule.nightly --> triggers aws_cloudwatch_event_target.nightly',
      'aws_cloudwatch_event_target.nightly --> invokes aws_lambda_function.worker',
      'aws_lambda_function.worker --> in security group aws_security_group.lambda',
      'aws_security_group.lambda --> reaches via SG (inline ingress rule) aws_security_group.db',
      'aws_security_group.db --> guards aws_db_instance.main',
      'aws_iam_role_policy.db_connect --> IAM grant (rds-db#58;connect) aws_lambda_function.worker',
      'aws_lambda_function.worker -.-> run the job as aws_ecs_task_definition.jobs',
    ]));
    // The ECS task's own path to the database is not the function's evidence.
    expect(worker.edges.some((e) => e.startsWith('aws_security_group.app'))).toBe(false);
    const api = diagramOf(md, 'aws_lambda_function.api');
    expect([...api.edges].sort()).toEqual([
      'aws_api_gateway_integration.post --> invokes aws_lambda_function.api',
      'aws_api_gateway_rest_api.api --> routes to aws_api_gateway_integration.post',
    ]);
    // The store and the front door the findings name are outlined.
    expect(md).toMatch(/class n\d+(,n\d+)* cited/);
  });

  it('without the graph: the same chain as the findings tell it', () => {
    const md = formatMarkdown(result, MD);
    const worker = diagramOf(md, 'aws_lambda_function.worker');
    expect(worker.edges).toEqual(expect.arrayContaining([
      'aws_lambda_function.worker --> reaches via SG (rule aws_security_group.db) aws_db_instance.main',
      'aws_iam_role_policy.db_connect --> IAM grant (rds-db#58;connect) aws_lambda_function.worker',
      'aws_lambda_function.worker -.-> run the job as aws_ecs_task_definition.jobs',
    ]));
    const api = diagramOf(md, 'aws_lambda_function.api');
    expect(api.edges).toEqual(['aws_api_gateway_integration.post --> invokes aws_lambda_function.api']);
  });

  it('evidenceDiagram highlights the function and what the findings name', () => {
    const findings = result.findings.filter((f) => f.address === 'aws_lambda_function.api');
    const d = evidenceDiagram('aws_lambda_function.api', findings);
    expect([...d.highlight].sort()).toEqual(['aws_api_gateway_integration.post', 'aws_lambda_function.api']);
    expect(d.omitted).toBe(0);
  });

  it('caps a diagram at 40 resources', () => {
    const fnAddress = 'aws_lambda_function.busy';
    const findings = Array.from({ length: 60 }, (_, i) => finding({
      ruleId: 'lambda-no-http', level: 'error', message: 'm', address: fnAddress,
      location: at(MAIN_TF, region(5, 1, 9, 2)), related: [{ location: at(MAIN_TF, region(1, 1, 3, 2)), message: `Lambda permission aws_lambda_permission.p${String(i).padStart(2, '0')}` }],
    }));
    const d = evidenceDiagram(fnAddress, findings);
    expect(d.nodes).toHaveLength(40);
    expect(d.omitted).toBe(21);
    expect(d.nodes.some((n) => n.address === fnAddress)).toBe(true);
    for (const e of d.edges) {
      expect(d.nodes.some((n) => n.id === e.from)).toBe(true);
      expect(d.nodes.some((n) => n.id === e.to)).toBe(true);
    }
  });

  const example = path.join(__dirname, '..', 'fixtures', 'example');
  (fs.existsSync(path.join(example, 'expected.json')) ? it : it.skip)('fixtures/example: the webhook behind its API, the purge job beside the ECS task', async () => {
    const fx = await run(example);
    const md = formatMarkdown(fx.result, { ...MD, graph: fx.graph });
    const webhook = diagramOf(md, 'module.submission_webhook.aws_lambda_function.this');
    expect(webhook.edges).toEqual(expect.arrayContaining([
      'aws_apigatewayv2_api.webhooks --> routes to aws_apigatewayv2_integration.submission_webhook',
      'aws_apigatewayv2_integration.submission_webhook --> invokes module.submission_webhook.aws_lambda_function.this',
      'aws_lambda_permission.submission_webhook --> allows invoke module.submission_webhook.aws_lambda_function.this',
    ]));
    const purge = diagramOf(md, 'module.retention_purge.aws_lambda_function.this');
    expect(purge.edges).toEqual(expect.arrayContaining([
      'aws_cloudwatch_event_target.retention_purge --> invokes module.retention_purge.aws_lambda_function.this',
      'module.retention_purge.aws_lambda_function.this --> in security group aws_security_group.retention_purge',
      'module.database.aws_security_group.this --> guards module.database.aws_db_instance.this',
      'module.retention_purge.aws_lambda_function.this -.-> run the job as aws_ecs_task_definition.admin',
    ]));
    // Every function with an HTTP or data-store finding is drawn, not just named.
    const alone = /Functions with findings but nothing linked to draw: (.*)\./.exec(md)?.[1] ?? '';
    for (const f of fx.result.findings.filter((x) => x.ruleId === 'lambda-no-http' || x.ruleId === 'lambda-no-datastore')) expect(alone).not.toContain(f.address);
    expect(Buffer.byteLength(md)).toBeLessThan(MARKDOWN_MAX_BYTES);
  });

  const restIntegration = path.join(__dirname, '..', 'fixtures', 'http', 'rest-integration');
  (fs.existsSync(restIntegration) ? it : it.skip)('fixtures/http/rest-integration: the API and both front doors of submit', async () => {
    const fx = await run(restIntegration);
    const md = formatMarkdown(fx.result, { ...MD, graph: fx.graph });
    const submit = diagramOf(md, 'aws_lambda_function.submit');
    expect(submit.edges).toEqual(expect.arrayContaining([
      'aws_api_gateway_rest_api.submissions --> routes to aws_api_gateway_integration.post_submission',
      'aws_api_gateway_integration.post_submission --> invokes aws_lambda_function.submit',
      'aws_lambda_permission.submit_from_apigw --> allows invoke aws_lambda_function.submit',
    ]));
    expect(tableAfter(md, '### Findings').map((r) => r[2])).toEqual(['[lambda.tf:7](lambda.tf#L7-L19)', '[lambda.tf:21](lambda.tf#L21-L32)']);
  });
});
