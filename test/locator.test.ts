import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HCL_GRAMMAR_WASM, TREE_SITTER_WASM, assetPath } from '../src/assets';
import { FIRST_CHARACTER, createLocator } from '../src/locate/file-locator';
import { JsonRangeIndex } from '../src/locate/json-ranges';
import type { Locator } from '../src/locate/locator';
import { hclPointer, jsonPointer, type PathStep, type Region } from '../src/model/source';

const MAIN_TF = `# Lambda for the nightly job
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  runtime       = "ruby3.3" # pinned

  environment {
    variables = {
      DB_HOST = aws_db_instance.main.address
      "QUEUE" = "q"
    }
  }

  vpc_config {
    subnet_ids         = ["subnet-a", "subnet-b"]
    security_group_ids = [aws_security_group.fn.id]
  }
}

resource "aws_security_group" "fn" {
  ingress {
    from_port = 80
  }
  ingress {
    from_port = 443
  }
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port = ingress.value
    }
  }
}

locals {
  a = 1
}

locals {
  m = {
    a = 1
    b = "two"
  }
  list = [
    "x",
    "y",
  ]
  computed = merge(local.m, { c = 3 })
}

resource "aws_iam_policy" "p" {
  policy = <<-EOT
    {"Statement": []}
  EOT
  name = "p"
}

module "worker" {
  source  = "./modules/worker"
  runtime = "ruby3.2"
}
`;

const UNICODE_TF = `resource "aws_lambda_function" "ünï" {
  tags = { "😀" = "smile", team = "Zürich", owner = "ops" }
  description = "Zürich 😀"
}
`;

const CRLF_TF = [
  'resource "aws_lambda_function" "crlf" {',
  '  runtime = "ruby2.7"',
  '  environment {',
  '    variables = {',
  '      A = "1"',
  '    }',
  '  }',
  '}',
  '',
].join('\r\n');

const TF_JSON = `{
  "resource": {
    "aws_lambda_function": {
      "json_fn": {
        "runtime": "python3.12",
        "environment": {
          "variables": { "DB_HOST": "\${aws_db_instance.main.address}" }
        },
        "vpc_config": [
          { "subnet_ids": ["a"] },
          { "subnet_ids": ["b", "c"] }
        ],
        "dynamic": {
          "ephemeral_storage": { "for_each": "\${var.x}", "content": { "size": 512 } }
        }
      }
    }
  },
  "locals": [
    { "a": 1 },
    { "m": { "b": "two" } }
  ]
}
`;

const PLAN = {
  format_version: '1.2',
  resource_changes: [
    {
      address: 'aws_lambda_function.a',
      change: { actions: ['create'], after: { runtime: 'ruby3.3', environment: [{ variables: { DB_HOST: 'db.example' } }] } },
    },
    {
      address: 'aws_lambda_function.b',
      change: { actions: ['create'], after: { runtime: 'nodejs16.x', tags: { note: 'ünï "q" {x} [y]' } } },
    },
  ],
};

let dir: string;
let locator: Locator;
const file = (name: string): string => path.join(dir, name);

/** The region of `needle` on a 1-based line (its first occurrence at or after `from`). */
function on(name: string, line: number, needle: string, from = 0): Region {
  const text = locator.lines(file(name))[line - 1];
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`${needle} not on line ${line} of ${name}`);
  return { startLine: line, startColumn: at + 1, endLine: line, endColumn: at + 1 + needle.length };
}

/** A region from the start of `first` on one line to the end of `last` on another. */
function across(name: string, line: number, first: string, endLine: number, last: string): Region {
  const lines = locator.lines(file(name));
  const start = lines[line - 1].indexOf(first);
  const end = lines[endLine - 1].lastIndexOf(last);
  if (start < 0 || end < 0) throw new Error(`${first}/${last} not found in ${name}`);
  return { startLine: line, startColumn: start + 1, endLine, endColumn: end + 1 + last.length };
}

function hcl(name: string, ...steps: PathStep[]): Region {
  return locator.locate(hclPointer(file(name), steps)).region;
}

