/** Runs the CLI in-process with captured output, as a user would from `cwd`. */
import { main, type CliIo } from '../../src/cli';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (s) => { stdout += s; }, stderr: (s) => { stderr += s; }, cwd, isTTY: false, env };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
