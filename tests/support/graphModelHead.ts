// The model-based test's HEAD (tests/http/graphModel.test.ts): a read sent as HEAD answers as its GET does, status
// and headers, without a body (RFC 9110 §9.3.2, docs/graph-fidelity.md), and changes nothing; the GET after it is
// checked against the model as usual.
import { expect } from '@jest/globals';
import type { Answer } from './graph.js';
import { type Command, type Emulator, type Model, peek, tokenOf, touch } from './graphModel.js';
import type { Op } from './graphModelOps.js';

/** Headers that differ between any two answers: the request's ids and the time. */
const OWN = ['request-id', 'client-request-id', 'date', 'x-ms-ags-diagnostic', 'content-length', 'etag'];

export class Head implements Command {
  private label = 'HEAD';
  constructor(private readonly op: Op) {}
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    // Only a read is sent: another request sends nothing, and a tenant it would have reached stays unmade.
    const r = this.op(peek(m));
    if (r.method !== 'GET') return;
    const t = touch(m);
    this.label = `HEAD then ${r.label}`;
    const url = `/${r.version ?? 'beta'}${r.url}`;
    const head: Answer = await real.api().head(url).set(tokenOf(m.current));
    const get: Answer = await real.api().get(url).set(tokenOf(m.current));
    const shared = (a: Answer) => Object.fromEntries(Object.entries(a.headers).filter(([name]) => !OWN.includes(name)));
    expect([head.status, shared(head)]).toEqual([get.status, shared(get)]);
    expect(head.body).toEqual({});
    expect(head.headers['request-id']).not.toBe(get.headers['request-id']);
    r.check(t, get, { origin: real.origin, tid: m.current, batch: false });
  }
  toString = () => this.label;
}