function json(name: string, ...steps: PathStep[]): Region {
  return locator.locate(jsonPointer(file(name), steps)).region;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'locator-'));
  fs.writeFileSync(file('main.tf'), MAIN_TF);
  fs.writeFileSync(file('unicode.tf'), UNICODE_TF);
  fs.writeFileSync(file('crlf.tf'), CRLF_TF);
  fs.writeFileSync(file('main.tf.json'), TF_JSON);
  fs.writeFileSync(
    file('array.tf.json'),
    '{"resource": [{"aws_x": {"a": {"runtime": "x"}}}, {"aws_x": {"b": [{"runtime": "y"}]}}]}',
  );
  fs.writeFileSync(file('terraform.tfvars'), 'runtime = "ruby2.7"\nmemory  = 128\nsubnets = ["a", "b"]\n');
  fs.writeFileSync(file('prod.tfvars.json'), '{"runtime": "ruby2.7"}');
  fs.writeFileSync(file('plan-pretty.json'), JSON.stringify(PLAN, null, 2));
  fs.writeFileSync(file('plan-line.json'), JSON.stringify(PLAN));
  fs.writeFileSync(file('garbage.tf'), '}}} ))) = = "unterminated');
  fs.writeFileSync(file('truncated.json'), JSON.stringify(PLAN).slice(0, 60));
  locator = await createLocator();
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('assets', () => {
  it('resolves both wasm files from their packages when not bundled', () => {
    expect(fs.existsSync(assetPath(TREE_SITTER_WASM))).toBe(true);
    expect(fs.existsSync(assetPath(HCL_GRAMMAR_WASM))).toBe(true);
    expect(path.basename(assetPath(HCL_GRAMMAR_WASM))).toBe('tree-sitter-hcl.wasm');
  });
});

