/**
 * Encoding functions: JSON (Terraform's: sorted keys, Go's escaping), base64, URL, CSV, text
 * encodings, hashes and UUIDs. Values decided only at apply time (uuid(), timestamp(),
 * bcrypt()) are Unknown.
 */
import { createHash } from 'node:crypto';
import { fromJson, list, obj, str, unknown, type Value } from '../../model/value';
import {
  asString, compareStrings, decidingUnknown, deepMarks, fn, FnError, numToString, propagate, UnknownPart, type FnTable,
} from './support';

/** A JSON string literal as Go's encoding/json writes it (HTML-safe escapes for <, >, &). */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
    }
    if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0xd800 && c <= 0xdfff) out += '\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

/** jsonencode()'s text: compact, object keys sorted. */
export function jsonEncode(v: Value): string {
  switch (v.kind) {
    case 'unknown': throw new UnknownPart(v);
    case 'null': return 'null';
    case 'bool': return String(v.value);
    case 'number':
      if (!Number.isFinite(v.value)) throw new FnError('cannot encode an infinite number as JSON');
      return numToString(v.value);
    case 'string': return goJsonString(v.value);
    case 'list': return `[${v.items.map(jsonEncode).join(',')}]`;
    case 'object': {
      const keys = [...v.entries.keys()].sort(compareStrings);
      return `{${keys.map((k) => `${goJsonString(k)}:${jsonEncode(v.entries.get(k)!)}`).join(',')}}`;
    }
  }
}

function utf8Strict(bytes: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FnError(`the result of decoding ${what} is not valid UTF-8`);
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeBase64(s: string): Buffer {
  const clean = s.replace(/[\r\n]/g, '');
  if (!BASE64.test(clean)) throw new FnError('failed to decode base64 data: illegal base64 data');
  return Buffer.from(clean, 'base64');
}

/** Go's url.QueryEscape: unreserved characters stay, space becomes +, the rest %XX per UTF-8 byte. */
export function queryEscape(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** RFC 4180 records as Go's encoding/csv reads them (empty lines skipped, quotes strict). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let line = 1;
  let atFieldStart = true;
  const endRow = (): void => {
    if (!(row.length === 0 && field === '' && atFieldStart)) { row.push(field); rows.push(row); }
    row = []; field = ''; atFieldStart = true;
  };
  while (i < text.length) {
    const c = text[i];
    if (atFieldStart && c === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new FnError(`parse error on line ${line}: extraneous or missing " in quoted-field`);
        if (text[i] === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        if (text[i] === '\n') line++;
        field += text[i++];
      }
      atFieldStart = false;
      if (i < text.length && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
        throw new FnError(`parse error on line ${line}: extraneous or missing " in quoted-field`);
      }
      continue;
    }
    if (c === ',') { row.push(field); field = ''; atFieldStart = true; i++; continue; }
    if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) { endRow(); line++; i += c === '\r' ? 2 : 1; continue; }
    if (c === '"') throw new FnError(`parse error on line ${line}: bare " in non-quoted-field`);
    field += c;
    atFieldStart = false;
    i++;
  }
  endRow();
  return rows;
}

const NAMESPACES: Record<string, string> = {
  dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
  oid: '6ba7b812-9dad-11d1-80b4-00c04fd430c8',
  x500: '6ba7b814-9dad-11d1-80b4-00c04fd430c8',
};

