import { callFunction, isKnownFunction, type FunctionContext } from '../src/eval/functions';
import {
  bool, collectRefs, fromJson, invalid, list, NULL, num, obj, refKey, str, toJson, unknown,
  type Marks, type ObjectValue, type Origin, type Value,
} from '../src/model/value';

const FILES: Record<string, string> = {
  '/mod/a.txt': 'hello\n',
  '/mod/t.tpl': 'Hi ${name}',
  '/mod/bin.zip': 'PK\ufffd\ufffd',
};
const ctx: FunctionContext = {
  baseDir: '/mod',
  readFile: (p) => FILES[p],
  renderTemplate: (t, vars, origin) => str(`rendered(${t}|${JSON.stringify(toJson(vars))}|${origin})`),
};

/** Plain JS → Value; Values pass through, also nested (so tables can mix both). */
function V(x: unknown): Value {
  if (isValue(x)) return x;
  if (Array.isArray(x)) return list(x.map(V));
  if (x !== null && typeof x === 'object') return obj(new Map(Object.entries(x).map(([k, e]) => [k, V(e)])));
  return fromJson(x);
}
function isValue(x: unknown): x is Value {
  return typeof x === 'object' && x !== null && 'kind' in x && typeof (x as { kind: unknown }).kind === 'string'
    && ['unknown', 'null', 'string', 'number', 'bool', 'list', 'object'].includes((x as { kind: string }).kind);
}
const call = (name: string, ...args: unknown[]): Value => callFunction(name, args.map(V), ctx);
const refsOf = (v: Value): string[] => [...new Set(collectRefs(v).map(refKey))].sort();

const U = unknown('var.runtime (no value given)');
const ref = (address: string, attribute: string): Marks => ({ refs: [{ address, attribute: [attribute] }] });
const A = str('arn:aws:lambda:x', ref('aws_x.y', 'arn'));
const B = str('b', ref('aws_b.c', 'id'));

// ---------------------------------------------------------------- known results

