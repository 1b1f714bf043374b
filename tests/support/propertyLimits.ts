// jest's setupFiles entry, run in every test file's module registry before the file: one time limit for every
// fast-check property of the suite. jest's own timeout cannot stop a property whose runs await only promises
// (its timer never gets a turn), so a rare failure whose shrinking went on would hold a worker for minutes with
// nothing printed. fast-check checks this limit before each run, the shrinking's included, and fails the test
// with the seed (and, for a failure found, the path) that replays it: `fc.assert(…, { seed, path })`.
import fc from 'fast-check';

/** Below jest's testTimeout (jest.config.js), so the property's own message, seed included, is what is reported. */
const PROPERTY_TIME_LIMIT_MS = 25_000;

fc.configureGlobal({ ...fc.readConfigureGlobal(), interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS, markInterruptAsFailure: true });
