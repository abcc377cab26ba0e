/** Small Terraform trees written to temporary directories for a test, removed after the file's tests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const made: string[] = [];
afterAll(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Writes `files` (relative path → text) under a new temporary directory and returns it. */
export function tree(files: Record<string, string>, prefix = 'lal-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
