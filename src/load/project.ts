/**
 * Terraform source → model: discover files, parse each once, gather module directories (following
 * local module sources and `.terraform/modules/modules.json`), find the root modules, evaluate each
 * root with its variable values, and collect every resource instance.
 */
import * as path from 'path';
import type { Diagnostic, Resource } from '../model/model';
import { hclPointer } from '../model/source';
import { bool, fromJson, list, num, obj, str, valuesEqual, type Value } from '../model/value';
import { evalRaw } from '../eval/body';
import { evaluate, type Scope } from '../eval/evaluate';
import { ModuleInstance, type ModuleHost } from '../eval/module-instance';
import { parseExpression } from '../hcl/parser';
import { DirectoryCache, isIgnoredName } from './discover';
import { ModuleSource, rootDirOf, type Decl } from './module-source';
import { parseFile, parseJsonFile, readText, type JsonObject, type ParsedFile } from './parse';
import { knownModuleStub } from '../../rules/modules';

export interface SourceOptions {
  readonly cwd: string;
  /** `--var-file` files, in order. */
  readonly varFiles: readonly string[];
  /** `--var NAME=VALUE`, in order (later wins). */
  readonly vars: readonly string[];
  /** Called as files are parsed, for a progress display on long runs. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface SourceInput {
  /** Directories to scan recursively. */
  readonly dirs: readonly string[];
  /** `.tf` / `.tf.json` files given alone: each is its own root module. */
  readonly files: readonly string[];
}

export interface LoadedSource {
  readonly resources: Resource[];
  readonly diagnostics: Diagnostic[];
  readonly files: string[];
  /** Module sources by directory, for mapping plan resources back to `.tf` blocks. */
  readonly modules: ReadonlyMap<string, ModuleSource>;
  /** Root module directories (or single files). */
  readonly roots: readonly string[];
}

/** Every `.tf` / `.tf.json` file under `dir` (not in `.terraform`, `.git` or `node_modules`), sorted. */
export async function discoverTerraformFiles(dir: string): Promise<string[]> {
  return new DirectoryCache().discover(path.resolve(dir)).files;
}

export async function loadSource(input: SourceInput, opts: SourceOptions): Promise<LoadedSource> {
  const loader = new SourceLoader(opts);
  return loader.load(input);
}

export class SourceLoader implements ModuleHost {
  readonly cwd: string;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly diagnosed = new Set<string>();
  private readonly modules = new Map<string, ModuleSource>();
  private readonly parsedFiles: string[] = [];
  /** modules.json entries per root directory: call key → module directory. */
  private readonly downloaded = new Map<string, Map<string, string>>();
  /** Every directory is read once, whoever asks (scan, module calls, tfvars, manifests). */
  private readonly dirs = new DirectoryCache();

  constructor(private readonly opts: SourceOptions = { cwd: process.cwd(), varFiles: [], vars: [] }) {
    this.cwd = opts.cwd;
  }

  async load(input: SourceInput): Promise<LoadedSource> {
    const scannedDirs = new Set<string>();
    for (const dir of input.dirs) {
      const found = this.dirs.discover(dir);
      this.diagnostics.push(...found.problems);
      this.expectedFiles += found.files.length;
      const byDir = new Map<string, string[]>();
      for (const f of found.files) {
        const d = path.dirname(f);
        const list = byDir.get(d);
        if (list) list.push(f);
        else byDir.set(d, [f]);
      }
      for (const [d, fs_] of byDir) {
        if (this.modules.has(d)) continue;
        await this.loadModule(d, fs_);
        scannedDirs.add(d);
      }
      await this.loadDownloaded(found.manifests);
    }
    const singles: ModuleSource[] = [];
    for (const file of input.files) {
      const parsed = await this.parse(file);
      singles.push(new ModuleSource(path.dirname(file), parsed ? [parsed] : []));
    }
    await this.loadCalledModules([...this.modules.values(), ...singles]);

    const roots = this.chooseRoots(scannedDirs, singles);
    const resources: Resource[] = [];
    for (const root of roots) await this.evaluateRoot(this.modules.get(root)!, root, resources, true);
    for (const [i, single] of singles.entries()) await this.evaluateRoot(single, input.files[i], resources, false);
    for (const m of [...this.modules.values(), ...singles]) this.diagnostics.push(...m.diagnostics);
    this.parsedFiles.sort();
    return { resources, diagnostics: this.diagnostics, files: this.parsedFiles, modules: this.modules, roots: [...roots, ...input.files] };
  }

