// The request and response classes of the emulator's HTTP server: Node's own, with the app's Express prototypes
// already in place.
// Express gives every request and response the app's prototypes as it enters the app (`Object.setPrototypeOf` in
// `app.handle`). V8 gives the object a new hidden class each time, so every property that Express, Node and the
// emulator's steps read or add on `req` and `res` afterwards misses the inline caches and copies the hidden
// class's descriptors: the emulator, whose steps read and set more of them than a bare Express handler, paid it
// many times a request (bench/README.md, "Express's prototypes, set once"). A server made with these classes
// (http.createServer's `IncomingMessage` and `ServerResponse` options) creates messages that already have those
// prototypes, so Express's call changes nothing and every request shares the same hidden classes.
// The app works as before with any other server (a library user's, supertest's): Express sets the prototypes.
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';

interface MessageClasses {
  IncomingMessage: typeof IncomingMessage;
  ServerResponse: typeof ServerResponse;
}

const classesOfApp = new WeakMap<Express, MessageClasses>();

/**
 * Makes the app's request and response prototypes the prototypes of two subclasses of Node's messages (once, as
 * the app is made, before anything else takes `app.request` or `app.response` as a prototype), and keeps the
 * classes for the app's server. What Express had put on them (their `app`) moves over with them.
 */
export function adoptMessageClasses(app: Express): void {
  class AppRequest extends IncomingMessage {}
  class AppResponse extends ServerResponse {}
  for (const [made, theirs] of [
    [AppRequest.prototype, app.request],
    [AppResponse.prototype, app.response],
  ] as const) {
    Object.setPrototypeOf(made, Object.getPrototypeOf(theirs));
    Object.defineProperties(made, Object.getOwnPropertyDescriptors(theirs));
  }
  // Only prototypes move: Express reads them from here on every request.
  app.request = AppRequest.prototype as unknown as Express['request'];
  app.response = AppResponse.prototype as unknown as Express['response'];
  classesOfApp.set(app, { IncomingMessage: AppRequest, ServerResponse: AppResponse as typeof ServerResponse });
}

/** The classes for http.createServer (or https) serving `app`; none for an app made otherwise. */
export function messageClassesOf(app: Express): Partial<MessageClasses> {
  return classesOfApp.get(app) ?? {};
}
