/**
 * Syntax tree of HCL expressions and templates. hcl2json (and `.tf.json`) hand us every value as
 * a template string (`"${var.runtime}"`, `"fn-${var.env}"`), so one parser serves both inputs.
 */

export type Expr =
  | { readonly type: 'literal'; readonly value: string | number | boolean | null }
  | { readonly type: 'template'; readonly parts: readonly TemplatePart[] }
  | { readonly type: 'variable'; readonly name: string }
  | { readonly type: 'getattr'; readonly target: Expr; readonly name: string }
  | { readonly type: 'index'; readonly target: Expr; readonly key: Expr }
  /** `x[*].a.b` / `x.*.a`: `each` is applied to every element, with `{type:'splatItem'}` standing for it. */
  | { readonly type: 'splat'; readonly target: Expr; readonly each: Expr }
  | { readonly type: 'splatItem' }
  | { readonly type: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly expandFinal: boolean }
  | { readonly type: 'tuple'; readonly items: readonly Expr[] }
  | { readonly type: 'object'; readonly items: readonly { readonly key: Expr; readonly value: Expr }[] }
  | { readonly type: 'unary'; readonly op: '!' | '-'; readonly operand: Expr }
  | { readonly type: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly type: 'conditional'; readonly cond: Expr; readonly then: Expr; readonly else: Expr }
  | {
      readonly type: 'for';
      readonly keyVar?: string;
      readonly valVar: string;
      readonly collection: Expr;
      /** Object for-expressions have a key expression. */
      readonly keyExpr?: Expr;
      readonly valExpr: Expr;
      readonly cond?: Expr;
      readonly grouped: boolean;
    };

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export type TemplatePart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'interp'; readonly expr: Expr }
  | { readonly type: 'if'; readonly cond: Expr; readonly then: readonly TemplatePart[]; readonly else: readonly TemplatePart[] }
  | { readonly type: 'for'; readonly keyVar?: string; readonly valVar: string; readonly collection: Expr; readonly body: readonly TemplatePart[] };

/** A template that is exactly one interpolation (`"${x}"`) evaluates to x itself, unconverted. */
export function singleInterpolation(t: Expr): Expr | undefined {
  if (t.type === 'template' && t.parts.length === 1 && t.parts[0].type === 'interp') return t.parts[0].expr;
  return undefined;
}

/** Source text of an expression for messages (`var.runtime`, `module.x.out`, `var.a == "b"`),
 *  shortened past a few dozen characters so a reason stays one readable line. */
export function exprText(e: Expr): string {
  const text = render(e, 0);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

const MAX_TEXT = 80;

function render(e: Expr, depth: number): string {
  if (depth > 6) return '…';
  const r = (x: Expr): string => render(x, depth + 1);
  switch (e.type) {
    case 'variable': return e.name;
    case 'getattr': return `${r(e.target)}.${e.name}`;
    case 'index': return `${r(e.target)}[${e.key.type === 'literal' ? JSON.stringify(e.key.value) : r(e.key)}]`;
    case 'splat': return `${r(e.target)}[*]`;
    case 'literal': return JSON.stringify(e.value);
    case 'call': return `${e.name}(${e.args.map(r).join(', ')}${e.expandFinal ? '...' : ''})`;
    case 'template':
      if (e.parts.length === 1 && e.parts[0].type === 'interp') return r(e.parts[0].expr);
      if (e.parts.every((p) => p.type === 'text')) return JSON.stringify(e.parts.map((p) => (p as { text: string }).text).join(''));
      return 'a string template';
    case 'conditional': return `${r(e.cond)} ? … : …`;
    case 'binary': return `${r(e.left)} ${e.op} ${r(e.right)}`;
    case 'unary': return `${e.op}${r(e.operand)}`;
    case 'tuple': return e.items.length ? '[…]' : '[]';
    case 'object': return e.items.length ? '{…}' : '{}';
    case 'for': return `a for expression over ${r(e.collection)}`;
    default: return `a ${e.type} expression`;
  }
}
