/**
 * The HCL template/expression parser and the evaluator: every construct the language has, unknown
 * propagation, and the marks (origins, resource references) that values carry.
 */
import { parseExpression, parseTemplate, HclSyntaxError } from '../src/hcl/parser';
import { evaluate, type Scope, type StaticStep } from '../src/eval/evaluate';
import { describe as show, fromJson, obj, str, toJson, unknown, type Value, collectRefs } from '../src/model/value';
import { hclPointer } from '../src/model/source';

function scope(vars: Record<string, Value> = {}): Scope {
  return {
    resolve(root: string, steps: readonly StaticStep[]) {
      if (root === 'var') {
        const name = (steps[0] as { attr: string }).attr;
        return { value: vars[name] ?? unknown(`var.${name} (no value given)`), consumed: 1 };
      }
      if (root === 'aws_lambda_function') {
        const name = (steps[0] as { attr: string }).attr;
        return { value: obj({ function_name: str(`fn-${name}`) }, { refs: [{ address: `aws_lambda_function.${name}`, attribute: [] }] }), consumed: 1 };
      }
      return undefined;
    },
    functions: { baseDir: '.', readFile: () => undefined, renderTemplate: () => unknown('no templates here') },
  };
}

function run(template: string, vars: Record<string, Value> = {}): Value {
  return evaluate(parseTemplate(template), { scope: scope(vars) });
}

function js(template: string, vars: Record<string, unknown> = {}): unknown {
  const v = run(template, Object.fromEntries(Object.entries(vars).map(([k, x]) => [k, fromJson(x)])));
  if (v.kind === 'unknown') return `unknown: ${v.reason}`;
  return toJson(v);
}

describe('templates', () => {
  test.each([
    ['plain text', 'ruby3.4', 'ruby3.4'],
    ['interpolation', 'fn-${var.env}', 'fn-prod'],
    ['single interpolation keeps the type', '${var.n}', 3],
    ['escaped ${', '$${not} here', '${not} here'],
    ['escaped %{', '%%{x}', '%{x}'],
    ['if directive', 'a%{ if var.flag }b%{ else }c%{ endif }', 'ab'],
    ['for directive', '%{ for x in var.list }[${x}]%{ endfor }', '[a][b]'],
    ['strip markers', 'a  ${~ var.env ~}  b', 'aprodb'],
    ['numbers render without .0', 'n=${var.n}', 'n=3'],
  ])('%s', (_name, template, expected) => {
    expect(js(template, { env: 'prod', n: 3, flag: true, list: ['a', 'b'] })).toEqual(expected);
  });
});

describe('expressions', () => {
  test.each([
    ['arithmetic precedence', '${1 + 2 * 3}', 7],
    ['comparison and logic', '${1 < 2 && !(3 == 4) || false}', true],
    ['conditional', '${var.flag ? "a" : "b"}', 'a'],
    ['tuple and index', '${["a", "b"][1]}', 'b'],
    ['object key forms', '${{ a = 1, "b" = 2, (var.env) = 3 }}', { a: 1, b: 2, prod: 3 }],
    ['legacy index', '${var.list.0}', 'a'],
    ['splat', '${var.objs[*].name}', ['x', 'y']],
    ['attribute splat', '${var.objs.*.name}', ['x', 'y']],
    ['for list with condition', '${[for s in var.list : upper(s) if s != "b"]}', ['A']],
    ['for object', '${{ for k, v in var.map : v => k }}', { '1': 'one' }],
    ['grouped for', '${{ for s in ["a", "b", "a"] : s => s... }}', { a: ['a', 'a'], b: ['b'] }],
    ['function with expansion', '${max(var.nums...)}', 9],
    ['nested quoted template', '${"x-${var.env}"}', 'x-prod'],
    ['try skips invalid', '${try(var.map.missing, "fallback")}', 'fallback'],
    ['can', '${can(var.map.one)}', true],
    ['negative numbers', '${-2 + 1}', -1],
    ['comments inside', '${[\n  "a", # first\n  "b" // second\n]}', ['a', 'b']],
  ])('%s', (_name, template, expected) => {
    expect(js(template, { env: 'prod', flag: true, list: ['a', 'b'], objs: [{ name: 'x' }, { name: 'y' }], map: { one: 1 }, nums: [3, 9, 1] })).toEqual(expected);
  });

  test('heredocs, including the indented form', () => {
    expect(toJson(evaluate(parseExpression('<<-EOT\n    hello\n      world\n    EOT\n'), { scope: scope() }))).toBe('hello\n  world\n');
  });

  test('syntax errors are HclSyntaxError, never a crash', () => {
    for (const bad of ['${', '${1 +}', '${[1, 2}', '%{ if true }x', '${"unterminated}', '${a ? b}']) {
      expect(() => parseTemplate(bad)).toThrow(HclSyntaxError);
    }
  });
});

describe('unknown values', () => {
  test('a missing variable is Unknown with its name as the reason', () => {
    const v = run('${var.runtime}');
    expect(v).toMatchObject({ kind: 'unknown', reason: 'var.runtime (no value given)' });
  });

  test('unknown flows through templates, operators and conditionals', () => {
    expect(run('ruby${var.version}')).toMatchObject({ kind: 'unknown', reason: 'var.version (no value given)' });
    expect(run('${var.x + 1}').kind).toBe('unknown');
    expect(run('${var.cond ? "a" : "b"}')).toMatchObject({ kind: 'unknown' });
  });

  test('a conditional whose branches agree is known even with an unknown condition', () => {
    expect(toJson(run('${var.cond ? "same" : "same"}'))).toBe('same');
  });

  test('false && unknown and true || unknown are decided', () => {
    expect(toJson(run('${false && var.x}'))).toBe(false);
    expect(toJson(run('${true || var.x}'))).toBe(true);
  });

  test('a missing attribute is invalid, so try() falls back', () => {
    const v = run('${var.obj.nope}', { obj: obj({ a: str('1') }) });
    expect(v).toMatchObject({ kind: 'unknown', invalid: true });
  });
});

describe('marks', () => {
  test('literals carry the origin of the attribute they are written in', () => {
    const pointer = hclPointer('/x/main.tf', ['locals', 'rt']);
    const v = evaluate(parseTemplate('python3.12'), { scope: scope(), origin: { pointer, via: 'local "rt"' } });
    expect(v.marks?.origin?.pointer).toBe(pointer);
  });

  test('a value supplied elsewhere keeps its origin through a variable', () => {
    const origin = { pointer: hclPointer('/x/terraform.tfvars', ['runtime']), via: 'terraform.tfvars' };
    const v = run('${var.runtime}', { runtime: str('python3.12', { origin }) });
    expect(v.marks?.origin).toBe(origin);
  });

  test('reading a resource attribute records the reference', () => {
    const v = run('${aws_lambda_function.api.invoke_arn}');
    expect(v.kind).toBe('unknown');
    expect(collectRefs(v)).toEqual([{ address: 'aws_lambda_function.api', attribute: ['invoke_arn'] }]);
  });

  test('a known resource attribute is returned with the reference', () => {
    const v = run('arn:aws:lambda:eu-west-2:1:function:${aws_lambda_function.api.function_name}');
    expect(toJson(v)).toBe('arn:aws:lambda:eu-west-2:1:function:fn-api');
    expect(collectRefs(v).map((r) => r.address)).toEqual(['aws_lambda_function.api']);
  });

  test('references survive collections and for expressions', () => {
    const v = run('${[for n in ["a", "b"] : aws_lambda_function.api.arn]}');
    expect(collectRefs(v).length).toBe(2);
    expect(show(v)).toContain('known after apply');
  });
});
