// A JavaScript example of the documentation, run verbatim in a plain Node process (an ES module, as users run it)
// against an emulator of this test: its `localhost:4000` pointed at `port`, and the value of one of its constants
// printed as JSON and read back. Asynchronous, so the emulator in this process keeps answering meanwhile.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ROOT, childEnv } from './childProcess.js';

export async function runExample(example: string, port: number, printed = 'result', env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const script = `${example.replaceAll('localhost:4000', `localhost:${port}`)}\nconsole.log(JSON.stringify(${printed}));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: childEnv(env),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}
