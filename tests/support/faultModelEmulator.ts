// The fault model-based test's emulator: a memory store, a fault engine of a seed on a clock the test moves, a
// request journal of a few entries or none (JOURNAL=off), and an ADMIN_TOKEN or none; admin calls carry the token.
import { expect } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FaultEngine } from '../../server/faults/engine.js';
import { RequestJournal } from '../../server/http/requestJournal.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { Answer } from './graph.js';
import { expectGraphError } from './graph.js';
import { FIXTURES } from './graphModel.js';
import { CLIENT_ROLES } from './faultModel.js';
import { type Listening, listenOn } from './realServer.js';

/** What a run's emulator is started with. */
export interface Settings {
  /** JOURNAL_SIZE. */
  size: number;
  /** SEED. */
  seed: number;
  /** JOURNAL=on or off. */
  journal: boolean;
  /** ADMIN_TOKEN, when set. */
  adminToken?: string;
}

export class FaultEmulator {
  /** The fault engine's clock, in ms; the Wait command moves it. */
  now = 0;
  private constructor(
    private readonly listening: Listening,
    readonly settings: Settings,
  ) {}

  static async create(settings: Settings): Promise<FaultEmulator> {
    let emulator: FaultEmulator | undefined;
    const faults = new FaultEngine({ seed: settings.seed, clock: () => emulator?.now ?? 0 });
    const journal = settings.journal ? new RequestJournal(settings.size) : null;
    const app = createApp({ store: new MemoryStore(), fixtures: FIXTURES, faults, journal, clientRoles: CLIENT_ROLES, adminToken: settings.adminToken });
    emulator = new FaultEmulator(await listenOn(app), settings);
    return emulator;
  }

  /** A path's URL on this emulator, for a client of its own (fetch). */
  url(path: string): string {
    return `http://127.0.0.1:${this.listening.port}${path}`;
  }

  /** For Graph requests, which carry their own token. */
  api() {
    return request(`http://127.0.0.1:${this.listening.port}`);
  }

  /** For /_emulator/*: with the ADMIN_TOKEN when one is set. */
  admin() {
    const agent = request.agent(`http://127.0.0.1:${this.listening.port}`);
    return this.settings.adminToken === undefined ? agent : agent.set('Authorization', `Bearer ${this.settings.adminToken}`);
  }

  close(): Promise<void> {
    return this.listening.close();
  }
}

/** With JOURNAL=off, /_emulator/requests is a 404 that says how to turn the journal on (docs/ci.md, Limits). */
export function expectJournalOff(res: Answer): void {
  expectGraphError(
    res,
    404,
    'ResourceNotFound',
    "The request journal is off: start the emulator with JOURNAL=on (--journal on; the library's option journal: 'on') to record requests.",
  );
  expect(res.headers['content-type']).toMatch(/^application\/json/);
}