/** RFC 4122 version 5 (SHA-1, name-based) UUID: deterministic, so Terraform knows it at plan time. */
function uuidV5(namespace: string, name: string): string {
  const ns = NAMESPACES[namespace] ?? namespace;
  if (!/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(ns)) {
    throw new FnError(`uuidv5() doesn't support namespace prefix ${JSON.stringify(namespace)}`);
  }
  const hash = createHash('sha1').update(Buffer.from(ns.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Text encodings Node can produce exactly; others are left unknown rather than guessed. */
function textEncoding(name: string): 'utf8' | 'utf16le' | 'utf16be' | 'latin1' | undefined {
  switch (name.toLowerCase().replace(/[_\s]/g, '-')) {
    case 'utf-8': case 'utf8': return 'utf8';
    case 'utf-16le': return 'utf16le';
    case 'utf-16be': return 'utf16be';
    case 'iso-8859-1': case 'latin1': case 'iso8859-1': return 'latin1';
    default: return undefined;
  }
}

function encodeText(s: string, enc: NonNullable<ReturnType<typeof textEncoding>>, name: string): Buffer {
  if (enc === 'latin1' && /[^\u0000-\u00ff]/.test(s)) throw new FnError(`the given string contains characters that cannot be represented in ${name}`);
  if (enc === 'utf16be') return Buffer.from(s, 'utf16le').swap16();
  return Buffer.from(s, enc);
}

function decodeText(b: Buffer, enc: NonNullable<ReturnType<typeof textEncoding>>): string {
  if (enc === 'utf8') return utf8Strict(b, 'the base64 data');
  if (enc === 'latin1') return b.toString('latin1');
  if (b.length % 2) throw new FnError('the given data is not valid UTF-16');
  return (enc === 'utf16be' ? Buffer.from(b).swap16() : b).toString('utf16le');
}

function hash(alg: string, encoding: 'hex' | 'base64') {
  return fn(1, 1, (args) => str(createHash(alg).update(asString(args[0]), 'utf8').digest(encoding), deepMarks(...args)));
}

/** Functions whose value exists only once Terraform applies (or differs on every run). */
function notKnownYet(min: number, max: number, reason: string) {
  return fn(min, max, (args) => unknown(reason, deepMarks(...args)), 'self');
}

export const encodingFunctions: FnTable = {
  jsonencode: fn(1, 1, (args) => {
    const u = decidingUnknown(args, true);
    if (!u) return str(jsonEncode(args[0]), deepMarks(...args));
    // Keep the structure: rules can still read a policy's actions when only a resource ARN is unknown.
    return u.invalid ? propagate(u, deepMarks(...args)) : { ...propagate(u, deepMarks(...args)), encodes: args[0] };
  }, 'self'),
  jsondecode: fn(1, 1, (args) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(asString(args[0]));
    } catch (e) {
      throw new FnError(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    return fromJson(parsed, deepMarks(...args));
  }),
  base64encode: fn(1, 1, (args) => str(Buffer.from(asString(args[0]), 'utf8').toString('base64'), deepMarks(...args))),
  base64decode: fn(1, 1, (args) => str(utf8Strict(decodeBase64(asString(args[0])), 'the provided string'), deepMarks(...args))),
  textencodebase64: fn(2, 2, (args) => {
    const name = asString(args[1], 'encoding');
    const enc = textEncoding(name);
    if (!enc) throw new UnknownPart(unknown(`textencodebase64(): encoding ${JSON.stringify(name)} is not evaluated`));
    return str(encodeText(asString(args[0]), enc, name).toString('base64'), deepMarks(...args));
  }),
  textdecodebase64: fn(2, 2, (args) => {
    const name = asString(args[1], 'encoding');
    const enc = textEncoding(name);
    if (!enc) throw new UnknownPart(unknown(`textdecodebase64(): encoding ${JSON.stringify(name)} is not evaluated`));
    return str(decodeText(decodeBase64(asString(args[0])), enc), deepMarks(...args));
  }),
  urlencode: fn(1, 1, (args) => str(queryEscape(asString(args[0])), deepMarks(...args))),
  csvdecode: fn(1, 1, (args) => {
    const rows = parseCsv(asString(args[0]));
    if (rows.length === 0) throw new FnError('missing header line');
    const [header, ...records] = rows;
    const marks = deepMarks(...args);
    return list(records.map((r, i) => {
      if (r.length !== header.length) throw new FnError(`record on line ${i + 2}: wrong number of fields`);
      return obj(new Map(header.map((h, j) => [h, str(r[j])])));
    }), marks);
  }),
  md5: hash('md5', 'hex'),
  sha1: hash('sha1', 'hex'),
  sha256: hash('sha256', 'hex'),
  sha512: hash('sha512', 'hex'),
  base64sha256: hash('sha256', 'base64'),
  base64sha512: hash('sha512', 'base64'),
  uuidv5: fn(2, 2, (args) => str(uuidV5(asString(args[0], 'namespace'), asString(args[1], 'name')), deepMarks(...args))),
  uuid: notKnownYet(0, 0, 'uuid() (random, known only after apply)'),
  timestamp: notKnownYet(0, 0, 'timestamp() (the time of apply, known only after apply)'),
  plantimestamp: notKnownYet(0, 0, 'plantimestamp() (the time the plan is made)'),
  bcrypt: notKnownYet(1, 2, 'bcrypt() (random salt, known only after apply)'),
};