  /**
   * A scanned directory that no other module calls is a root module. Directories that call each
   * other in a cycle would then be linted by nobody, silently; so, until every scanned directory
   * is reached from a root, the first one left (by path) becomes a root too, and the cycle is
   * reported when it is expanded.
   */
  private chooseRoots(scanned: ReadonlySet<string>, singles: readonly ModuleSource[]): string[] {
    const callees = (m: ModuleSource): string[] => {
      const out: string[] = [];
      for (const decl of m.moduleCalls.values()) {
        const dir = localSourceDir(m, decl);
        if (dir && dir !== m.dir) out.push(dir);
      }
      return out;
    };
    const called = new Set<string>();
    for (const m of [...this.modules.values(), ...singles]) for (const d of callees(m)) called.add(d);
    const roots = [...scanned].filter((d) => !called.has(d)).sort();
    const reached = new Set<string>();
    const reach = (start: readonly string[]): void => {
      const stack = [...start];
      while (stack.length) {
        const dir = stack.pop()!;
        if (reached.has(dir)) continue;
        reached.add(dir);
        const m = this.modules.get(dir);
        if (m) stack.push(...callees(m));
      }
    };
    reach(roots);
    for (const single of singles) reach(callees(single));
    for (const dir of [...scanned].sort()) {
      if (reached.has(dir)) continue;
      roots.push(dir);
      reach([dir]);
    }
    return roots.sort();
  }

  private expectedFiles = 0;
  private doneFiles = 0;

  private async parse(file: string): Promise<ParsedFile | undefined> {
    const r = await parseFile(file);
    this.doneFiles++;
    this.opts.onProgress?.(this.doneFiles, Math.max(this.expectedFiles, this.doneFiles));
    if (!r.ok) {
      this.diagnostics.push(r.diagnostic);
      return undefined;
    }
    this.parsedFiles.push(file);
    return r.parsed;
  }

  private async loadModule(dir: string, files: readonly string[]): Promise<ModuleSource> {
    const parsed: ParsedFile[] = [];
    for (const f of files) {
      const p = await this.parse(f);
      if (p) parsed.push(p);
    }
    const m = new ModuleSource(dir, parsed);
    this.modules.set(dir, m);
    return m;
  }

  /** Follows local module sources until every called directory is loaded. */
  private async loadCalledModules(start: ModuleSource[]): Promise<void> {
    const queue = [...start];
    while (queue.length) {
      const m = queue.shift()!;
      for (const decl of m.moduleCalls.values()) {
        const dir = localSourceDir(m, decl);
        if (!dir || this.modules.has(dir)) continue;
        const files = this.dirs.moduleFiles(dir);
        if (!files) continue; // reported when the call is evaluated
        queue.push(await this.loadModule(dir, files));
      }
    }
  }

  /** Registry and git modules that `terraform init` downloaded under a root. */
  private async loadDownloaded(manifests: readonly string[]): Promise<void> {
    for (const manifest of manifests) {
      const rootDir = path.resolve(path.dirname(manifest), '..', '..');
      const read = readText(manifest);
      if ('diagnostic' in read) { this.diagnostics.push(read.diagnostic); continue; }
      let doc: { Modules?: { Key?: string; Dir?: string }[] };
      try {
        doc = JSON.parse(read.text);
      } catch {
        this.diagnostics.push({ level: 'warning', code: 'parse-error', file: manifest, message: 'invalid JSON in modules.json; downloaded modules are not followed' });
        continue;
      }
      const entries = new Map<string, string>();
      for (const e of doc.Modules ?? []) {
        if (typeof e.Key !== 'string' || typeof e.Dir !== 'string' || !e.Key) continue;
        const dir = path.resolve(rootDir, e.Dir);
        entries.set(e.Key, dir);
        if (!this.modules.has(dir)) {
          const files = this.dirs.moduleFiles(dir);
          if (files) await this.loadModule(dir, files);
        }
      }
      this.downloaded.set(rootDir, entries);
    }
  }

  // ---------- ModuleHost ----------

