// HTTP for the random-kill test: one call, its answer read whole, and a broken connection (the emulator killed
// under it) told apart from an answer, since only an answer says whether a write was acknowledged.
import { unsignedJwt } from './tokens.js';

export const EM = '/beta/identityGovernance/entitlementManagement';
export const GRAPH = 'https://graph.microsoft.com/beta/identityGovernance/entitlementManagement';

/** The connection broke before an answer: the write is in flight, applied or not. */
export class NoAnswer extends Error {}

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body the checks read freely
  body: any;
}

export async function call(url: string, method: string, body?: unknown, tenant?: string): Promise<Answer> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(tenant === undefined ? {} : { Authorization: `Bearer ${tenantToken(tenant)}` }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    text = await res.text();
  } catch (err) {
    throw new NoAnswer(`${method} ${url}: ${String(err)}`);
  }
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** A token of `tenant` (AUTH=bearer reads unsigned ones); '' is the default tenant's. */
export function tenantToken(tenant: string): string {
  return tenant === '' ? 'any-token' : unsignedJwt({ tid: tenant, roles: ['EntitlementManagement.ReadWrite.All'] });
}

/** An answer the workload counts on; anything else is a defect, reported with what was asked. */
export function expectStatus(answer: Answer, statuses: number[], what: string): Answer {
  if (!statuses.includes(answer.status)) throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer;
}

/** The tenant query of an admin route: none for the default tenant. */
export const tenantQuery = (tenant: string): string => (tenant === '' ? '' : `?tenant=${tenant}`);
