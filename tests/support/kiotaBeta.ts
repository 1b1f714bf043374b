// The typed Kiota beta SDK (@microsoft/msgraph-beta-sdk) as a client uses it against an emulator of the test: its
// request adapter with a token provider that answers any string, requests built with RequestInformation under the
// entitlement-management root (no fluent identityGovernance package is installed), answers read through the
// package's generated models and Graph's ODataError, lists followed by msgraph-sdk-core's PageIterator.
import {
  AllowedHostsValidator,
  BaseBearerTokenAuthenticationProvider,
  HttpMethod,
  type Parsable,
  type ParsableFactory,
  RequestInformation,
  type SerializationWriter,
} from '@microsoft/kiota-abstractions';
import { GraphBetaRequestAdapter } from '@microsoft/msgraph-beta-sdk';
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js';
import { type PageCollection, PageIterator } from '@microsoft/msgraph-sdk-core';

/** Graph's error model for every status, as the SDK's generated request builders map it. */
export const ERRORS = { XXX: createODataErrorFromDiscriminatorValue };

export function betaAdapter(port: number): GraphBetaRequestAdapter {
  const adapter = new GraphBetaRequestAdapter(
    new BaseBearerTokenAuthenticationProvider({
      getAuthorizationToken: async () => 'any-token',
      getAllowedHostsValidator: () => new AllowedHostsValidator(new Set(['127.0.0.1'])),
    }),
  );
  adapter.baseUrl = `http://127.0.0.1:${port}/beta`;
  return adapter;
}

interface RequestParts<T extends Parsable> {
  path?: Record<string, string>;
  query?: Record<string, string | number | boolean | string[]>;
  body?: T;
  serializer?: (writer: SerializationWriter, value?: Partial<T> | null) => void;
}

/** A request at `{+baseurl}/identityGovernance/entitlementManagement{template}`, with Kiota's `%24` query names. */
export function emRequest<T extends Parsable>(
  adapter: GraphBetaRequestAdapter,
  method: keyof typeof HttpMethod,
  template: string,
  parts: RequestParts<T> = {},
) {
  const request = new RequestInformation(HttpMethod[method], `{+baseurl}/identityGovernance/entitlementManagement${template}`);
  Object.assign(request.pathParameters, parts.path ?? {});
  Object.assign(request.queryParameters, parts.query ?? {});
  request.headers.tryAdd('Accept', 'application/json');
  if (parts.body !== undefined && parts.serializer) request.setContentFromParsable(adapter, 'application/json', parts.body, parts.serializer);
  return request;
}

/** The answer of `request` as the model `T` the factory builds (the generated factories are typed as Parsable's). */
export async function answerOf<T>(adapter: GraphBetaRequestAdapter, request: RequestInformation, factory: ParsableFactory<Parsable>): Promise<T> {
  const answer = await adapter.send(request, factory, ERRORS);
  if (!answer) throw new Error('The request answered no body.');
  return answer as T;
}

/** Every item of a list: its first page read through `factory`, the rest fetched by the SDK's PageIterator. */
export async function everyItem<T extends Parsable>(
  adapter: GraphBetaRequestAdapter,
  first: RequestInformation,
  // The generated collection responses declare `value` optional; PageIterator reads it as the page's items.
  collection: ParsableFactory<Parsable>,
): Promise<T[]> {
  const factory = collection as unknown as ParsableFactory<PageCollection<T>>;
  const page = await adapter.send(first, factory, ERRORS);
  if (!page) throw new Error('The list answered no page.');
  const items: T[] = [];
  await new PageIterator<T>(adapter, page, (item) => items.push(item) > 0, factory, ERRORS).iterate();
  return items;
}

/** What an SDK call threw, read as Graph's ODataError (status, the error's code, message and innerError, headers). */
export async function failureOf(call: Promise<unknown>) {
  const failure = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (failure === undefined) throw new Error('The call succeeded.');
  return failure as {
    responseStatusCode: number;
    message: string;
    responseHeaders: Record<string, string[]>;
    errorEscaped: { code: string; message: string; details?: unknown[]; innerError: { requestId: string; clientRequestId: string; date: Date } };
  };
}

// The properties of the derived types a policy's settings use, by @odata.type. The SDK's serializer of a base type
// (userSet, accessPackageQuestion) hands a derived value to the derived type's serializer with
// isSerializingDerivedType set, which then writes nothing (microsoft/kiota issues 6511 and 6777): they reach the
// wire only as additionalData, which the base serializer writes.
const DERIVED: Record<string, string[]> = {
  '#microsoft.graph.singleUser': ['id', 'description'],
  '#microsoft.graph.groupMembers': ['id', 'description'],
  '#microsoft.graph.connectedOrganizationMembers': ['id', 'description'],
  '#microsoft.graph.requestorManager': ['managerLevel'],
  '#microsoft.graph.accessPackageTextInputQuestion': ['isSingleLineQuestion', 'regexPattern'],
  '#microsoft.graph.accessPackageMultipleChoiceQuestion': ['allowsMultipleSelection', 'choices'],
};

/** A copy of `value` whose derived-type values also carry their own properties in additionalData, so they are sent. */
export function withDerivedProperties<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withDerivedProperties) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const copy = Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withDerivedProperties(inner)]));
  const own = DERIVED[String(copy['odataType'])] ?? [];
  const carried = Object.fromEntries(own.filter((key) => copy[key] !== undefined).map((key) => [key, copy[key]]));
  return (own.length > 0 ? { ...copy, additionalData: carried } : copy) as T;
}

/** `got` seen through the shape of `sent`: its properties that `sent` has (additionalData aside), at every level. */
export function inShapeOf(sent: unknown, got: unknown): unknown {
  if (Array.isArray(sent)) return Array.isArray(got) ? got.map((item, i) => inShapeOf(sent[i], item)) : got;
  if (sent === null || typeof sent !== 'object' || sent instanceof Date || got === null || typeof got !== 'object') return got;
  const keys = Object.keys(sent).filter((key) => key !== 'additionalData');
  return Object.fromEntries(keys.map((key) => [key, inShapeOf((sent as Record<string, unknown>)[key], (got as Record<string, unknown>)[key])]));
}

/** `sent` as `inShapeOf` compares it: without the additionalData a client added to carry derived properties. */
export function withoutCarried(sent: unknown): unknown {
  if (Array.isArray(sent)) return sent.map(withoutCarried);
  if (sent === null || typeof sent !== 'object' || sent instanceof Date) return sent;
  return Object.fromEntries(Object.entries(sent).flatMap(([key, inner]) => (key === 'additionalData' ? [] : [[key, withoutCarried(inner)]])));
}
