// Assertions shared by the HTTP tests: Graph's headers and its exact error envelope.
import { expect } from '@jest/globals';

/** What the assertions read of an answer: supertest's Response, or one read off a real socket (realServer.ts). */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body the assertions read freely, as supertest types it
  body: any;
}
type Response = Answer;

export const EM = '/beta/identityGovernance/entitlementManagement';
export const PACKAGES = `${EM}/accessPackages`;
export const CATALOGS = `${EM}/accessPackageCatalogs`;
export const POLICIES = `${EM}/accessPackageAssignmentPolicies`;
export const V1 = '/v1.0/identityGovernance/entitlementManagement';
export const AUTH = { Authorization: 'Bearer test-token' };
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const GRAPH_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;
export const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** The headers Graph sends on every answer, success or error. */
export function expectGraphHeaders(res: Response): void {
  expect(res.headers['request-id']).toMatch(GUID);
  expect(res.headers['client-request-id']).toBeDefined();
  expect(res.headers['date']).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
  expect(res.headers['cache-control']).toBe('no-cache');
  expect(JSON.parse(String(res.headers['x-ms-ags-diagnostic']))).toHaveProperty('ServerInfo.DataCenter');
}

/** Exactly Graph's error envelope: no other keys, innerError date without fraction or Z. */
/** Error codes whose bodies carry `details: []` (graphErrors.ts). */
const DETAILED_CODES = new Set(['InvalidFilter']);

export function expectGraphError(res: Response, status: number, code: string, message?: string | RegExp): void {
  expect(res.status).toBe(status);
  expectGraphHeaders(res);
  expect(res.headers['content-type']).toBe('application/json');
  expect(res.headers['odata-version']).toBeUndefined();
  expect(Object.keys(res.body)).toEqual(['error']);
  // Entitlement management's own errors carry `details: []` between message and innerError, as the live service's do.
  const withDetails = DETAILED_CODES.has(code) || 'details' in res.body.error;
  expect(Object.keys(res.body.error)).toEqual(withDetails ? ['code', 'message', 'details', 'innerError'] : ['code', 'message', 'innerError']);
  if (withDetails) expect(res.body.error.details).toEqual([]);
  expect(res.body.error.code).toBe(code);
  if (typeof message === 'string') expect(res.body.error.message).toBe(message);
  else if (message) expect(res.body.error.message).toMatch(message);
  expect(res.body.error.innerError).toEqual({
    date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
    'request-id': res.headers['request-id'],
    'client-request-id': res.headers['client-request-id'],
  });
}