describe('HCL (.tf)', () => {
  const fn = ['resource', 'aws_lambda_function', 'worker'];

  it('gives a block its whole extent', () => {
    expect(hcl('main.tf', ...fn)).toEqual({ startLine: 2, startColumn: 1, endLine: 17, endColumn: 2 });
  });

  it('gives an attribute its `name = expr`, without a trailing comment', () => {
    expect(hcl('main.tf', ...fn, 'runtime')).toEqual({ startLine: 4, startColumn: 3, endLine: 4, endColumn: 28 });
    expect(hcl('main.tf', ...fn, 'runtime')).toEqual(on('main.tf', 4, 'runtime       = "ruby3.3"'));
  });

  it('walks nested blocks by index and narrows into literal objects and tuples', () => {
    expect(hcl('main.tf', ...fn, 'environment', 0)).toEqual(across('main.tf', 6, 'environment', 11, '}'));
    expect(hcl('main.tf', ...fn, 'environment', 0, 'variables')).toEqual(across('main.tf', 7, 'variables', 10, '}'));
    expect(hcl('main.tf', ...fn, 'environment', 0, 'variables', 'DB_HOST')).toEqual({
      startLine: 8,
      startColumn: 7,
      endLine: 8,
      endColumn: 45,
    });
    expect(hcl('main.tf', ...fn, 'environment', 0, 'variables', 'QUEUE')).toEqual(on('main.tf', 9, '"QUEUE" = "q"'));
    expect(hcl('main.tf', ...fn, 'vpc_config', 0, 'subnet_ids', 1)).toEqual(on('main.tf', 14, '"subnet-b"'));
    expect(hcl('main.tf', ...fn, 'vpc_config', 0, 'security_group_ids', 0)).toEqual(
      on('main.tf', 15, 'aws_security_group.fn.id'),
    );
  });

  it('accepts a nested block without its index as the first of that name', () => {
    expect(hcl('main.tf', ...fn, 'vpc_config', 'subnet_ids')).toEqual(on('main.tf', 14, 'subnet_ids         = ["subnet-a", "subnet-b"]'));
  });

  it('falls back to the deepest thing found', () => {
    const block = hcl('main.tf', ...fn);
    expect(hcl('main.tf', ...fn, 'handler')).toEqual(block);
    expect(hcl('main.tf', ...fn, 'vpc_config', 1)).toEqual(block);
    expect(hcl('main.tf', ...fn, 'vpc_config', 1, 'subnet_ids')).toEqual(block);
    expect(hcl('main.tf', ...fn, 'environment', 0, 'variables', 'MISSING')).toEqual(across('main.tf', 7, 'variables', 10, '}'));
    expect(hcl('main.tf', ...fn, 'vpc_config', 0, 'subnet_ids', 7)).toEqual(on('main.tf', 14, 'subnet_ids         = ["subnet-a", "subnet-b"]'));
    // a computed value is not looked into
    expect(hcl('main.tf', 'locals', 'computed', 'c')).toEqual(on('main.tf', 47, 'computed = merge(local.m, { c = 3 })'));
  });

  it('counts duplicate nested blocks and dynamic blocks among same-named blocks', () => {
    const sg = ['resource', 'aws_security_group', 'fn'];
    expect(hcl('main.tf', ...sg, 'ingress', 0, 'from_port')).toEqual(on('main.tf', 21, 'from_port = 80'));
    expect(hcl('main.tf', ...sg, 'ingress', 1, 'from_port')).toEqual(on('main.tf', 24, 'from_port = 443'));
    expect(hcl('main.tf', ...sg, 'ingress', 2)).toEqual(across('main.tf', 26, 'dynamic', 31, '}'));
    expect(hcl('main.tf', ...sg, 'ingress', 2, 'from_port')).toEqual(on('main.tf', 29, 'from_port = ingress.value'));
    expect(hcl('main.tf', ...sg, 'ingress', 2, 'for_each')).toEqual(on('main.tf', 27, 'for_each = var.ports'));
    expect(hcl('main.tf', ...sg, 'ingress', 3)).toEqual(across('main.tf', 19, 'resource', 32, '}'));
  });

  it('finds a local in whichever locals block holds it', () => {
    expect(hcl('main.tf', 'locals', 'a')).toEqual(on('main.tf', 35, 'a = 1'));
    expect(hcl('main.tf', 'locals', 'm')).toEqual(across('main.tf', 39, 'm = {', 42, '}'));
    expect(hcl('main.tf', 'locals', 'm', 'b')).toEqual(on('main.tf', 41, 'b = "two"'));
    expect(hcl('main.tf', 'locals', 'list', 1)).toEqual(on('main.tf', 45, '"y"'));
    expect(hcl('main.tf', 'locals', 'nope')).toEqual(across('main.tf', 34, 'locals', 36, '}'));
  });

  it('covers a heredoc to its closing marker', () => {
    expect(hcl('main.tf', 'resource', 'aws_iam_policy', 'p', 'policy')).toEqual({
      startLine: 51,
      startColumn: 3,
      endLine: 53,
      endColumn: 6,
    });
    expect(hcl('main.tf', 'resource', 'aws_iam_policy', 'p', 'name')).toEqual(on('main.tf', 54, 'name = "p"'));
  });

  it('finds module arguments', () => {
    expect(hcl('main.tf', 'module', 'worker', 'runtime')).toEqual(on('main.tf', 59, 'runtime = "ruby3.2"'));
  });

  it('returns the first character when nothing matches or the file cannot be used', () => {
    expect(hcl('main.tf', 'data', 'aws_iam_role', 'r')).toEqual(FIRST_CHARACTER);
    expect(hcl('main.tf', 'resource', 'aws_lambda_function', 'other', 'runtime')).toEqual(FIRST_CHARACTER);
    expect(hcl('main.tf')).toEqual(FIRST_CHARACTER);
    expect(hcl('missing.tf', 'resource', 'a', 'b')).toEqual(FIRST_CHARACTER);
    expect(hcl('garbage.tf', 'resource', 'a', 'b')).toEqual(FIRST_CHARACTER);
    expect(FIRST_CHARACTER).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 });
    expect(locator.lines(file('missing.tf'))).toEqual([]);
  });

  it('counts columns in UTF-16 code units on lines with non-ASCII text', () => {
    const fn = ['resource', 'aws_lambda_function', 'ünï'];
    // "😀" is 2 UTF-16 units (4 bytes), "ü" 1 unit (2 bytes)
    expect(hcl('unicode.tf', ...fn, 'tags', '😀')).toEqual({ startLine: 2, startColumn: 12, endLine: 2, endColumn: 26 });
    expect(hcl('unicode.tf', ...fn, 'tags', 'team')).toEqual({ startLine: 2, startColumn: 28, endLine: 2, endColumn: 43 });
    expect(hcl('unicode.tf', ...fn, 'tags', 'owner')).toEqual({ startLine: 2, startColumn: 45, endLine: 2, endColumn: 58 });
    expect(hcl('unicode.tf', ...fn, 'description')).toEqual({ startLine: 3, startColumn: 3, endLine: 3, endColumn: 28 });
    expect(hcl('unicode.tf', ...fn, 'tags', 'owner')).toEqual(on('unicode.tf', 2, 'owner = "ops"'));
  });

  it('handles CRLF line ends: no CR in lines or regions', () => {
    const fn = ['resource', 'aws_lambda_function', 'crlf'];
    expect(locator.lines(file('crlf.tf'))[1]).toBe('  runtime = "ruby2.7"');
    expect(hcl('crlf.tf', ...fn)).toEqual({ startLine: 1, startColumn: 1, endLine: 8, endColumn: 2 });
    expect(hcl('crlf.tf', ...fn, 'runtime')).toEqual({ startLine: 2, startColumn: 3, endLine: 2, endColumn: 22 });
    expect(hcl('crlf.tf', ...fn, 'environment', 0)).toEqual({ startLine: 3, startColumn: 3, endLine: 7, endColumn: 4 });
    expect(hcl('crlf.tf', ...fn, 'environment', 0, 'variables', 'A')).toEqual({
      startLine: 5,
      startColumn: 7,
      endLine: 5,
      endColumn: 14,
    });
  });
});

