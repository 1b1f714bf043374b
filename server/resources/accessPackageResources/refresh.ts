// refresh: POST …/accessPackageCatalogs/{id}/accessPackageResources/{id}/refresh (v1.0: …/catalogs/{id}/resources/{id}/refresh);
// 200 OK with no body. Graph fetches the resource's displayName, description and resourceType again from its origin
// system (and an application's roles' names); the emulator is that origin system, so there is nothing newer to fetch
// and the refresh changes nothing (chosen: not documented). The resource must be in the catalog the path names, as
// its GET there; its body and query string are checked before, as every action's (../actionInput.ts).
// https://learn.microsoft.com/graph/api/accesspackageresource-refresh?view=graph-rest-beta
// https://learn.microsoft.com/graph/api/accesspackageresource-refresh?view=graph-rest-1.0
import { sendEmpty } from '../../http/successAnswers.js';
import type { Operation$ } from '../definition.js';

export const refresh: Operation$ = {
  // Both pages: EntitlementManagement.ReadWrite.All, delegated or application.
  access: 'write',
  handler(_resource, _req, res) {
    sendEmpty(res, 200);
  },
};
