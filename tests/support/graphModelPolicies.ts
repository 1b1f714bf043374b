// The model-based test's policies through both versions (tests/http/graphModel.test.ts): a policy created through
// v1.0 with settings is answered as sent and read through beta in beta's settings; one created through beta with
// settings is read through v1.0 in v1.0's; and a policy read through either version and sent back as a PUT through
// it changes neither version's view (docs/entitlement-management.md: a GET sent back changes none).
import { expect } from '@jest/globals';
import { GUID } from './graph.js';
import {
  type Command,
  type Emulator,
  type Model,
  type Rec,
  type TenantModel,
  UNKNOWN_ID,
  expectRecord,
  expectSuccess,
  peek,
  tokenOf,
  touch,
  upnOf,
} from './graphModel.js';
import { ROOT, pick } from './graphModelOps.js';

type Version = 'beta' | 'v1.0';
const SET: Record<Version, string> = { beta: 'accessPackageAssignmentPolicies', 'v1.0': 'assignmentPolicies' };
/** v1.0's allowedTargetScope ⇄ beta's scopeType, as docs/entitlement-management.md maps them. */
export const SCOPES: Record<string, string> = {
  notSpecified: 'NoSubjects',
  specificDirectoryUsers: 'SpecificDirectorySubjects',
  allMemberUsers: 'AllExistingDirectoryMemberUsers',
  allDirectoryUsers: 'AllExistingDirectorySubjects',
  allConfiguredConnectedOrganizationUsers: 'AllConfiguredConnectedOrganizationSubjects',
  allExternalUsers: 'AllExternalSubjects',
};

async function send(real: Emulator, m: Model, method: 'get' | 'post' | 'put', version: Version, path: string, body?: Rec) {
  const call = real.api()[method](`/${version}${ROOT}/${path}`).set(tokenOf(m.current));
  return body === undefined ? call : call.send(body);
}

/** A policy as a version reads it, without its context. */
async function read(real: Emulator, m: Model, version: Version, id: string): Promise<Rec> {
  const res = await send(real, m, 'get', version, `${SET[version]}/${id}`);
  expectSuccess(res, 200);
  const { '@odata.context': _c, ...record } = res.body as Rec;
  return record;
}

/** The settings a generated policy is created with, in the version it is created through. */
export interface PolicySettings {
  version: Version;
  scope: keyof typeof SCOPES;
  days: number;
  hours: boolean;
  selfAdd: boolean;
  selfUpdate: boolean;
  stages: number;
  approvalForAdd: boolean;
  /** An end date instead of a duration (v1.0's afterDateTime, beta's expirationDateTime). */
  end: boolean;
}

/** Written as Graph writes a DateTimeOffset, so that each version answers it as sent. */
const END = '2027-03-01T00:00:00.0000000Z';

const approver = { '@odata.type': '#microsoft.graph.singleUser', userId: 'e6b9c3a1-0000-4000-8000-000000000001' };

function bodyOf(s: PolicySettings, displayName: string, accessPackageId: string, end = END): Rec {
  if (s.version === 'v1.0') {
    return {
      displayName,
      accessPackage: { id: accessPackageId },
      allowedTargetScope: s.scope,
      ...(s.scope === 'specificDirectoryUsers' ? { specificAllowedTargets: [approver] } : {}),
      expiration: s.end
        ? { type: 'afterDateTime', endDateTime: end }
        : s.days === 0
          ? { type: 'noExpiration' }
          : { type: 'afterDuration', duration: s.hours ? `PT${24 * s.days}H` : `P${s.days}D` },
      requestorSettings: { enableTargetsToSelfAddAccess: s.selfAdd, enableTargetsToSelfUpdateAccess: s.selfUpdate },
      requestApprovalSettings: {
        isApprovalRequiredForAdd: s.approvalForAdd,
        isApprovalRequiredForUpdate: false,
        stages: Array.from({ length: s.stages }, (_, i) => ({ durationBeforeAutomaticDenial: `P${i + 1}D`, primaryApprovers: [approver] })),
      },
    };
  }
  return {
    displayName,
    accessPackageId,
    durationInDays: s.end ? 0 : s.days,
    ...(s.end ? { expirationDateTime: end } : {}),
    canExtend: s.selfUpdate,
    requestorSettings: {
      scopeType: SCOPES[s.scope],
      acceptRequests: s.selfAdd,
      allowedRequestors: s.scope === 'specificDirectoryUsers' ? [{ '@odata.type': '#microsoft.graph.singleUser', id: approver.userId, isBackup: false }] : [],
    },
    requestApprovalSettings: {
      isApprovalRequired: s.approvalForAdd,
      isApprovalRequiredForExtension: false,
      isRequestorJustificationRequired: false,
      approvalMode: s.stages === 0 ? 'NoApproval' : s.stages === 1 ? 'SingleStage' : 'Serial',
      approvalStages: Array.from({ length: s.stages }, (_, i) => ({
        approvalStageTimeOutInDays: i + 1,
        isApproverJustificationRequired: false,
        isEscalationEnabled: false,
        escalationTimeInMinutes: 0,
        primaryApprovers: [{ '@odata.type': '#microsoft.graph.singleUser', id: approver.userId, isBackup: false }],
      })),
    },
  };
}