describe('tfvars', () => {
  it('finds top-level attributes and their elements', () => {
    expect(hcl('terraform.tfvars', 'runtime')).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 20 });
    expect(hcl('terraform.tfvars', 'subnets', 1)).toEqual(on('terraform.tfvars', 3, '"b"'));
    expect(hcl('terraform.tfvars', 'nope')).toEqual(FIRST_CHARACTER);
  });

  it('reads .tfvars.json as JSON', () => {
    expect(hcl('prod.tfvars.json', 'runtime')).toEqual({ startLine: 1, startColumn: 2, endLine: 1, endColumn: 22 });
  });
});

describe('Terraform JSON syntax (.tf.json)', () => {
  const fn = ['resource', 'aws_lambda_function', 'json_fn'];

  it('gives blocks and attributes their members, key included', () => {
    expect(hcl('main.tf.json', ...fn)).toEqual(across('main.tf.json', 4, '"json_fn"', 16, '}'));
    expect(hcl('main.tf.json', ...fn, 'runtime')).toEqual(on('main.tf.json', 5, '"runtime": "python3.12"'));
    expect(hcl('main.tf.json', ...fn, 'handler')).toEqual(hcl('main.tf.json', ...fn));
  });

  it('walks nested blocks as objects or arrays, and dynamic blocks', () => {
    expect(hcl('main.tf.json', ...fn, 'environment', 0, 'variables', 'DB_HOST')).toEqual(
      on('main.tf.json', 7, '"DB_HOST": "${aws_db_instance.main.address}"'),
    );
    expect(hcl('main.tf.json', ...fn, 'vpc_config', 1)).toEqual(on('main.tf.json', 11, '{ "subnet_ids": ["b", "c"] }'));
    expect(hcl('main.tf.json', ...fn, 'vpc_config', 1, 'subnet_ids', 1)).toEqual(on('main.tf.json', 11, '"c"'));
    expect(hcl('main.tf.json', ...fn, 'ephemeral_storage', 0, 'size')).toEqual(on('main.tf.json', 14, '"size": 512'));
    expect(hcl('main.tf.json', ...fn, 'ephemeral_storage', 0, 'for_each')).toEqual(
      on('main.tf.json', 14, '"for_each": "${var.x}"'),
    );
  });

  it('finds locals in an array of locals objects', () => {
    expect(hcl('main.tf.json', 'locals', 'm', 'b')).toEqual(on('main.tf.json', 21, '"b": "two"'));
    expect(hcl('main.tf.json', 'locals', 'a')).toEqual(on('main.tf.json', 20, '"a": 1'));
    expect(hcl('main.tf.json', 'locals', 'nope')).toEqual(across('main.tf.json', 19, '"locals"', 22, ']'));
  });

  it('accepts block types given as arrays of objects', () => {
    expect(hcl('array.tf.json', 'resource', 'aws_x', 'b', 'runtime')).toEqual(on('array.tf.json', 1, '"runtime": "y"'));
    expect(hcl('array.tf.json', 'resource', 'aws_x', 'a', 'runtime')).toEqual(on('array.tf.json', 1, '"runtime": "x"'));
    expect(hcl('array.tf.json', 'module', 'x')).toEqual(FIRST_CHARACTER);
  });
});

