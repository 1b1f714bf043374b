// Model-based: random sequences of Graph and admin requests against one emulator on a file store, each answer
// (status, body, Content-Type, OData-Version, Location, request-id) checked against a model of what every tenant
// should hold (tests/support/graphModel.ts): creates, reads, updates and deletes of packages, catalogs and policies,
// incompatible packages and groups by $ref, a package's role scopes (added, read, removed, moved with it by
// moveToCatalog), catalogs' resources, roles and scopes (gone with the catalog), policies written through beta or
// v1.0 with settings and read (and sent back) through both, filterByCurrentUser and getApplicablePolicyRequirements,
// lists followed through every nextLink with $top, $filter, $orderby, $count and $select (across a write, a reset or
// a restore), reads sent as HEAD, `$batch`es of independent requests (beta's and v1.0's), resets, named baselines,
// tenants, and restarts on the same data file.
//
// A failure prints fast-check's seed and path, and the counterexample's replayPath; replay it with
//   MODEL_SEED=<seed> MODEL_PATH=<path> MODEL_REPLAY=<replayPath> npm test -- tests/http/graphModel.test.ts
// and explore further with MODEL_RUNS=2000 (any number of runs; without it the file runs a bounded number, in a few
// seconds). MODEL_SEED alone fixes the sequences generated.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { Emulator, type Model, TENANTS, type TenantModel, copyTenant, expectAdmin, expectTenant, readTenant } from '../support/graphModel.js';
import { Drop, Reimport, Reset, Restart, Restore, Save, Survey, Switch, survey } from '../support/graphModelAdmin.js';
import { type Filter, ListCatalogs, ListPackages, Walk } from '../support/graphModelLists.js';
import { createCatalog, createCatalogV1, createPackage, createPackageV1, createPolicy, putPolicy } from '../support/graphModelCreates.js';
import { incompatibleRef, navigation } from '../support/graphModelLinks.js';
import { type Op, deleteOne, getOne, patchOne } from '../support/graphModelOps.js';
import { CreatePolicy, SendBack } from '../support/graphModelPolicies.js';
import { catalogBody, catalogChanges, form, n, name, nonEmpty, packageBody, packageChanges, policySettings } from '../support/graphModelValues.js';
import { Group, Race, Single } from '../support/graphModelRequests.js';
import { groupRef, listGroups } from '../support/graphModelGroups.js';
import { Head } from '../support/graphModelHead.js';
import { filterByCurrentUser, requirements } from '../support/graphModelOffered.js';
import { EmptyCatalog, moveToCatalog } from '../support/graphModelMoves.js';
import { addRoleScope, expandRoleScopes, listUnder, roleScopeOne } from '../support/graphModelScopes.js';

const EXPLORING = process.env['MODEL_RUNS'] !== undefined;
// Bounded for the suite (a few seconds); MODEL_RUNS explores with as many runs as asked, each longer.
const RUNS = EXPLORING ? Number(process.env['MODEL_RUNS']) : 5;
const MAX_COMMANDS = EXPLORING ? 60 : 25;
const SEED = process.env['MODEL_SEED'] === undefined ? undefined : Number(process.env['MODEL_SEED']);
const PATH = process.env['MODEL_PATH'];
/** The replayPath fast-check prints after the counterexample: which commands ran, which a replay of PATH needs. */
const REPLAY = process.env['MODEL_REPLAY'];

/** What a reset to the fixtures holds and answers, read at the first run's start. */
let fixtures: TenantModel | undefined;
let fixtureCounts: Record<string, number> | undefined;