type Case = [name: string, args: unknown[], expected: unknown];
const KNOWN: Case[] = [
  // format
  ['format', ['Hello, %s!', 'Ander'], 'Hello, Ander!'],
  ['format', ['There are %d lights', 4], 'There are 4 lights'],
  ['format', ['%s.amazonaws.com', 'apigateway'], 'apigateway.amazonaws.com'],
  ['format', ['%#v', { a: 1 }], '{"a":1}'],
  ['format', ['%#v', 'hello'], '"hello"'],
  ['format', ['%v|%v|%v|%v', 1000000, 1.5, true, null], '1e+06|1.5|true|null'],
  ['format', ['%v', [1, 'a']], '[1,"a"]'],
  ['format', ['%5.2f|%-6d|%06.1f', 3.14159, 42, -2.5], ' 3.14|42    |-002.5'],
  ['format', ['%x %X %o %b %#x %05d', 255, 255, 8, 5, 255, -42], 'ff FF 10 101 0xff -0042'],
  ['format', ['%e|%E|%.2e', 1000, 1000, 123456], '1.000000e+03|1.000000E+03|1.23e+05'],
  ['format', ['%g %g %.3g %g', 1000, '0.00000000000000000000001', 3.14159, 0.5], '1000 1e-23 3.14 0.5'],
  ['format', ['%f', '1.06'], '1.060000'],
  // Go rounds the exact binary value, halves to even.
  ['format', ['%.0f %.0f %.2f %.1e %.2f', 2.5, 3.5, 0.125, 1.25, 0.009], '2 4 0.12 1.2e+00 0.01'],
  ['format', ['%f|%.3g|%g', 1e22, 0, 123456789], '10000000000000000000000.000000|0|1.23456789e+08'],
  ['format', ['%q', 'a"b\n'], '"a\\"b\\n"'],
  ['format', ['%t %t', 'false', true], 'false true'],
  ['format', ['%[2]s %[1]s %s', 'a', 'b'], 'b a b'],
  ['format', ['100%%'], '100%'],
  ['format', ['%10s|%-10s|%.2s|%4.2s', 'hello', 'hello', 'hello', 'hello'], '     hello|hello     |he|  he'],
  ['format', ['%4s|', '💃🏿'], '   💃🏿|'],
  ['format', ['%+d % d %s %s', 5, 5, 1.5, 10], '+5  5 1.5 10'],
  ['format', ['%s', 1e21], '1000000000000000000000'],
  ['format', ['%d', '12'], '12'],
  ['formatlist', ['%s-%s', ['a', 'b'], 'x'], ['a-x', 'b-x']],
  ['formatlist', ['Hello, %s!', ['Valentina', 'Ander']], ['Hello, Valentina!', 'Hello, Ander!']],
  ['formatlist', ['%s', []], []],
  ['formatlist', ['plain'], ['plain']],
  // strings
  ['lower', ['HELLO'], 'hello'],
  ['upper', ['hello'], 'HELLO'],
  ['title', ['hello world'], 'Hello World'],
  ['title', ["they're here"], "They'Re Here"],
  ['strrev', ['hello'], 'olleh'],
  ['replace', ['1 + 2 + 3', '+', '-'], '1 - 2 - 3'],
  ['replace', ['hello world', '/w.*d/', 'everybody'], 'hello everybody'],
  ['replace', ['abc', '/(b)/', '[$1]'], 'a[b]c'],
  ['replace', ['abc', '/(?P<x>b)/', '${x}${x}'], 'abbc'],
  ['replace', ['abc', '/b*/', '-'], '-a-c-'],
  ['replace', ['a.b.c', '.', ''], 'abc'],
  ['replace', ['abc', '', '-'], '-a-b-c-'],
  ['replace', ['python3.8', '/^python(\\d)\\.(\\d+)$/', 'py$1$2 $$'], 'py38 $'],
  ['split', [',', 'a,b,c'], ['a', 'b', 'c']],
  ['split', [',', ''], ['']],
  ['join', ['-', ['a', 'b'], ['c']], 'a-b-c'],
  ['join', [',', [1, true]], '1,true'],
  ['trimspace', ['  hello\n\t'], 'hello'],
  ['trim', ['?!hello?!', '!?'], 'hello'],
  ['trimprefix', ['helloworld', 'hello'], 'world'],
  ['trimprefix', ['helloworld', 'x'], 'helloworld'],
  ['trimsuffix', ['helloworld', 'world'], 'hello'],
  ['substr', ['hello world', 1, 4], 'ello'],
  ['substr', ['hello', -3, -1], 'llo'],
  ['substr', ['hello', 10, 2], ''],
  ['substr', ['🤔🤷', 0, 1], '🤔'],
  ['startswith', ['hello', 'he'], true],
  ['endswith', ['hello', 'he'], false],
  ['strcontains', ['hello', 'll'], true],
  ['chomp', ['hello\n\n'], 'hello'],
  ['chomp', ['hello\r\n'], 'hello'],
  ['indent', [2, 'a\nb\n'], 'a\n  b\n  '],
  ['regex', ['[a-z]+', '53453453.345345aaabbbccc23454'], 'aaabbbccc'],
  ['regex', ['(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)', '2019-02-01'], ['2019', '02', '01']],
  ['regex', ['^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?', 'https://terraform.io/docs/'], { scheme: 'https', authority: 'terraform.io' }],
  ['regex', ['(?i)ABC', 'xabc'], 'abc'],
  ['regex', ['[[:digit:]]+', 'ab12'], '12'],
  ['regex', ['a{', 'xa{'], 'a{'],
  ['regex', ['\\Aab\\z', 'ab'], 'ab'],
  ['regex', ['a(b)?', 'a'], [null]],
  ['regex', ['^ruby\\d\\.\\d+$', 'ruby3.3'], 'ruby3.3'],
  ['regex', ['\\p{Greek}+', 'abc αβγ'], 'αβγ'],
  ['regex', ['a.c', 'a\nc abc'], 'abc'],
  ['regexall', ['[a-z]+', '1234abcd5678efgh9'], ['abcd', 'efgh']],
  ['regexall', ['[a-z]+', '1234'], []],
  ['regexall', ['b*', 'abc'], ['', 'b', '']],
  // collections
  ['length', ['héllo'], 5],
  ['length', ['💃🏿'], 1],
  ['length', [[1, 2]], 2],
  ['length', [{ a: 1 }], 1],
  ['lookup', [{ a: 'x' }, 'a'], 'x'],
  ['lookup', [{ a: 'x' }, 'b', 'dflt'], 'dflt'],
  ['merge', [{ a: 1, b: 2 }, { b: 3 }, null], { a: 1, b: 3 }],
  ['merge', [], {}],
  ['concat', [[1], [2, 3]], [1, 2, 3]],
  ['coalesce', [null, '', 'a'], 'a'],
  ['coalesce', [null, 1], 1],
  ['coalesce', ['', 1], '1'],
  ['coalescelist', [[], ['a']], ['a']],
  ['element', [['a', 'b', 'c'], 4], 'b'],
  ['index', [['a', 'b', 'c'], 'b'], 1],
  ['contains', [['a', 'b'], 'b'], true],
  ['contains', [[], 'x'], false],
  ['contains', [['1'], 1], false],
  ['keys', [{ b: 1, a: 2 }], ['a', 'b']],
  ['values', [{ b: 1, a: 2 }], [2, 1]],
  ['flatten', [[['a', 'b'], [], ['c']]], ['a', 'b', 'c']],
  ['flatten', [[[['a']], 'b']], ['a', 'b']],
  ['distinct', [['a', 'b', 'a', 'c', 'd', 'b']], ['a', 'b', 'c', 'd']],
  ['compact', [['a', '', null, 'b']], ['a', 'b']],
  ['zipmap', [['a', 'b'], [1, 2]], { a: 1, b: 2 }],
  ['slice', [['a', 'b', 'c', 'd'], 1, 3], ['b', 'c']],
  ['reverse', [[1, 2, 3]], [3, 2, 1]],
  ['sort', [['e', 'd', 'a', 'x']], ['a', 'd', 'e', 'x']],
  ['sort', [[10, 9]], ['10', '9']],
  ['range', [3], [0, 1, 2]],
  ['range', [1, 4], [1, 2, 3]],
  ['range', [1, 8, 2], [1, 3, 5, 7]],
  ['range', [4, 1], [4, 3, 2]],
  ['range', [0], []],
  ['one', [[]], null],
  ['one', [['a']], 'a'],
  ['alltrue', [[true, 'true']], true],
  ['alltrue', [[]], true],
  ['anytrue', [[false, true]], true],
  ['anytrue', [[]], false],
  ['chunklist', [['a', 'b', 'c', 'd', 'e'], 2], [['a', 'b'], ['c', 'd'], ['e']]],
  ['chunklist', [[1, 2], 0], [[1, 2]]],
  ['transpose', [{ a: ['1', '2'], b: ['2', '3'] }], { 1: ['a'], 2: ['a', 'b'], 3: ['b'] }],
  ['matchkeys', [['i-123', 'i-abc', 'i-def'], ['us-west', 'us-east', 'us-east'], ['us-east']], ['i-abc', 'i-def']],
  ['sum', [[10, 13, 6, 4.5]], 33.5],
  // sets
  ['toset', [['c', 'b', 'b']], ['b', 'c']],
  ['toset', [['a', 1]], ['1', 'a']],
  ['toset', [[3, 1, 3]], [1, 3]],
  ['setunion', [['a', 'b'], ['b', 'c'], ['d']], ['a', 'b', 'c', 'd']],
  ['setintersection', [['a', 'b'], ['b', 'c'], ['b', 'd']], ['b']],
  ['setsubtract', [['a', 'b', 'c'], ['a', 'c']], ['b']],
  ['setproduct', [['dev', 'staging'], ['a', 'b']], [['dev', 'a'], ['dev', 'b'], ['staging', 'a'], ['staging', 'b']]],
  // numbers
  ['min', [12, 54, 3], 3],
  ['max', [12, 54, '3'], 54],
  ['abs', [-12.4], 12.4],
  ['ceil', [4.1], 5],
  ['floor', [4.9], 4],
  ['signum', [-13], -1],
  ['pow', [3, 2], 9],
  ['log', [16, 2], 4],
  ['parseint', ['100', 10], 100],
  ['parseint', ['FF', 16], 255],
  ['parseint', ['-10', 2], -2],
  ['parseint', ['zz', 36], 1295],
  // conversions
  ['tolist', [['a', 1]], ['a', '1']],
  ['tomap', [{ a: 1, b: 'x' }], { a: '1', b: 'x' }],
  ['tostring', [1.5], '1.5'],
  ['tostring', [null], null],
  ['tonumber', ['42'], 42],
  ['tobool', ['true'], true],
  // encoding
  ['jsonencode', [{ b: 1, a: ['x', true, null], c: '<&>' }], '{"a":["x",true,null],"b":1,"c":"\\u003c\\u0026\\u003e"}'],
  ['jsonencode', [0.1], '0.1'],
  ['jsondecode', ['{"a":[1,2],"b":null}'], { a: [1, 2], b: null }],
  ['base64encode', ['Hello World'], 'SGVsbG8gV29ybGQ='],
  ['base64decode', ['SGVsbG8gV29ybGQ='], 'Hello World'],
  ['textencodebase64', ['Hello World', 'UTF-16LE'], 'SABlAGwAbABvACAAVwBvAHIAbABkAA=='],
  ['textdecodebase64', ['SABlAGwAbABvACAAVwBvAHIAbABkAA==', 'UTF-16LE'], 'Hello World'],
  ['urlencode', ['Hello World!'], 'Hello+World%21'],
  ['urlencode', ['☃'], '%E2%98%83'],
  ['urlencode', ['foo:bar@localhost?foo=bar&bar=baz'], 'foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz'],
  ['csvdecode', ['a,b,c\n1,2,3\n"4,x",5,"6 ""q"""\n'], [{ a: '1', b: '2', c: '3' }, { a: '4,x', b: '5', c: '6 "q"' }]],
  ['md5', ['hello world'], '5eb63bbbe01eeed093cb22bb8f5acdc3'],
  ['sha1', ['hello world'], '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed'],
  ['sha256', ['hello world'], 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9'],
  ['base64sha256', ['hello world'], 'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek='],
  ['uuidv5', ['dns', 'www.terraform.io'], 'a5008fae-b28c-5ba5-96cd-82b4c53552d6'],
  ['uuidv5', ['url', 'https://www.terraform.io/'], '9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5'],
  ['uuidv5', ['6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.terraform.io'], 'a5008fae-b28c-5ba5-96cd-82b4c53552d6'],
  // network
  ['cidrhost', ['10.12.112.0/20', 16], '10.12.112.16'],
  ['cidrhost', ['10.12.112.0/20', 268], '10.12.113.12'],
  ['cidrhost', ['10.0.0.0/24', -1], '10.0.0.255'],
  ['cidrhost', ['fd00:fd12:3456:7890:00a2::/72', 34], 'fd00:fd12:3456:7890::22'],
  ['cidrnetmask', ['172.16.0.0/12'], '255.240.0.0'],
  ['cidrsubnet', ['172.16.0.0/12', 4, 2], '172.18.0.0/16'],
  ['cidrsubnet', ['10.1.2.0/24', 4, 15], '10.1.2.240/28'],
  ['cidrsubnet', ['fd00:fd12:3456:7890::/56', 16, 162], 'fd00:fd12:3456:7800:a200::/72'],
  ['cidrsubnets', ['10.1.0.0/16', 4, 4, 8, 4], ['10.1.0.0/20', '10.1.16.0/20', '10.1.32.0/24', '10.1.48.0/20']],
  ['cidrsubnets', ['fd00:fd12:3456:7890::/56', 16, 16, 16, 32],
    ['fd00:fd12:3456:7800::/72', 'fd00:fd12:3456:7800:100::/72', 'fd00:fd12:3456:7800:200::/72', 'fd00:fd12:3456:7800:300::/88']],
  // files (relative to ctx.baseDir)
  ['file', ['a.txt'], 'hello\n'],
  ['file', ['/mod/a.txt'], 'hello\n'],
  ['fileexists', ['a.txt'], true],
  ['fileexists', ['nope.txt'], false],
  ['filebase64', ['a.txt'], 'aGVsbG8K'],
  ['filemd5', ['a.txt'], 'b1946ac92492d2347c6235b4d2611184'],
  ['templatefile', ['t.tpl', { name: 'x' }], 'rendered(Hi ${name}|{"name":"x"}|/mod/t.tpl)'],
  ['templatestring', ['Hi ${name}', { name: 'x' }], 'rendered(Hi ${name}|{"name":"x"}|templatestring())'],
  ['basename', ['foo/bar/baz.txt'], 'baz.txt'],
  ['basename', ['foo/bar/'], 'bar'],
  ['basename', [''], '.'],
  ['dirname', ['foo/bar/baz.txt'], 'foo/bar'],
  ['dirname', ['foo'], '.'],
  ['dirname', ['/foo'], '/'],
  ['abspath', ['/a/../b/'], '/b'],
  ['pathexpand', ['/etc/hosts'], '/etc/hosts'],
  // names
  ['core::upper', ['a'], 'A'],
];

describe('known results', () => {
  test.each(KNOWN)('%s(%j)', (name, args, expected) => {
    const r = call(name, ...args);
    if (r.kind === 'unknown') throw new Error(`unexpected unknown: ${r.reason}`);
    expect(toJson(r)).toEqual(expected);
  });
});

// ---------------------------------------------------------------- yaml

describe('yamldecode', () => {
  const cases: [string, unknown][] = [
    ['a: 1\nb: hello\nc: true\nd: ~\n', { a: 1, b: 'hello', c: true, d: null }],
    ['- a\n- b\n', ['a', 'b']],
    ['hello', 'hello'],
    ['', null],
    ['---\n', null],
    ['--- 5\n...\n', 5],
    ['x: yes\nw: off\nz: "yes"\n', { x: true, w: false, z: 'yes' }],
    // YAML 1.1 reads the key `y` as true, and Terraform turns that key into "true".
    ['y: 1\n', { true: 1 }],
    ['a: 0x1F\nb: 1_000\nc: 0755\nd: .5\ne: 1e3\nf: 2001-12-14\n', { a: '0x1F', b: 1000, c: 755, d: 0.5, e: 1000, f: '2001-12-14T00:00:00Z' }],
    ['Statement:\n- Effect: Allow\n  Action:\n  - "s3:GetObject"\n  - rds-db:connect\n  Resource: "*"\n',
      { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 'rds-db:connect'], Resource: '*' }] }],
    ['a:\n  b:\n    c: [1, "two", {d: e}]\n  f: {g: h, i: [j]}\n', { a: { b: { c: [1, 'two', { d: 'e' }] }, f: { g: 'h', i: ['j'] } } }],
    ['# comment\na: 1 # trailing\n\nb: "x # not a comment"\n', { a: 1, b: 'x # not a comment' }],
    ["a: 'it''s'\nb: \"tab\\there \\u00e9\"\n", { a: "it's", b: 'tab\there é' }],
    ['lit: |\n  line1\n  line2\nfold: >\n  a\n  b\n\n  c\nstrip: |-\n  x\nkeep: |+\n  y\n\nz: 1\n',
      { lit: 'line1\nline2\n', fold: 'a b\nc\n', strip: 'x', keep: 'y\n\n', z: 1 }],
    ['base: &b\n  p: 1\n  q: 2\nderived:\n  <<: *b\n  q: 3\nref: *b\n', { base: { p: 1, q: 2 }, derived: { p: 1, q: 3 }, ref: { p: 1, q: 2 } }],
    ['- - a\n  - b\n- c: 1\n  d: 2\n', [['a', 'b'], { c: 1, d: 2 }]],
    ['a: !!str 123\nb: !!int "7"\n', { a: '123', b: 7 }],
    ['key: this is\n  a long\n  plain scalar\nnext: 1\n', { key: 'this is a long plain scalar', next: 1 }],
    ['"quoted key": 1\n? ', undefined],
    ['{"json": [1, 2.5, null, true]}', { json: [1, 2.5, null, true] }],
    ['a: 1\r\nb:\r\n  - x\r\n', { a: 1, b: ['x'] }],
    ['%YAML 1.2\n---\nk: |\n  last', { k: 'last\n' }],
    ['a:\nb: 1\n', { a: null, b: 1 }],
    ['url: http://x.y/z\ntime: 12:30\n', { url: 'http://x.y/z', time: '12:30' }],
  ];
  test.each(cases)('%j', (text, expected) => {
    const r = call('yamldecode', text);
    if (expected === undefined) { expect(r).toMatchObject({ kind: 'unknown', invalid: true }); return; }
    if (r.kind === 'unknown') throw new Error(r.reason);
    expect(toJson(r)).toEqual(expected);
  });

  test.each([
    ['a: b: c\n', 'mapping values are not allowed'],
    ['a: 1\n---\nb: 2\n', 'only one YAML document'],
    ['a: !Ref x\n', 'unsupported tag'],
    ['a: [1, 2\n', 'expected'],
    ['a: "unterminated\n', 'unterminated'],
    ['a: *nope\n', 'unknown anchor'],
    ['a: .nan\n', 'NaN'],
  ])('rejects %j', (text, message) => {
    const r = call('yamldecode', text);
    expect(r).toMatchObject({ kind: 'unknown', invalid: true });
    expect((r as { reason: string }).reason).toContain(message);
    expect((r as { reason: string }).reason.startsWith('yamldecode(): ')).toBe(true);
  });

  test('alias bombs are refused, not expanded', () => {
    let doc = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++) doc += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    expect(call('yamldecode', doc)).toMatchObject({ kind: 'unknown', invalid: true });
  });
});