describe('plan JSON', () => {
  it('locates values in a pretty-printed plan', () => {
    const name = 'plan-pretty.json';
    const lines = locator.lines(file(name));
    const runtimeLine = lines.findIndex((l) => l.includes('"nodejs16.x"')) + 1;
    expect(json(name, 'resource_changes', 1, 'change', 'after', 'runtime')).toEqual(on(name, runtimeLine, '"nodejs16.x"'));
    const afterLine = lines.findIndex((l) => l.includes('"after": {')) + 1;
    const after = json(name, 'resource_changes', 0, 'change', 'after');
    expect(after.startLine).toBe(afterLine);
    expect(after.startColumn).toBe(lines[afterLine - 1].indexOf('{') + 1);
    expect(lines[after.endLine - 1].slice(0, after.endColumn - 1).trim()).toBe('}');
    expect(after.endLine).toBe(afterLine + 9);
  });

  it('locates values in a single-line plan', () => {
    const name = 'plan-line.json';
    const text = fs.readFileSync(file(name), 'utf8');
    const note = JSON.stringify('ünï "q" {x} [y]');
    const at = text.indexOf(note);
    expect(json(name, 'resource_changes', 1, 'change', 'after', 'tags', 'note')).toEqual({
      startLine: 1,
      startColumn: at + 1,
      endLine: 1,
      endColumn: at + 1 + note.length,
    });
    const env = text.indexOf('"db.example"');
    expect(json(name, 'resource_changes', 0, 'change', 'after', 'environment', 0, 'variables', 'DB_HOST')).toEqual({
      startLine: 1,
      startColumn: env + 1,
      endLine: 1,
      endColumn: env + 1 + '"db.example"'.length,
    });
    expect(json(name)).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: text.length + 1 });
  });

  it('falls back to the deepest value, or the first character', () => {
    const name = 'plan-line.json';
    const list = json(name, 'resource_changes');
    expect(json(name, 'resource_changes', 5, 'change')).toEqual(list);
    expect(json(name, 'resource_changes', 'x')).toEqual(list);
    expect(json(name, 'nope')).toEqual(FIRST_CHARACTER);
    expect(json('truncated.json', 'resource_changes', 0)).toEqual(FIRST_CHARACTER);
    expect(json('missing.json', 'a')).toEqual(FIRST_CHARACTER);
  });

  it('indexes only what a lookup walks through, and handles escapes and nesting', () => {
    const text = '{"a\\"b": [1, {"x": "}]\\\\"}, [[]], "\\u00e9"], "c": {"d": null}, "a\\"b ": true}';
    const index = new JsonRangeIndex(text);
    const root = index.root()!;
    expect(index.members(root).map((m) => m.key)).toEqual(['a"b', 'c', 'a"b ']);
    const list = index.member(root, 'a"b')!.value;
    expect(index.elements(list).map((s) => text.slice(s.start, s.end))).toEqual(['1', '{"x": "}]\\\\"}', '[[]]', '"\\u00e9"']);
    expect(index.resolvePath(['c', 'd'])).toEqual({ span: { start: text.indexOf('null'), end: text.indexOf('null') + 4 }, depth: 2 });
  });
});

describe('caching', () => {
  it('reads each file once, lazily, and keeps what it read', async () => {
    const own = await createLocator();
    const name = file('cached.tf');
    fs.writeFileSync(name, 'locals {\n  a = 1\n}\n');
    // the module object itself: the namespace import above has read-only bindings
    const spy = jest.spyOn(require('fs') as typeof fs, 'readFileSync');
    try {
      const first = own.locate(hclPointer(name, ['locals', 'a'])).region;
      fs.writeFileSync(name, '\n\n\nlocals { a = 2 }\n');
      expect(own.locate(hclPointer(name, ['locals', 'a'])).region).toEqual(first);
      expect(own.lines(name)).toEqual(['locals {', '  a = 1', '}', '']);
      expect(spy.mock.calls.filter(([p]) => p === name)).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
    // another locator has its own cache
    const fresh = await createLocator();
    expect(fresh.locate(hclPointer(name, ['locals', 'a'])).region).toEqual({ startLine: 4, startColumn: 10, endLine: 4, endColumn: 15 });
  });
});

describe('a large single-line plan', () => {
  it('locates values deep in a multi-megabyte document', () => {
    const changes = Array.from({ length: 20000 }, (_, i) => ({
      address: `aws_lambda_function.f${i}`,
      change: { actions: ['create'], after: { runtime: i === 19999 ? 'ruby2.7' : 'ruby3.3', policy: '{"a": ["}"]}' } },
    }));
    const text = JSON.stringify({ format_version: '1.2', resource_changes: changes });
    const name = file('big.json');
    fs.writeFileSync(name, text);
    const at = text.lastIndexOf('"ruby2.7"');
    expect(json('big.json', 'resource_changes', 19999, 'change', 'after', 'runtime')).toEqual({
      startLine: 1,
      startColumn: at + 1,
      endLine: 1,
      endColumn: at + 10,
    });
  });
});
