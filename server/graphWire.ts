// Constants of Graph's wire format that several floors write: the success content type, the bearer
// challenge of a 401, and the root every @odata.context URL starts from; each exchange's ids; and endAnswer, through which every
// Graph answer with a body leaves, so the request journal keeps the text already made instead of capturing writes.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Graph's ids of one exchange: its own request-id, and the client's client-request-id (else the request-id). */
export interface GraphIds {
  readonly requestId: string;
  readonly clientRequestId: string;
}

declare module 'node:http' {
  interface ServerResponse<Request extends IncomingMessage = IncomingMessage> {
    /** The body of the Graph answer sent on this response, read by the request journal (http/journalCapture.ts). */
    answerBody?: string;
    /** Given by the first step (http/graphHeaders.ts), whose writeHead sends them with every answer. */
    graphIds?: GraphIds;
  }
}

/** The ids of a response's exchange; empty for one that never passed the graphHeaders step. */
export function graphIdsOf(res: ServerResponse): GraphIds {
  return res.graphIds ?? { requestId: '', clientRequestId: '' };
}

/** Sends a Graph answer's body and ends the response; the text stays on the response for the request journal. */
export function endAnswer(res: ServerResponse, text: string): void {
  res.answerBody = text;
  res.end(text);
}

/** What Graph sends as Content-Type on a successful JSON answer. */
export const ODATA_CONTENT_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

// What Graph sends with a 401, so clients that parse the challenge find what they expect.
// https://learn.microsoft.com/graph/resolve-auth-errors
export const BEARER_CHALLENGE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

/** The root of a version's @odata.context and @odata.id URLs. */
export function graphRoot(version: 'beta' | 'v1.0'): string {
  return `https://graph.microsoft.com/${version}`;
}

/** Where every entitlement-management collection lives, below the version. */
export const ENTITLEMENT_MANAGEMENT_PATH = '/beta/identityGovernance/entitlementManagement';
