// The listening server's limits, as startEmulator and the command line set them: headers within seconds,
// a whole request within a minute, and a cap on connections (serverLimits.ts).
import { describe, expect, it } from '@jest/globals';
import { connect } from 'node:net';
import { startEmulator } from '../../server/index.js';
import { SERVER_LIMITS } from '../../server/serverLimits.js';

describe('server limits', () => {
  it('are set on the listening server', async () => {
    const emulator = await startEmulator();
    try {
      expect(emulator.server.headersTimeout).toBe(10_000);
      expect(emulator.server.requestTimeout).toBe(60_000);
      expect(emulator.server.keepAliveTimeout).toBe(5_000);
      expect(emulator.server.maxConnections).toBe(1_000);
      expect(SERVER_LIMITS.checkIntervalMs).toBeLessThanOrEqual(1_000);
    } finally {
      await emulator.close();
    }
  });

  it('a client that never finishes its headers is not waited for past the headers timeout', async () => {
    const emulator = await startEmulator();
    emulator.server.headersTimeout = 300;
    try {
      const socket = connect(emulator.port, '127.0.0.1');
      socket.write('GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\n');
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    } finally {
      await emulator.close();
    }
  });
});
