/**
 * Reading directories for the loader. Each directory is listed once (readdir with file types) and
 * the listing kept, so the recursive scan, module directories, `*.auto.tfvars` lookups and
 * `.terraform/modules/modules.json` all share one read. Symbolic links to files are followed;
 * links to directories are not descended into (a link back up the tree would never end).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Diagnostic } from '../model/model';

/** Directories the recursive scan never enters. */
const SKIPPED_DIRS = new Set(['.terraform', '.git', 'node_modules']);

export type EntryKind = 'file' | 'dir' | 'dir-link' | 'other';

export interface Entry {
  readonly name: string;
  readonly kind: EntryKind;
}

export interface Discovery {
  /** `.tf` and `.tf.json` files, sorted. */
  readonly files: string[];
  /** `.terraform/modules/modules.json` manifests under the scanned directory. */
  readonly manifests: string[];
  /** Directories that could not be read. */
  readonly problems: Diagnostic[];
}

/** Terraform ignores these names in a module directory (editor backups, lock files, dot files). */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || (name.startsWith('#') && name.endsWith('#'));
}

export function isTerraformFile(name: string): boolean {
  return (name.endsWith('.tf') || name.endsWith('.tf.json')) && !isIgnoredName(name);
}

export class DirectoryCache {
  private readonly listings = new Map<string, readonly Entry[] | { error: string }>();

  /** The entries of a directory, or why it could not be read. */
  list(dir: string): readonly Entry[] | { error: string } {
    let hit = this.listings.get(dir);
    if (!hit) {
      hit = readEntries(dir);
      this.listings.set(dir, hit);
    }
    return hit;
  }

  /** Names of the regular files (or links to them) in `dir` that pass `test`, sorted; [] if unreadable. */
  files(dir: string, test: (name: string) => boolean): string[] {
    const entries = this.list(dir);
    if (!Array.isArray(entries)) return [];
    return (entries as readonly Entry[]).filter((e) => e.kind === 'file' && test(e.name)).map((e) => path.join(dir, e.name)).sort();
  }

  /** The `.tf` / `.tf.json` files of one module directory; undefined when it is not a directory or has none. */
  moduleFiles(dir: string): string[] | undefined {
    const files = this.files(dir, isTerraformFile);
    return files.length ? files : undefined;
  }

  /** Every Terraform file under `dir`, depth first with an explicit stack (no recursion limit). */
  discover(dir: string): Discovery {
    const files: string[] = [];
    const manifests: string[] = [];
    const problems: Diagnostic[] = [];
    const stack = [dir];
    while (stack.length) {
      const d = stack.pop()!;
      const entries = this.list(d);
      if (!Array.isArray(entries)) {
        problems.push({ level: 'error', code: 'read-error', file: d, message: `cannot read directory: ${(entries as { error: string }).error}` });
        continue;
      }
      for (const e of entries as readonly Entry[]) {
        const full = path.join(d, e.name);
        if (e.kind === 'file') {
          if (isTerraformFile(e.name)) files.push(full);
        } else if (e.kind === 'dir') {
          if (e.name === '.terraform') {
            const manifest = path.join(full, 'modules', 'modules.json');
            if (isFile(manifest)) manifests.push(manifest);
          }
          if (!SKIPPED_DIRS.has(e.name)) stack.push(full);
        }
      }
    }
    return { files: files.sort(), manifests: manifests.sort(), problems };
  }
}

function readEntries(dir: string): readonly Entry[] | { error: string } {
  let dirents: fs.Dirent[];
  try {
    dirents = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code ?? (e as Error).message };
  }
  return dirents.map((d) => ({ name: d.name, kind: kindOf(d, dir) }));
}

function kindOf(d: fs.Dirent, dir: string): EntryKind {
  if (d.isFile()) return 'file';
  if (d.isDirectory()) return 'dir';
  if (!d.isSymbolicLink()) return 'other';
  try {
    const st = fs.statSync(path.join(dir, d.name));
    return st.isDirectory() ? 'dir-link' : st.isFile() ? 'file' : 'other';
  } catch {
    // A dangling link: listed as a file so that reading it reports the problem by name.
    return 'file';
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