describe('yamlencode', () => {
  test.each([
    [{ a: 'b', c: 'd' }, '"a": "b"\n"c": "d"\n'],
    [{ foo: [1, 2, 3], bar: 'baz' }, '"bar": "baz"\n"foo":\n- 1\n- 2\n- 3\n'],
    [{ foo: [1, { a: 'b', c: 'd' }, 3], bar: 'baz' }, '"bar": "baz"\n"foo":\n- 1\n- "a": "b"\n  "c": "d"\n- 3\n'],
    [{ a: { b: true, c: null } }, '"a":\n  "b": true\n  "c": null\n'],
    [[['a', 'b'], []], '- - "a"\n  - "b"\n- []\n'],
    [{ s: 'line1\nline2' }, '"s": |-\n  line1\n  line2\n'],
    ['true', '"true"\n'],
    [true, 'true\n...\n'],
    [{}, '{}\n'],
  ])('%j', (value, expected) => {
    expect(toJson(call('yamlencode', value))).toBe(expected);
  });

  test('round trip', () => {
    const value = { list: ['a', 1, true, null, { nested: 'x: y # z' }], text: 'multi\nline\n', empty: [] };
    const encoded = call('yamlencode', value);
    expect(toJson(call('yamldecode', encoded))).toEqual(value);
  });
});