/** What the other version must show of the settings: the correspondences the docs name, in the reading version's terms. */
function expectMapped(s: PolicySettings, beta: Rec, v1: Rec): void {
  const requestor = beta['requestorSettings'] as Rec;
  const v1Requestor = v1['requestorSettings'] as Rec;
  expect([requestor['scopeType'], v1['allowedTargetScope']]).toEqual([SCOPES[s.scope], s.scope]);
  // v1.0 shows a beta policy that has nobody in scope as accepting no requests (keptBetaSettings.ts).
  const selfAdd = s.selfAdd && (s.version === 'v1.0' || s.scope !== 'notSpecified');
  expect([requestor['acceptRequests'], v1Requestor['enableTargetsToSelfAddAccess']]).toEqual([s.selfAdd, selfAdd]);
  expect([beta['canExtend'], v1Requestor['enableTargetsToSelfUpdateAccess']]).toEqual([s.selfUpdate, s.selfUpdate]);
  expect([beta['durationInDays'], beta['expirationDateTime']]).toEqual(s.end ? [0, END] : [s.days, null]);
  const expiration = v1['expiration'] as Rec;
  expect([expiration['type'], expiration['endDateTime'] ?? null]).toEqual(
    s.end ? ['afterDateTime', END] : [s.days === 0 ? 'noExpiration' : 'afterDuration', null],
  );
  const approval = beta['requestApprovalSettings'] as Rec;
  const v1Approval = v1['requestApprovalSettings'] as Rec;
  expect([approval['isApprovalRequired'], v1Approval['isApprovalRequiredForAdd']]).toEqual([s.approvalForAdd, s.approvalForAdd]);
  expect([(approval['approvalStages'] as Rec[]).length, (v1Approval['stages'] as Rec[]).length]).toEqual([s.stages, s.stages]);
}

/** POST a policy with settings through one version: its answer, and both versions' reads of it. */
export class CreatePolicy implements Command {
  private label = 'create policy';
  constructor(
    private readonly s: PolicySettings,
    private readonly n: number,
  ) {}
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    const packageId = pick([...peek(m).packages.keys()], this.n);
    if (packageId === UNKNOWN_ID) return;
    const t = touch(m);
    // An end sent with an offset reads in UTC, in either version (docs/entitlement-management.md).
    const body = bodyOf(this.s, 'Versions', packageId, this.s.hours ? '2027-03-01T02:00:00+02:00' : END);
    this.label = `POST ${this.s.version} policy ${JSON.stringify(body)}`;
    const res = await send(real, m, 'post', this.s.version, SET[this.s.version], body);
    expectSuccess(res, 201);
    const id = res.body['id'] as string;
    expect(id).toMatch(GUID);
    const [beta, v1] = [await read(real, m, 'beta', id), await read(real, m, 'v1.0', id)];
    const { accessPackage: _p, ...settings } = bodyOf(this.s, 'Versions', packageId);
    // A version answers what was sent through it, as sent; the other maps it.
    expect(this.s.version === 'beta' ? beta : v1).toMatchObject(settings);
    expect({ ...res.body, '@odata.context': undefined }).toEqual({ ...(this.s.version === 'beta' ? beta : v1), '@odata.context': undefined });
    expectMapped(this.s, beta, v1);
    expect([beta['accessPackageId'], beta['createdBy'], beta['modifiedBy']]).toEqual([packageId, upnOf(m.current), upnOf(m.current)]);
    t.policies.set(id, beta);
  }
  toString = () => this.label;
}

/** A policy read through one version and sent back through it as a PUT: neither version's view changes. */
export class SendBack implements Command {
  private label = 'send a policy back';
  constructor(
    private readonly version: Version,
    private readonly n: number,
  ) {}
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    const id = pick([...peek(m).policies.keys()], this.n);
    if (id === UNKNOWN_ID) return;
    const t: TenantModel = touch(m);
    this.label = `GET and PUT ${this.version} policy ${id}`;
    const before = { beta: await read(real, m, 'beta', id), 'v1.0': await read(real, m, 'v1.0', id) };
    expectRecord(t, t.policies, before.beta);
    const res = await send(real, m, 'put', this.version, `${SET[this.version]}/${id}`, before[this.version]);
    expectSuccess(res, 200);
    const after = { beta: await read(real, m, 'beta', id), 'v1.0': await read(real, m, 'v1.0', id) };
    const stamp = (r: Rec) => ({ ...r, modifiedDateTime: undefined, modifiedBy: undefined });
    expect(stamp(after['v1.0'])).toEqual(stamp(before['v1.0']));
    expect(stamp(after.beta)).toEqual(stamp(before.beta));
    expect(String(after.beta['modifiedDateTime']) > String(before.beta['modifiedDateTime'])).toBe(true);
    expect(after.beta['modifiedBy']).toBe(upnOf(m.current));
    t.policies.set(id, after.beta);
  }
  toString = () => this.label;
}
