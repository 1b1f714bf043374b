// A backend as a compose stack runs it: MSAL's client-credentials flow with the emulator as its authority,
// then a Graph call with the token. Nothing in it knows the emulator but the authority URL and the CA the
// process trusts (NODE_EXTRA_CA_CERTS). Prints one JSON line.
//   node msalBackend.mjs <authority> <clientId> <graph base URL>
import { ConfidentialClientApplication } from '@azure/msal-node';

const [authority, clientId, graphUrl] = process.argv.slice(2);
const msal = new ConfidentialClientApplication({
  auth: { clientId, clientSecret: 'any-secret', authority, knownAuthorities: [new URL(authority).host] },
});
const scopes = ['https://graph.microsoft.com/.default'];
const first = await msal.acquireTokenByClientCredential({ scopes });
const again = await msal.acquireTokenByClientCredential({ scopes });
const created = await fetch(`${graphUrl}/beta/identityGovernance/entitlementManagement/accessPackages`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${first.accessToken}`, 'Content-Type': 'application/json' },
  body: JSON.stringify({ displayName: `Created by ${clientId}` }),
});
console.log(
  JSON.stringify({
    tokenType: first.tokenType,
    accessToken: first.accessToken,
    secondFromCache: again.fromCache,
    status: created.status,
    body: await created.json(),
  }),
);
