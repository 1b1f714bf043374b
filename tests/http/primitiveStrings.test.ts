// A JSON string for an Edm.Boolean or Edm.Int32 property is read as Graph's OData reader (Microsoft.OData.Core's
// ODataPayloadValueConverter.ConvertStringValue) reads it: "true" is true, "7" is 7, as Graph's v1.0 policy create
// page sends them (example 4); a string that .NET's Boolean.Parse or Int32.Parse refuses is still a 400.
import { describe, expect, it } from '@jest/globals';
import { cpuMsOf } from '../support/cpuTime.js';
import request from 'supertest';
import { AUTH, ODATA_JSON, PACKAGES, POLICIES, V1, expectGraphHeaders } from '../support/graph.js';
import { createV1Package, setupV1 } from '../support/v1.js';

async function setup() {
  const { app, catalogId } = await setupV1();
  const accessPackageId = await createV1Package(app, catalogId, 'p');
  return { app, catalogId, accessPackageId };
}

describe('strings for Boolean and Int32 properties', () => {
  it('a v1.0 policy with "true" and "TRUE" for its settings is created with them true', async () => {
    const { app, accessPackageId } = await setup();
    const res = await request(app)
      .post(`${V1}/assignmentPolicies`)
      .set(AUTH)
      .send({
        displayName: 'true',
        allowedTargetScope: 'allMemberUsers',
        requestorSettings: { enableTargetsToSelfAddAccess: 'true', enableTargetsToSelfUpdateAccess: ' False ' },
        requestApprovalSettings: { isApprovalRequiredForAdd: 'TRUE', stages: [] },
        accessPackage: { id: accessPackageId },
      });
    expect([res.status, res.headers['content-type']]).toEqual([201, ODATA_JSON]);
    expectGraphHeaders(res);
    // A String property keeps its string.
    expect(res.body.displayName).toBe('true');
    expect(res.body.requestorSettings).toMatchObject({ enableTargetsToSelfAddAccess: true, enableTargetsToSelfUpdateAccess: false });
    expect(res.body.requestApprovalSettings).toMatchObject({ isApprovalRequiredForAdd: true });
    const beta = (await request(app).get(`${POLICIES}/${res.body.id}`).set(AUTH)).body;
    expect([beta.requestorSettings.acceptRequests, beta.canExtend, beta.requestApprovalSettings.isApprovalRequired]).toEqual([true, false, true]);
  });

  it('in beta: a package with "isHidden": "true" is hidden, a stage of " 7 " days lasts 7', async () => {
    const { app, catalogId, accessPackageId } = await setup();
    const pkg = await request(app).post(PACKAGES).set(AUTH).send({ catalogId, displayName: 'hidden', isHidden: 'true' });
    expect([pkg.status, pkg.body.isHidden]).toEqual([201, true]);
    const policy = await request(app)
      .post(POLICIES)
      .set(AUTH)
      .send({
        accessPackageId,
        displayName: 'p',
        durationInDays: '30',
        requestApprovalSettings: { isApprovalRequired: 'true', approvalMode: 'SingleStage', approvalStages: [{ approvalStageTimeOutInDays: ' 7 ' }] },
      });
    expect(policy.status).toBe(201);
    expect([policy.body.durationInDays, policy.body.requestApprovalSettings.approvalStages[0].approvalStageTimeOutInDays]).toEqual([30, 7]);
  });

  it('refuses a long run of spaces inside a Boolean or an Int32 at once, in time linear in its length', async () => {
    const { app, catalogId, accessPackageId } = await setup();
    const inner = `x${' '.repeat(200_000)}x`;
    const {
      value: [pkg, policy],
      cpuMs: took,
    } = await cpuMsOf(async () => [
      await request(app).post(PACKAGES).set(AUTH).send({ catalogId, displayName: 'x', isHidden: inner }),
      await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'p', durationInDays: inner }),
    ]);
    for (const [res, property] of [
      [pkg, 'isHidden'],
      [policy, 'durationInDays'],
    ] as const) {
      expect([res.status, res.body.error.code]).toEqual([400, 'BadRequest']);
      expect(res.body.error.message).toMatch(new RegExp(`^Invalid value for property '${property}': cannot convert the literal 'x {16}`));
    }
    // A trim by regular expression took about 12 s for each of these.
    expect(took).toBeLessThan(2000);
  });

  it.each([
    ['a no-break space before it', '\u00a0true', true],
    ['an ideographic space and a line separator around it', '\u3000false\u2028', false],
    ['NUL characters around it', '\u0000TRUE\u0000', true],
  ])('reads a Boolean with %s, as Boolean.Parse trims Unicode white space and NULs', async (_name, isHidden, expected) => {
    const { app, catalogId } = await setup();
    const res = await request(app).post(PACKAGES).set(AUTH).send({ catalogId, displayName: 'x', isHidden });
    expect([res.status, res.headers['content-type'], res.body.isHidden]).toEqual([201, ODATA_JSON, expected]);
  });

  it.each([
    ['a Boolean of "yes"', { isHidden: 'yes' }, 'isHidden'],
    ['a Boolean after a byte order mark, which is no white space to .NET', { isHidden: '\ufefftrue' }, 'isHidden'],
    ['a Boolean of "1"', { isHidden: '1' }, 'isHidden'],
  ])('refuses %s, as Boolean.Parse does', async (_name, sent, property) => {
    const { app, catalogId } = await setup();
    const res = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ catalogId, displayName: 'x', ...sent });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BadRequest', message: expect.stringContaining(`'${property}'`) });
  });

  // Int32.Parse's white space is ASCII's alone (NumberStyles.AllowLeadingWhite): a no-break space is refused.
  it.each([['1.5'], ['2147483648'], ['0x10'], [''], ['\u00a07']])('refuses an Int32 of "%s", as Int32.Parse does', async (days) => {
    const { app, accessPackageId } = await setup();
    const res = await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'p', durationInDays: days });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'BadRequest', message: expect.stringContaining("'durationInDays'") });
  });
  it('a body refused for another value quotes the literal as sent, not as converted', async () => {
    const { app, accessPackageId } = await setup();
    const requestApprovalSettings = { isApprovalRequired: 'true', approvalStages: [{ approvalStageTimeOutInDays: 'x' }] };
    const res = await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'p', requestApprovalSettings });
    expect([res.status, res.headers['content-type']]).toEqual([400, 'application/json']);
    expectGraphHeaders(res);
    expect(res.body.error).toMatchObject({
      code: 'BadRequest',
      message: `Invalid value for property 'requestApprovalSettings': cannot convert the literal '${JSON.stringify(requestApprovalSettings)}' to the expected type 'microsoft.graph.approvalSettings'.`,
    });
  });
  it('reads a Boolean with the white space and U+0000s Boolean.Parse trims, an Int32 with trailing U+0000s as Int32.Parse does', async () => {
    const { app, catalogId, accessPackageId } = await setup();
    const pkg = await request(app)
      .post(PACKAGES)
      .set(AUTH)
      .send({ catalogId, displayName: 'x', isHidden: '\u00a0true\u2028', isRoleScopesVisible: 'false\u0000' });
    expect([pkg.status, pkg.body.isHidden, pkg.body.isRoleScopesVisible]).toEqual([201, true, false]);
    const policy = await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'p', durationInDays: ' 30 \u0000\u0000' });
    expect([policy.status, policy.body.durationInDays]).toEqual([201, 30]);
    // Int32.Parse's white space is ASCII's only, and nothing follows a U+0000.
    for (const days of ['\u00a030', '30\u0000 ']) {
      const refused = await request(app).post(POLICIES).set(AUTH).send({ accessPackageId, displayName: 'p', durationInDays: days });
      expect([refused.status, refused.body.error.message]).toEqual([400, expect.stringContaining("'durationInDays'")]);
    }
  });
});
