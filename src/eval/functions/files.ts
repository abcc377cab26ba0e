/**
 * Filesystem functions. Files are read only through ctx.readFile, relative to the module's
 * directory; a file we cannot read (or that is binary, which ctx.readFile cannot give us
 * byte-exact) makes the result Unknown rather than wrong. Paths in the home directory and
 * the working directory are not evaluated.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { bool, str, unknown, type Value } from '../../model/value';
import {
  asObject, asString, deepMarks, fn, FnError, UnknownPart, type FnTable, type FunctionContext,
} from './support';

function resolvePath(ctx: FunctionContext, p: string): string {
  if (p === '~' || p.startsWith('~/')) throw new UnknownPart(unknown(`${p} (paths in the home directory are not evaluated)`));
  return path.resolve(ctx.baseDir, p);
}

function read(ctx: FunctionContext, p: string, binaryOk: boolean): string {
  const content = ctx.readFile(resolvePath(ctx, p));
  if (content === undefined) throw new UnknownPart(unknown(`${p} (file could not be read)`));
  // A replacement character means the file was not UTF-8 text: its bytes are lost.
  if (content.includes('\ufffd')) {
    if (binaryOk) throw new UnknownPart(unknown(`${p} (binary file contents are not evaluated)`));
    throw new FnError(`contents of ${p} are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to obtain file hashing results instead`);
  }
  return content;
}

function fileHash(alg: string, encoding: 'hex' | 'base64') {
  return fn(1, 1, (args, ctx) => str(createHash(alg).update(read(ctx, asString(args[0], 'path'), true), 'utf8').digest(encoding), deepMarks(...args)));
}

/** Go's filepath.Clean for slash-separated paths. */
function clean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(seg);
  }
  const joined = out.join('/');
  return rooted ? `/${joined}` : joined || '.';
}

function basename(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function dirname(p: string): string {
  return clean(p.slice(0, p.lastIndexOf('/') + 1));
}

function render(ctx: FunctionContext, template: string, vars: Value | undefined, origin: string): Value {
  if (vars && vars.kind !== 'null') asObject(vars, 'vars');
  return ctx.renderTemplate(template, vars ?? { kind: 'object', entries: new Map() }, origin);
}

export const fileFunctions: FnTable = {
  file: fn(1, 1, (args, ctx) => str(read(ctx, asString(args[0], 'path'), false), deepMarks(...args))),
  fileexists: fn(1, 1, (args, ctx) => bool(ctx.readFile(resolvePath(ctx, asString(args[0], 'path'))) !== undefined, deepMarks(...args))),
  filebase64: fn(1, 1, (args, ctx) => str(Buffer.from(read(ctx, asString(args[0], 'path'), true), 'utf8').toString('base64'), deepMarks(...args))),
  filemd5: fileHash('md5', 'hex'),
  filesha1: fileHash('sha1', 'hex'),
  filesha256: fileHash('sha256', 'hex'),
  filesha512: fileHash('sha512', 'hex'),
  filebase64sha256: fileHash('sha256', 'base64'),
  filebase64sha512: fileHash('sha512', 'base64'),
  /** The path must be known; the variables go to the renderer as they are (it handles unknown parts). */
  templatefile: fn(2, 2, (args, ctx) => {
    if (args[0].kind === 'unknown') throw new UnknownPart(args[0]);
    if (args[1].kind === 'unknown') throw new UnknownPart(args[1]);
    const p = asString(args[0], 'path');
    const abs = resolvePath(ctx, p);
    return render(ctx, read(ctx, p, false), args[1], abs);
  }, 'self'),
  templatestring: fn(2, 2, (args, ctx) => {
    if (args[0].kind === 'unknown') throw new UnknownPart(args[0]);
    if (args[1].kind === 'unknown') throw new UnknownPart(args[1]);
    return render(ctx, asString(args[0], 'template'), args[1], 'templatestring()');
  }, 'self'),
  basename: fn(1, 1, (args) => str(basename(asString(args[0], 'path')), deepMarks(...args))),
  dirname: fn(1, 1, (args) => str(dirname(asString(args[0], 'path')), deepMarks(...args))),
  /** Relative paths resolve against the directory Terraform runs in, which we do not know. */
  abspath: fn(1, 1, (args) => {
    const p = asString(args[0], 'path');
    if (!p.startsWith('/')) return unknown(`abspath(${JSON.stringify(p)}) (depends on the working directory)`, deepMarks(...args));
    return str(clean(p), deepMarks(...args));
  }),
  pathexpand: fn(1, 1, (args) => {
    const p = asString(args[0], 'path');
    if (p === '~' || p.startsWith('~/')) return unknown(`pathexpand(${JSON.stringify(p)}) (depends on the home directory)`, deepMarks(...args));
    return args[0].kind === 'string' ? args[0] : str(p, deepMarks(...args));
  }),
};