// ---------------------------------------------------------------- bad input

const INVALID: [string, unknown[], string][] = [
  ['format', ['%s'], 'not enough arguments'],
  ['format', ['%d', 1.5], 'whole number'],
  ['format', ['%d', true], 'must be a number'],
  ['format', ['%z', 1], 'unsupported format verb'],
  ['format', ['x', 1], 'too many arguments'],
  ['format', ['%s', null], 'null value cannot be formatted'],
  ['format', ['%s', [1]], 'must be a string'],
  ['format', ['%☠'], 'unrecognized format character'],
  ['formatlist', ['%s %s', ['a'], ['b', 'c']], 'inconsistent'],
  ['lookup', [{ a: 1 }, 'b'], 'lookup failed to find key "b"'],
  ['lookup', [['a'], 'b'], 'must be a map or object'],
  ['coalesce', [null, ''], 'no non-null'],
  ['coalescelist', [[], null], 'no non-null'],
  ['element', [[], 0], 'empty list'],
  ['element', [['a'], -1], 'negative index'],
  ['index', [['a'], 'z'], 'item not found'],
  ['length', [5], 'must be a string, a collection'],
  ['length', [null], 'must not be null'],
  ['merge', [{ a: 1 }, ['x']], 'must be a map or object'],
  ['concat', [['a'], 'b'], 'must be a list'],
  ['zipmap', [['a'], []], 'does not match'],
  ['slice', [[1], 0, 5], 'end index'],
  ['one', [[1, 2]], 'either zero or one'],
  ['range', [1, 2, 0], 'step must not be zero'],
  ['range', [2000], 'more than 1024'],
  ['sum', [[]], 'empty list'],
  ['parseint', ['12', 2], 'cannot parse'],
  ['parseint', ['1', 99], 'between 2 and 62'],
  ['tonumber', ['x'], 'cannot convert "x" to number'],
  ['tostring', [[1]], 'cannot convert list to string'],
  ['jsondecode', ['{'], 'invalid JSON'],
  ['jsonencode', [Infinity], 'infinite'],
  ['base64decode', ['###'], 'illegal base64'],
  ['base64decode', ['/w=='], 'not valid UTF-8'],
  ['regex', ['x', 'y'], 'did not match'],
  ['regex', ['(?P<a>x)(y)', 'xy'], 'cannot mix'],
  ['regex', ['(', 'x'], 'invalid regexp pattern'],
  ['replace', ['a', '/\\8/', 'b'], 'invalid escape'],
  ['cidrhost', ['10.0.0.0/30', 5], 'does not accommodate a host'],
  ['cidrhost', ['not-a-cidr', 1], 'invalid CIDR'],
  ['cidrsubnet', ['10.0.0.0/30', 4, 0], 'insufficient address space'],
  ['cidrsubnet', ['10.0.0.0/16', 4, 16], 'does not accommodate a subnet'],
  ['cidrsubnets', ['10.0.0.0/24', 1, 1, 1], 'not enough remaining address space'],
  ['cidrnetmask', ['fd00::/8'], 'IPv6'],
  ['csvdecode', ['a,b\n1\n'], 'wrong number of fields'],
  ['upper', [], 'expects 1 argument, got 0'],
  ['upper', ['a', 'b'], 'expects 1 argument, got 2'],
  ['join', [','], 'expects at least 2 arguments'],
  ['upper', [[1]], 'must be a string'],
  ['uuidv5', ['nope', 'x'], 'namespace'],
];

