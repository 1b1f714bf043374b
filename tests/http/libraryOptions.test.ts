// startEmulator refuses a bad setting the way the command line does, before it opens the data file or listens.
import { afterAll, describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { readdirSync, rmSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import path from 'node:path';
import { ConfigError, startEmulator } from 'graph-accesspackages-emulator';
import { tempDir } from '../support/childProcess.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** The error of connecting to 127.0.0.1:port, or undefined when something accepts. */
async function connectError(port: number): Promise<string | undefined> {
  const socket = connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect');
    return undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code;
  } finally {
    socket.destroy();
  }
}

describe('startEmulator with a bad setting', () => {
  it.each([
    [{ journalSize: 0 }, "journalSize must be a whole number from 1 to 100000; got '0'."],
    [{ journalSize: 200000 }, "journalSize must be a whole number from 1 to 100000; got '200000'."],
    [{ journal: 'maybe' as unknown as boolean }, "journal must be on or off; got 'maybe'."],
  ])('%j rejects with a ConfigError naming the option; nothing listens and no data file is made', async (options, message) => {
    const port = await freePort();
    const dir = tempDir();
    dirs.push(dir);
    const dataFile = path.join(dir, 'db.json');
    const started = startEmulator({ ...options, port, dataFile });
    await expect(started).rejects.toThrow(new ConfigError(message));
    await expect(started).rejects.toBeInstanceOf(ConfigError);
    expect(await connectError(port)).toBe('ECONNREFUSED');
    expect(readdirSync(dir)).toEqual([]);
  });

  it("takes journal: 'off' as the config file does: the journal records nothing", async () => {
    const quiet = await startEmulator({ journal: 'off' as unknown as boolean });
    try {
      await expect(quiet.requests()).rejects.toThrow('The request journal is off');
    } finally {
      await quiet.close();
    }
  });
});