type Segment = Parameters<typeof listUnder>[0];
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(packageBody, fc.option(n, { nil: null })).map(([body, catalog]) => createPackage(body, catalog)) },
  { weight: 3, arbitrary: fc.tuple(n, form, fc.boolean(), fc.boolean()).map(([i, f, v1, expand]) => getOne('packages', i, f, v1, expand)) },
  { weight: 3, arbitrary: fc.tuple(n, nonEmpty(packageChanges), form, fc.boolean()).map(([i, changes, f, v1]) => patchOne('packages', i, changes, f, v1)) },
  { weight: 1, arbitrary: fc.tuple(packageBody, n).map(([body, catalog]) => createPackageV1(body, catalog)) },
  { weight: 2, arbitrary: fc.tuple(n, form).map(([i, f]) => deleteOne('packages', i, f)) },
  { weight: 2, arbitrary: catalogBody.map((body) => createCatalog(body)) },
  {
    weight: 1,
    arbitrary: fc.tuple(catalogBody, fc.constantFrom('published' as const, 'unpublished' as const, null)).map(([body, state]) => createCatalogV1(body, state)),
  },
  { weight: 1, arbitrary: fc.tuple(n, form, fc.boolean()).map(([i, f, v1]) => getOne('catalogs', i, f, v1)) },
  {
    weight: 2,
    arbitrary: fc.tuple(n, nonEmpty(catalogChanges), form, fc.boolean()).map(([i, changes, f, v1]) => patchOne('catalogs', i, changes, f, v1)),
  },
  { weight: 2, arbitrary: fc.tuple(n, form).map(([i, f]) => deleteOne('catalogs', i, f)) },
  { weight: 2, arbitrary: fc.tuple(name, n).map(([displayName, i]) => createPolicy(displayName, i)) },
  { weight: 1, arbitrary: n.map((i) => getOne('policies', i)) },
  { weight: 1, arbitrary: n.map((i) => deleteOne('policies', i)) },
  { weight: 1, arbitrary: fc.tuple(n, name, fc.option(name, { nil: null })).map(([i, displayName, description]) => putPolicy(i, displayName, description)) },
  { weight: 3, arbitrary: fc.tuple(fc.boolean(), n, n).map(([add, a, b]) => incompatibleRef(add, a, b)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('incompatibleAccessPackages', 'incompatibleAccessPackages/$ref', 'accessPackagesIncompatibleWith', 'accessPackageAssignmentPolicies'),
        n,
      )
      .map(([segment, i]) => navigation(segment, i)),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(n, n, n, fc.boolean(), fc.boolean(), fc.boolean()).map(([p, r, s, other, byOrigin, v1]) => addRoleScope(p, r, s, other, byOrigin, v1)),
  },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('GET' as const, 'DELETE' as const), n, n).map(([method, p, i]) => roleScopeOne(method, p, i)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'accessPackageResourceRoleScopes',
          'accessPackageResources',
          'accessPackageResourceRoles',
          'accessPackageResourceScopes',
        ) as fc.Arbitrary<Segment>,
        n,
      )
      .map(([segment, i]) => listUnder(segment, i)),
  },
  { weight: 2, arbitrary: fc.tuple(n, n).map(([p, c]) => moveToCatalog(p, c)) },
  { weight: 1, arbitrary: n.map((p) => expandRoleScopes(p)) },
  { weight: 2, arbitrary: fc.tuple(fc.boolean(), n, n, fc.boolean()).map(([add, p, g, upper]) => groupRef(add, p, g, upper)) },
  { weight: 1, arbitrary: fc.tuple(n, fc.boolean()).map(([p, refs]) => listGroups(p, refs)) },
  { weight: 1, arbitrary: fc.constant(filterByCurrentUser()) },
  { weight: 1, arbitrary: n.map((p) => requirements(p)) },
);
// The requests v1.0 serves of these, for its `$batch`.
const v1op: fc.Arbitrary<Op> = fc.oneof(
  fc.tuple(n, form, fc.constantFrom('packages' as const, 'catalogs' as const)).map(([i, f, kind]) => getOne(kind, i, f, true)),
  fc.tuple(n, nonEmpty(packageChanges), form).map(([i, changes, f]) => patchOne('packages', i, changes, f, true)),
  fc.tuple(n, nonEmpty(catalogChanges), form).map(([i, changes, f]) => patchOne('catalogs', i, changes, f, true)),
  fc.tuple(packageBody, n).map(([body, catalog]) => createPackageV1(body, catalog)),
  fc.tuple(catalogBody, fc.constantFrom('published' as const, 'unpublished' as const, null)).map(([body, state]) => createCatalogV1(body, state)),
  fc.tuple(n, n, n, fc.boolean(), fc.boolean()).map(([p, r, s, other, byOrigin]) => addRoleScope(p, r, s, other, byOrigin, true)),
);
const filter: fc.Arbitrary<Filter | null> = fc.option(
  fc.oneof(
    fc.constant({ kind: 'hidden' as const }),
    n.map((i) => ({ kind: 'catalog' as const, n: i })),
    name.map((text) => ({ kind: 'prefix' as const, text })),
    name.map((text) => ({ kind: 'contains' as const, text: text.toLowerCase() })),
  ),
);