describe('bad input becomes an invalid value named after the function', () => {
  test.each(INVALID)('%s(%j)', (name, args, message) => {
    const r = call(name, ...args);
    expect(r).toMatchObject({ kind: 'unknown', invalid: true });
    const reason = (r as { reason: string }).reason;
    expect(reason.startsWith(`${name}(): `)).toBe(true);
    expect(reason).toContain(message);
  });
});

// ---------------------------------------------------------------- not evaluated

describe('what cannot be known is Unknown (not invalid)', () => {
  test.each([
    ['uuid', [], 'uuid()'],
    ['timestamp', [], 'timestamp()'],
    ['bcrypt', ['x'], 'bcrypt()'],
    ['type', [1], 'type()'],
    ['provider::aws::arn_parse', ['arn:aws:s3:::b'], 'function provider::aws::arn_parse() is not evaluated'],
    ['formatdate', ['YYYY', '2020-01-01T00:00:00Z'], 'function formatdate() is not evaluated'],
    ['file', ['missing.txt'], 'missing.txt (file could not be read)'],
    ['filebase64', ['bin.zip'], 'binary file contents are not evaluated'],
    ['file', ['~/secret'], 'home directory'],
    ['abspath', ['relative'], 'working directory'],
    ['pathexpand', ['~/.ssh'], 'home directory'],
    ['regex', ['(?U)a+', 'aaa'], 'ungreedy'],
    ['regex', ['a(?i:b)', 'ab'], 'flags inside the pattern'],
    ['textencodebase64', ['x', 'SHIFT-JIS'], 'not evaluated'],
  ])('%s', (name, args, reason) => {
    const r = call(name, ...args);
    expect(r.kind).toBe('unknown');
    expect((r as { invalid?: boolean }).invalid).toBeUndefined();
    expect((r as { reason: string }).reason).toContain(reason);
  });

  test('isKnownFunction', () => {
    expect(isKnownFunction('format')).toBe(true);
    expect(isKnownFunction('core::format')).toBe(true);
    expect(isKnownFunction('uuid')).toBe(true);
    expect(isKnownFunction('try')).toBe(false);
    expect(isKnownFunction('can')).toBe(false);
    expect(isKnownFunction('provider::aws::arn_parse')).toBe(false);
    expect(isKnownFunction('nosuchfunction')).toBe(false);
  });
});

