// A `$batch` item's `malformed` drop writes its status line and headers on the batch's connection, in place of the
// batch's answer: the batch's journal entry records that status, as a lone request's does (docs/ci.md: "an answer the
// server wrote on the connection in the request's place is recorded with its status"), not "unanswered".
import { describe, expect, it } from '@jest/globals';
import http from 'node:http';
import request from 'supertest';
import { FaultEngine } from '../../server/faults/engine.js';
import { RequestJournal } from '../../server/http/requestJournal.js';
import { AUTH } from '../support/graph.js';
import { realServer } from '../support/realServer.js';

describe('a malformed drop on a $batch item', () => {
  it('is the status the batch entry records, the 200 written before the broken chunk', async () => {
    const server = await realServer({ faults: new FaultEngine(), journal: new RequestJournal(10), fixtures: { fixtures: 'empty', seed: 1 } });
    try {
      const api = request(`http://127.0.0.1:${server.port}`);
      const requests = [
        { id: '1', method: 'GET', url: '/identityGovernance/entitlementManagement/accessPackages', headers: { 'X-Emulator-Fault': 'drop=malformed' } },
      ];
      // Node's own client, as a Graph SDK's fetch reads it: the status line and headers arrive, then the broken chunk.
      const failed = await new Promise<{ status?: number; code?: string }>((resolve) => {
        const body = JSON.stringify({ requests });
        const headers = { ...AUTH, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
        const sent = http.request({ host: '127.0.0.1', port: server.port, path: '/beta/$batch', method: 'POST', headers, agent: false }, (res) => {
          res.resume();
          res.on('error', (err: NodeJS.ErrnoException) => resolve({ status: res.statusCode, code: err.code }));
          res.on('end', () => resolve({ status: res.statusCode }));
        });
        sent.on('error', (err: NodeJS.ErrnoException) => resolve({ code: err.code }));
        sent.end(body);
      });
      expect(failed).toMatchObject({ code: 'HPE_INVALID_CHUNK_SIZE' });
      const journal = (await api.get('/_emulator/requests')).body.value as Array<Record<string, unknown>>;
      const shown = journal.map((e) => [e['path'], e['status'], (e['responseHeaders'] as Record<string, string>)['transfer-encoding'], e['responseBody']]);
      const written = 'zz\r\n{"@odata.context":"https://graph.microsoft.com/beta/$metadata#';
      expect(shown).toEqual([
        ['/beta/$batch', 200, 'chunked', written],
        ['/beta/identityGovernance/entitlementManagement/accessPackages', 200, 'chunked', written],
      ]);
    } finally {
      await server.close();
    }
  });
});
