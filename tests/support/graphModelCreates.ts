// The model-based test's creates and a policy's PUT (tests/http/graphModel.test.ts): each a request resolved against
// the model, its answer predicted (the record, its defaults, its Location) and the model updated.
import { expect } from '@jest/globals';
import { CONTEXT, type Rec, UNKNOWN_ID, upnOf, v1Catalog, v1Package } from './graphModel.js';
import { type Op, ROOT, clash, created, invalidModel, literally, notFound, ok, pick, refused, uniqueTouch } from './graphModelOps.js';

/** A package in the catalog picked, or with no catalog named (the General catalog). */
export function createPackage(body: Rec, catalog: number | null): Op {
  return (t) => {
    const general = [...t.catalogs.values()].find((c) => c['catalogType'] === 'ServiceDefault')!['id'] as string;
    const catalogId = catalog === null ? general : pick([...t.catalogs.keys()], catalog);
    const sent = catalog === null ? body : { ...body, catalogId };
    return {
      label: `POST packages ${JSON.stringify(sent)}`,
      method: 'POST',
      url: `${ROOT}/accessPackages`,
      body: sent,
      touches: [catalogId, ...uniqueTouch('packages', body)],
      creates: 'packages',
      check(t, answer, ctx) {
        if (catalogId === UNKNOWN_ID) return invalidModel(answer, ctx);
        const taken = clash(t.packages, null, body);
        if (taken !== undefined) return refused(answer, 400, 'BadRequest', new RegExp(`uniqueName '${literally(taken)}' already exists`), ctx);
        const upn = upnOf(ctx.tid);
        const expected = { description: null, isHidden: false, uniqueName: null, ...body, catalogId, isRoleScopesVisible: false };
        created(t.packages, 'accessPackages', { ...expected, createdBy: upn, modifiedBy: upn }, answer, ctx);
        expect(answer.body['@odata.type']).toBe('#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage');
      },
    };
  };
}

export function createCatalog(body: Rec): Op {
  return () => ({
    label: `POST catalogs ${JSON.stringify(body)}`,
    method: 'POST',
    url: `${ROOT}/accessPackageCatalogs`,
    body,
    touches: uniqueTouch('catalogs', body),
    creates: 'catalogs',
    check(t, answer, ctx) {
      const taken = clash(t.catalogs, null, body);
      if (taken !== undefined) return refused(answer, 400, 'BadRequest', new RegExp(`uniqueName '${literally(taken)}' already exists`), ctx);
      const upn = upnOf(ctx.tid);
      const expected = { catalogStatus: 'Published', description: null, isExternallyVisible: false, uniqueName: null, ...body, catalogType: 'UserManaged' };
      const by = { createdBy: upn, modifiedBy: upn, privilegeLevel: 'standard' };
      created(t.catalogs, 'accessPackageCatalogs', { ...expected, ...by }, answer, ctx);
    },
  });
}

/** POST v1.0 catalogs: its `state` is beta's catalogStatus (docs/entitlement-management.md); v1.0 has no uniqueName. */
export function createCatalogV1(body: Rec, state: 'published' | 'unpublished' | null): Op {
  const { uniqueName: _u, catalogStatus: _s, ...v1Body } = body;
  const sent = { ...v1Body, ...(state === null ? {} : { state }) };
  return () => ({
    label: `POST v1.0 catalogs ${JSON.stringify(sent)}`,
    method: 'POST',
    url: `${ROOT}/catalogs`,
    version: 'v1.0',
    body: sent,
    touches: [],
    creates: 'catalogs',
    check(t, answer, ctx) {
      const upn = upnOf(ctx.tid);
      const catalogStatus = state === 'unpublished' ? 'Unpublished' : 'Published';
      const expected = { description: null, isExternallyVisible: false, uniqueName: null, ...v1Body, catalogStatus, catalogType: 'UserManaged' };
      created(t.catalogs, 'catalogs', { ...expected, createdBy: upn, modifiedBy: upn, privilegeLevel: 'standard' }, answer, ctx, v1Catalog);
    },
  });
}