// ---------------------------------------------------------------- unknown propagation

describe('unknown propagation', () => {
  const reasonOf = (v: Value): string | undefined => (v.kind === 'unknown' ? v.reason : undefined);

  test('a result that depends on an unknown reuses its reason', () => {
    for (const r of [call('upper', U), call('format', '%s', U), call('format', '%v', [U]), call('jsonencode', { a: U }),
      call('merge', { a: 1 }, U), call('length', U), call('lookup', U, 'a'), call('tolist', U), call('compact', ['a', U]),
      call('flatten', [['a'], U]), call('distinct', ['a', U]), call('contains', ['a'], U), call('templatefile', U, {})]) {
      expect(reasonOf(r)).toBe('var.runtime (no value given)');
      expect((r as { invalid?: boolean }).invalid).toBeUndefined();
    }
  });

  test('an invalid argument keeps the result invalid (so try() skips it)', () => {
    const bad = invalid('object has no attribute "x"');
    expect(call('upper', bad)).toMatchObject({ kind: 'unknown', invalid: true, reason: 'object has no attribute "x"' });
    expect(call('format', '%s %s', U, bad)).toMatchObject({ invalid: true });
  });

  test('known where Terraform knows', () => {
    expect(toJson(call('length', ['a', U]))).toBe(2);
    const merged = call('merge', { a: 1 }, { b: U });
    expect(merged.kind).toBe('object');
    expect((merged as ObjectValue).entries.get('b')).toBe(U);
    expect(toJson(call('lookup', { a: 'x', b: U }, 'a', 'd'))).toBe('x');
    expect(call('lookup', { a: U }, 'a')).toBe(U);
    expect(toJson(call('coalesce', null, '', 'a', U))).toBe('a');
    expect(reasonOf(call('coalesce', null, U, 'a'))).toBe(U.reason);
    expect(toJson(call('coalesce', 'x', U))).toBe('x');
    const concat = call('concat', ['a'], [U]);
    expect(concat.kind === 'list' && concat.items[1]).toBe(U);
    expect(toJson(call('contains', ['a', U], 'a'))).toBe(true);
    expect(reasonOf(call('contains', ['b', U], 'a'))).toBe(U.reason);
    expect(toJson(call('element', [U, 'b'], 1))).toBe('b');
    expect(toJson(call('keys', { a: U }))).toEqual(['a']);
    expect(toJson(call('alltrue', [false, U]))).toBe(false);
    expect(reasonOf(call('alltrue', [true, U]))).toBe(U.reason);
    expect(toJson(call('anytrue', [true, U]))).toBe(true);
    const fl = call('formatlist', '%s!', ['a', U]);
    expect(fl.kind === 'list' && fl.items.map((i) => i.kind)).toEqual(['string', 'unknown']);
    const set = call('toset', ['b', U, 'a']);
    expect(set.kind === 'list' && set.items.map((i) => (i.kind === 'string' ? i.value : i.kind))).toEqual(['a', 'b', 'unknown']);
    const zm = call('zipmap', ['a'], [U]);
    expect(zm.kind === 'object' && zm.entries.get('a')).toBe(U);
    expect(toJson(call('one', [U]))).toBeUndefined();
    expect(call('one', [U])).toBe(U);
  });
});

