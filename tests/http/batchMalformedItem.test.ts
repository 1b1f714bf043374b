// A `$batch` item's `malformed` drop writes its status line and headers on the batch's connection, in place of the
// batch's answer: the batch's journal entry records that status, as a lone request's does (docs/ci.md: "an answer the
// server wrote on the connection in the request's place is recorded with its status"), not "unanswered".
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { FaultEngine } from '../../server/faults/engine.js';
import { RequestJournal } from '../../server/http/requestJournal.js';
import { AUTH } from '../support/graph.js';
import { realServer } from '../support/realServer.js';

describe('a malformed drop on a $batch item', () => {
  it('is the status the batch entry records, the 200 its client read before the broken chunk', async () => {
    const server = await realServer({ faults: new FaultEngine(), journal: new RequestJournal(10), fixtures: { fixtures: 'empty', seed: 1 } });
    try {
      const api = request(`http://127.0.0.1:${server.port}`);
      const requests = [
        { id: '1', method: 'GET', url: '/identityGovernance/entitlementManagement/accessPackages', headers: { 'X-Emulator-Fault': 'drop=malformed' } },
      ];
      const failed = await api
        .post('/beta/$batch')
        .set(AUTH)
        .send({ requests })
        .then(
          () => undefined,
          (err: Error & { code?: string }) => err.code,
        );
      expect(failed).toBe('HPE_INVALID_CHUNK_SIZE');
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
