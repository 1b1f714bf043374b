// Requests handed to an app in this process, with no socket: the exchanges a $batch's items and the library
// handle's admin calls are (server/http/syntheticExchange.ts). Nothing but the app's own steps runs between a
// request and its answer, so a test that schedules the store's steps (scheduledStore.ts) decides every wait.
import { Socket } from 'node:net';
import type { Express } from 'express';
import { handleWhole, syntheticExchange } from '../../server/http/syntheticExchange.js';

export interface Sent {
  method: string;
  url: string;
  body?: unknown;
  /** The Authorization header: a Graph token of the default tenant unless given. */
  authorization?: string;
  /** A $batch's items, each as a request of its own. */
  items?: Sent[];
}

export interface Answered {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: a JSON body the tests read freely, as supertest types it
  body: any;
}

/** One request through the whole app, with a Graph token and a JSON body. */
export async function sendInProcess(app: Express, { method, url, body, authorization = 'Bearer test-token' }: Sent): Promise<Answered> {
  const headers: Record<string, string> = { host: 'localhost', authorization };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const exchange = syntheticExchange(app, new Socket(), { method, url, headers, body: payload });
  handleWhole(app, exchange);
  const answer = await exchange.answered;
  const text = answer.body.toString();
  return { status: answer.status, body: text === '' ? undefined : JSON.parse(text) };
}