// ---------------------------------------------------------------- marks

describe('marks', () => {
  const M = obj({ k: str('v') }, ref('module.m', 'out'));

  test('derived values carry the refs of their inputs', () => {
    expect(refsOf(call('format', '%s/*', A))).toEqual(['aws_x.y.arn']);
    expect(refsOf(call('upper', A))).toEqual(['aws_x.y.arn']);
    expect(refsOf(call('join', ',', [A, B]))).toEqual(['aws_b.c.id', 'aws_x.y.arn']);
    expect(refsOf(call('jsonencode', { a: A }))).toEqual(['aws_x.y.arn']);
    expect(refsOf(call('replace', A, 'x', 'y'))).toEqual(['aws_x.y.arn']);
    expect(refsOf(call('length', list([A], ref('aws_l.l', 'ids'))))).toEqual(['aws_l.l.ids']);
  });

  test('functions that return an input return it with its marks', () => {
    expect(call('coalesce', null, '', A)).toBe(A);
    expect(call('nonsensitive', A)).toBe(A);
    expect(call('sensitive', A)).toBe(A);
    expect(call('lookup', { k: A }, 'k')).toBe(A);
    expect(call('element', [A, B], 0)).toBe(A);
    expect(call('one', [A])).toBe(A);
    const tl = call('tolist', [A]);
    expect(tl.kind === 'list' && tl.items[0]).toBe(A);
  });

  test('items keep their own marks, not their siblings\'', () => {
    expect(refsOf(call('element', [A, B], 1))).toEqual(['aws_b.c.id']);
    const merged = call('merge', { a: A }, { b: B }) as ObjectValue;
    expect(refsOf(merged.entries.get('a')!)).toEqual(['aws_x.y.arn']);
    expect(refsOf(merged.entries.get('b')!)).toEqual(['aws_b.c.id']);
    const concat = call('concat', [A], [B]);
    expect(concat.kind === 'list' && refsOf(concat.items[0])).toEqual(['aws_x.y.arn']);
    for (const name of ['flatten', 'distinct', 'reverse', 'toset', 'compact', 'setunion']) {
      const r = call(name, name === 'flatten' ? [[A]] : [A]);
      expect(r.kind === 'list' && refsOf(r.items[0])).toEqual(['aws_x.y.arn']);
    }
    const vals = call('values', { a: A, b: B });
    expect(vals.kind === 'list' && vals.items.map(refsOf)).toEqual([['aws_x.y.arn'], ['aws_b.c.id']]);
  });

  test('an item taken from a marked container also carries the container\'s refs', () => {
    expect(refsOf(call('lookup', M, 'k'))).toEqual(['module.m.out']);
    expect(refsOf(call('values', M))).toEqual(['module.m.out']);
    const l = list([A], ref('aws_l.l', 'ids'));
    expect(refsOf(call('element', l, 0))).toEqual(['aws_l.l.ids', 'aws_x.y.arn']);
  });

  test('an unknown result keeps the refs of what it depends on', () => {
    const UA = unknown('aws_x.y.arn (known after apply)', ref('aws_x.y', 'arn'));
    const r = call('format', 'arn:%s', UA);
    expect(r).toMatchObject({ kind: 'unknown', reason: 'aws_x.y.arn (known after apply)' });
    expect(refsOf(r)).toEqual(['aws_x.y.arn']);
    expect(refsOf(call('provider::aws::arn_parse', A))).toEqual(['aws_x.y.arn']);
  });

  test('a shared literal origin survives a derivation', () => {
    const origin: Origin = { pointer: { file: '/m/main.tf', path: ['resource', 'aws_lambda_permission', 'p', 'principal'], kind: 'hcl' }, via: 'attribute' };
    const r = call('format', str('%s.amazonaws.com', { origin }), str('apigateway', { origin }));
    expect(r.marks?.origin).toBe(origin);
  });

  test('a whole-resource object looked up for a missing attribute is known after apply', () => {
    const res = obj({ function_name: str('f') }, { refs: [{ address: 'aws_lambda_function.f', attribute: [] }] });
    const r = call('lookup', res, 'arn');
    expect(r).toMatchObject({ kind: 'unknown', reason: 'aws_lambda_function.f.arn (known after apply)' });
    expect(refsOf(r)).toEqual(['aws_lambda_function.f.arn']);
  });
});