/** Graph's no-approval policy, what a create that sends only a name and a package gets. */
const POLICY_DEFAULTS = {
  accessPackageNotificationSettings: null,
  accessReviewSettings: null,
  canExtend: false,
  description: null,
  durationInDays: 0,
  expirationDateTime: null,
  questions: [],
  requestApprovalSettings: {
    isApprovalRequired: false,
    isApprovalRequiredForExtension: false,
    isRequestorJustificationRequired: false,
    approvalMode: 'NoApproval',
    approvalStages: [],
  },
  requestorSettings: { scopeType: 'NoSubjects', acceptRequests: true, allowedRequestors: [] },
  verifiableCredentialSettings: null,
};

export function createPolicy(displayName: string, n: number): Op {
  return (t) => {
    const accessPackageId = pick([...t.packages.keys()], n);
    return {
      label: `POST policies ${displayName} for ${accessPackageId}`,
      method: 'POST',
      url: `${ROOT}/accessPackageAssignmentPolicies`,
      body: { displayName, accessPackageId },
      touches: [accessPackageId],
      creates: 'policies',
      check(t, answer, ctx) {
        if (accessPackageId === UNKNOWN_ID) return invalidModel(answer, ctx);
        const upn = upnOf(ctx.tid);
        const expected = { ...POLICY_DEFAULTS, displayName, accessPackageId, createdBy: upn, modifiedBy: upn };
        created(t.policies, 'accessPackageAssignmentPolicies', expected, answer, ctx);
      },
    };
  };
}

/** v1.0's create of a package: its displayName and catalog required; shown in v1.0's shape, read in beta's. */
export function createPackageV1(body: Rec, catalog: number): Op {
  return (t) => {
    const catalogId = pick([...t.catalogs.keys()], catalog);
    const { uniqueName: _u, ...v1Body } = body;
    const sent = { ...v1Body, catalog: { id: catalogId } };
    return {
      label: `POST v1.0 packages ${JSON.stringify(sent)}`,
      method: 'POST',
      url: `${ROOT}/accessPackages`,
      version: 'v1.0',
      body: sent,
      touches: [catalogId],
      creates: 'packages',
      check(t, answer, ctx) {
        if (catalogId === UNKNOWN_ID || v1Body['displayName'] === null || v1Body['displayName'] === undefined) return invalidModel(answer, ctx);
        const upn = upnOf(ctx.tid);
        const expected = {
          description: null,
          isHidden: false,
          uniqueName: null,
          ...v1Body,
          catalogId,
          isRoleScopesVisible: false,
          createdBy: upn,
          modifiedBy: upn,
        };
        created(t.packages, 'accessPackages', expected, answer, ctx, v1Package);
      },
    };
  };
}

/** PUT of a policy: what the body leaves out returns to its default; the package, the id and the creation stay. */
export function putPolicy(n: number, displayName: string, description: string | null): Op {
  return (t) => {
    const id = pick([...t.policies.keys()], n);
    const body = { displayName, description };
    return {
      label: `PUT policies ${id} ${JSON.stringify(body)}`,
      method: 'PUT',
      url: `${ROOT}/accessPackageAssignmentPolicies/${id}`,
      body,
      touches: [id],
      check(t, answer, ctx) {
        if (id === UNKNOWN_ID) return notFound(answer, ctx);
        ok(answer, 200, ctx);
        const held = t.policies.get(id)!;
        const { '@odata.context': context, ...read } = answer.body as Rec;
        expect(context).toBe(`${CONTEXT}/accessPackageAssignmentPolicies/$entity`);
        const kept = { id, accessPackageId: held['accessPackageId'], createdBy: held['createdBy'], createdDateTime: held['createdDateTime'] };
        const expected = { ...POLICY_DEFAULTS, ...body, ...kept, modifiedBy: upnOf(ctx.tid), modifiedDateTime: read['modifiedDateTime'] };
        expect(read).toEqual(expected);
        if (!t.stale.has(id)) expect(String(read['modifiedDateTime']) > String(held['modifiedDateTime'])).toBe(true);
        t.stale.delete(id);
        t.policies.set(id, expected);
      },
    };
  };
}