  resolveCall(parent: ModuleInstance, callName: string, decl: Decl): { source: ModuleSource } | { missing: string } {
    const source = typeof decl.body.source === 'string' ? decl.body.source : undefined;
    if (!source) {
      this.diagnose(`nosource:${decl.file}:${callName}`, 'error', `module "${callName}" has no literal "source"`, decl.file);
      return { missing: 'no source' };
    }
    const found = this.childSource(parent.source, decl, rootDirOf(parent.root), [...parent.callPath, callName]);
    if ('missing' in found) {
      this.diagnose(`missing:${found.key}`, found.local ? 'error' : 'note', `module "${callName}": ${found.missing}; its resources are not linted`, decl.file);
      return { missing: found.missing };
    }
    const m = found.source;
    if (parent.ancestry.includes(m.dir)) {
      this.diagnose(`cycle:${m.dir}`, 'error', `module cycle: module "${callName}" at ${parent.address || 'the root'} calls ${path.relative(this.cwd, m.dir) || '.'}, which is already being expanded`, decl.file);
      return { missing: 'module cycle' };
    }
    return { source: m };
  }

  /**
   * The module a call names: a local directory, a module `terraform init` downloaded under the
   * root (by call path), or a registry module known by its inputs.
   */
  childSource(parent: ModuleSource, decl: Decl, rootDir: string, callPath: readonly string[]): { source: ModuleSource } | { missing: string; key: string; local: boolean } {
    const source = String(decl.body.source);
    const localDir = localSourceDir(parent, decl);
    const dir = localDir ?? this.downloaded.get(rootDir)?.get(callPath.join('.'));
    const m = (dir ? this.modules.get(dir) : undefined) ?? (localDir ? undefined : this.knownModule(source));
    if (m) return { source: m };
    if (localDir) return { missing: `module directory ${path.relative(this.cwd, localDir) || '.'} does not exist or has no .tf files`, key: localDir, local: true };
    return { missing: `module source "${source}" is not on disk (run terraform init to download it)`, key: source, local: false };
  }

  /** Loads a root directory and every module it calls, without evaluating anything (for plans). */
  async loadTree(dir: string): Promise<ModuleSource | undefined> {
    if (!this.modules.has(dir)) {
      const files = this.dirs.moduleFiles(dir);
      if (!files) return undefined;
      await this.loadModule(dir, files);
      await this.loadDownloaded(this.dirs.discover(dir).manifests);
      await this.loadCalledModules([this.modules.get(dir)!]);
    }
    return this.modules.get(dir);
  }

  /**
   * Evaluates a root directory with the variable values a plan was made with (tfvars values that
   * agree with the plan are kept, for their origins), giving the source's view of each resource.
   */
  async evaluateWith(dir: string, planVariables: ReadonlyMap<string, unknown>): Promise<Resource[]> {
    const root = await this.loadTree(dir);
    if (!root) return [];
    const inputs = await this.rootInputs(root, true);
    for (const [name, raw] of planVariables) {
      const planned = fromJson(raw);
      const known = inputs.get(name);
      if (!known || valuesEqual(known, planned) !== true) inputs.set(name, planned);
    }
    const out: Resource[] = [];
    new ModuleInstance(this, root, '', [], inputs, dir, [], [root.dir]).collect(out);
    return out;
  }

  private readonly stubs = new Map<string, ModuleSource | undefined>();

  /** A registry module we know by its inputs (rules/modules), standing in until it is downloaded. */
  private knownModule(source: string): ModuleSource | undefined {
    const stub = knownModuleStub(source);
    if (!stub) return undefined;
    if (!this.stubs.has(stub.file)) {
      const parsed = parseJsonFile(stub.file, stub.text);
      this.stubs.set(stub.file, parsed.ok ? new ModuleSource(path.dirname(stub.file), [parsed.parsed], true) : undefined);
    }
    return this.stubs.get(stub.file);
  }

  readFile(abs: string): string | undefined {
    const r = readText(abs);
    return 'text' in r ? r.text : undefined;
  }

  diagnose(key: string, level: 'error' | 'warning' | 'note', message: string, file?: string): void {
    if (this.diagnosed.has(key)) return;
    this.diagnosed.add(key);
    this.diagnostics.push({ level, code: key.startsWith('cycle') ? 'module-cycle' : key.startsWith('missing') ? 'module-not-found' : 'unsupported', message, ...(file ? { file } : {}) });
  }