// ---------------------------------------------------------------- never throws

const ALL = [
  'format', 'formatlist', 'lookup', 'merge', 'concat', 'coalesce', 'coalescelist', 'element', 'contains', 'keys', 'values',
  'length', 'lower', 'upper', 'title', 'replace', 'split', 'join', 'trimspace', 'trim', 'trimprefix', 'trimsuffix', 'substr',
  'startswith', 'endswith', 'strcontains', 'chomp', 'indent', 'regex', 'regexall', 'flatten', 'distinct', 'compact', 'zipmap',
  'slice', 'reverse', 'sort', 'index', 'range', 'min', 'max', 'abs', 'ceil', 'floor', 'signum', 'pow', 'log', 'parseint', 'sum',
  'one', 'alltrue', 'anytrue', 'setunion', 'setintersection', 'setsubtract', 'setproduct', 'chunklist', 'transpose', 'matchkeys',
  'toset', 'tomap', 'tolist', 'tostring', 'tonumber', 'tobool', 'jsonencode', 'jsondecode', 'yamldecode', 'yamlencode',
  'base64encode', 'base64decode', 'md5', 'sha1', 'sha256', 'sha512', 'uuid', 'timestamp', 'bcrypt', 'uuidv5', 'file',
  'fileexists', 'templatefile', 'filebase64', 'basename', 'dirname', 'abspath', 'pathexpand', 'urlencode', 'cidrhost',
  'cidrsubnet', 'cidrsubnets', 'cidrnetmask', 'nonsensitive', 'sensitive', 'type', 'strrev', 'csvdecode', 'textencodebase64',
  'textdecodebase64', 'base64sha256', 'base64sha512', 'filemd5', 'filesha1', 'filesha256', 'filesha512', 'filebase64sha256',
  'filebase64sha512', 'templatestring', 'plantimestamp', 'issensitive', 'ephemeralasnull',
];

describe('never throws', () => {
  test('every listed function is implemented', () => {
    expect(ALL.filter((n) => !isKnownFunction(n))).toEqual([]);
  });

  test('odd arguments give a value, never an exception', () => {
    const pool: Value[] = [
      NULL, str(''), str('x'), str('%'), str('%-999999999d'), str('/(/'), str('10.0.0.0/8'), str('a: [b'), str('../../etc/passwd'),
      num(-1), num(1.5), num(1e300), num(Number.POSITIVE_INFINITY), bool(true), list([]), list([num(1), str('a')]),
      list([list([U])]), obj({}), obj({ a: list([str('b')]) }), U, invalid('bad'),
    ];
    let seed = 7;
    const pick = (): Value => { seed = (seed * 1103515245 + 12345) % 2147483648; return pool[seed % pool.length]; };
    for (const name of ALL) {
      for (let n = 0; n < 80; n++) {
        const args = Array.from({ length: n % 4 }, pick);
        let r: Value | undefined;
        expect(() => { r = callFunction(name, args, ctx); }).not.toThrow();
        expect(['unknown', 'null', 'string', 'number', 'bool', 'list', 'object']).toContain(r!.kind);
      }
    }
  });
});