const commands = [
  op.map((o) => new Single(o)),
  op.map((o) => new Single(o)),
  op.map((o) => new Single(o)),
  fc
    .tuple(fc.constantFrom('batch' as const, 'chain' as const, 'parallel' as const), fc.array(op, { minLength: 2, maxLength: 4 }))
    .map(([mode, ops]) => new Group(mode, ops)),
  fc.array(v1op, { minLength: 2, maxLength: 4 }).map((ops) => new Group('v1.0', ops)),
  fc.oneof(op, v1op).map((o) => new Head(o)),
  fc
    .tuple(
      fc.integer({ min: 1, max: 12 }),
      fc.constantFrom('asc' as const, 'desc' as const, null),
      filter,
      fc.boolean(),
      fc.boolean(),
      fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 })),
      fc.boolean(),
    )
    .map(([top, order, f, count, select, skip, prefer]) => new ListPackages(top, order, f, count, select, skip, prefer)),
  fc.integer({ min: 1, max: 4 }).map((top) => new ListCatalogs(top)),
  fc
    .tuple(
      fc.integer({ min: 1, max: 5 }),
      fc.constantFrom('asc' as const, 'desc' as const, null),
      op,
      fc.boolean(),
      fc.option(fc.record({ rename: fc.option(name, { nil: null }) }), { nil: null }),
      // Mostly a write between the pages; now and then a reset or a baseline's restore.
      fc.oneof(
        { weight: 3, arbitrary: fc.constant(null) },
        {
          weight: 1,
          arbitrary: fc.oneof(
            fc.constant(new Reset()),
            fc.constant(new Reimport()),
            fc.constantFrom('one', 'two').map((b) => new Restore(b)),
          ),
        },
      ),
    )
    .map(([top, order, o, restart, toLast, admin]) => new Walk(top, order, o, restart, toLast, admin)),
  fc
    .tuple(fc.boolean(), fc.constantFrom('uniqueName' as const, 'catalog' as const), fc.integer({ min: 2, max: 3 }))
    .map(([b, kind, count]) => new Race(b, kind, count)),
  fc.constant(new Reset()),
  fc.constant(new Reimport()),
  fc.constantFrom('one', 'two').map((b) => new Save(b)),
  fc.constantFrom('one', 'two').map((b) => new Restore(b)),
  fc.integer({ min: 0, max: TENANTS.length - 1 }).map((i) => new Switch(i)),
  fc.integer({ min: 0, max: TENANTS.length - 1 }).map((i) => new Drop(i)),
  fc.constant(new Restart()),
  fc.constant(new Survey()),
  n.map((i) => new EmptyCatalog(i)),
  fc.tuple(policySettings, n).map(([settings, i]) => new CreatePolicy(settings, i)),
  fc.tuple(fc.constantFrom('beta' as const, 'v1.0' as const), n).map(([version, i]) => new SendBack(version, i)),
];

describe('the emulator against a model of its tenants', () => {
  it('answers every random sequence of requests as the model predicts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.commands(commands, { maxCommands: MAX_COMMANDS, size: 'max', ...(REPLAY === undefined ? {} : { replayPath: REPLAY }) }),
        async (cmds) => {
          const real = await Emulator.create();
          try {
            const reset = await real.api().post('/_emulator/reset');
            expectAdmin(reset, 200);
            fixtureCounts ??= reset.body.records as Record<string, number>;
            const counts = fixtureCounts;
            expect(reset.body.records).toEqual(counts);
            const read = await readTenant(real, DEFAULT_TENANT_ID);
            fixtures ??= read;
            const model: Model = {
              tenants: new Map([[DEFAULT_TENANT_ID, copyTenant(read)]]),
              baselines: new Map(),
              current: DEFAULT_TENANT_ID,
              fixtures,
              fixtureCounts: counts,
            };
            expect(read).toEqual(fixtures);
            await fc.asyncModelRun(() => ({ model, real }), cmds);
            // Whatever the sequence read, every tenant and baseline the model holds is there, record for record.
            for (const [tid, t] of model.tenants) await expectTenant(real, tid, t);
            await survey(model, real);
          } finally {
            await real.destroy();
          }
        },
      ),
      {
        numRuns: RUNS,
        ...(SEED === undefined ? {} : { seed: SEED }),
        ...(PATH === undefined ? {} : { path: PATH, endOnFailure: true }),
        ...(EXPLORING ? { interruptAfterTimeLimit: 3_600_000 } : {}),
      },
    );
  });
});