  // ---------- roots ----------

  private async evaluateRoot(m: ModuleSource, root: string, out: Resource[], withAutoVars: boolean): Promise<void> {
    const inputs = await this.rootInputs(m, withAutoVars);
    const instance = new ModuleInstance(this, m, '', [], inputs, root, [], [m.dir]);
    instance.collect(out);
  }

  /** Variable values: tfvars files in Terraform's order, then --var-file, then --var. */
  private async rootInputs(m: ModuleSource, withAutoVars: boolean): Promise<Map<string, Value>> {
    const values = new Map<string, Value>();
    const files: string[] = [];
    if (withAutoVars) {
      // Terraform's order: terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) by name.
      for (const name of ['terraform.tfvars', 'terraform.tfvars.json']) files.push(...this.dirs.files(m.dir, (n) => n === name));
      files.push(...this.dirs.files(m.dir, (n) => (n.endsWith('.auto.tfvars') || n.endsWith('.auto.tfvars.json')) && !isIgnoredName(n)));
    }
    files.push(...this.opts.varFiles.map((f) => path.resolve(this.cwd, f)));
    for (const f of files) {
      const parsed = await this.parseVarFile(f);
      if (!parsed) continue;
      for (const [name, raw] of Object.entries(parsed.body)) {
        const pointer = hclPointer(f, [name]);
        const via = path.basename(f);
        values.set(name, parsed.json ? jsonLiteral(raw, { pointer, via }) : evalRaw(raw, { scope: NO_NAMES }, pointer, via));
      }
    }
    for (const assignment of this.opts.vars) {
      const eq = assignment.indexOf('=');
      const name = assignment.slice(0, eq);
      const text = assignment.slice(eq + 1);
      values.set(name, cliVarValue(text, m.variables.get(name)));
    }
    return values;
  }

  private readonly varFileCache = new Map<string, ParsedFile | undefined>();

  private async parseVarFile(f: string): Promise<ParsedFile | undefined> {
    if (!this.varFileCache.has(f)) this.varFileCache.set(f, await this.parse(f));
    return this.varFileCache.get(f);
  }
}

/** tfvars values may not refer to anything. */
const NO_NAMES: Scope = {
  resolve: () => undefined,
  functions: { baseDir: '.', readFile: () => undefined, renderTemplate: () => ({ kind: 'unknown', reason: 'templatefile() in a tfvars file' }) },
};

/** `.tfvars.json` values are literal (not templates), each carrying its origin. */
function jsonLiteral(raw: unknown, origin: { pointer: ReturnType<typeof hclPointer>; via: string }): Value {
  const marks = { origin };
  if (Array.isArray(raw)) return list(raw.map((x, i) => jsonLiteral(x, { pointer: hclPointer(origin.pointer.file, [...origin.pointer.path, i]), via: origin.via })), marks);
  if (raw && typeof raw === 'object') {
    return obj(new Map(Object.entries(raw as JsonObject).map(([k, x]) => [k, jsonLiteral(x, { pointer: hclPointer(origin.pointer.file, [...origin.pointer.path, k]), via: origin.via })])), marks);
  }
  return fromJson(raw, marks);
}

/** `--var` values are strings for string (or untyped) variables, expressions otherwise — as Terraform reads them. */
function cliVarValue(text: string, decl: Decl | undefined): Value {
  const type = typeof decl?.body.type === 'string' ? decl.body.type.replace(/^\$\{(.*)\}$/, '$1').trim() : 'string';
  if (type === 'string' || type === 'any' && !/^[[{]/.test(text.trim())) return str(text);
  if (type === 'number' && text.trim() !== '' && !Number.isNaN(Number(text))) return num(Number(text));
  if (type === 'bool' && (text === 'true' || text === 'false')) return bool(text === 'true');
  try {
    return evaluate(parseExpression(text), { scope: NO_NAMES });
  } catch {
    return str(text);
  }
}

function localSourceDir(m: ModuleSource, decl: Decl): string | undefined {
  const source = decl.body.source;
  if (typeof source !== 'string' || !/^\.\.?(\/|\\|$)/.test(source)) return undefined;
  return path.resolve(m.dir, source);
}


