// Stored records for the benchmark: the same deterministic accessPackages written in the emulator's data
// file format and in json-server's db.json, so both servers start from identical data.
import { writeFile } from 'node:fs/promises';
import { serializeDataset } from '../server/store/dataFileFormat.js';
import { type AccessPackage, type AccessPackageAssignmentPolicy, datasetOf } from '../server/store/records.js';

// About one name in six contains an 'x', so the filtered first page is found after a short scan while a
// scan of the whole collection still costs what the collection size says. Names are spelled as the tenant
// generator spells them, `Department – team` with an en dash: like most real names somewhere, they are not
// ASCII, which is what makes tolower() cost (V8 lower-cases ASCII strings on a fast path, others not).
export const TEAMS = ['Sales', 'Finance', 'Tax', 'Marketing', 'Engineering', 'Legal', 'Support', 'Research', 'Exchange', 'Payroll', 'Security', 'Design'];
const KINDS = ['apps', 'admins', 'readers', 'approvers', 'contractors', 'interns', 'partners'];

export function benchId(index: number): string {
  return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

export function benchRecords(count: number): AccessPackage[] {
  const base = Date.UTC(2026, 0, 1);
  return Array.from({ length: count }, (_, i) => {
    const at = `${new Date(base + i * 1000).toISOString().slice(0, 19)}.0000000Z`;
    return {
      id: benchId(i),
      catalogId: null,
      createdBy: 'bench@contoso.com',
      createdDateTime: at,
      description: `Access for ${TEAMS[i % TEAMS.length]} ${KINDS[i % KINDS.length]}, batch ${Math.floor(i / 100)}`,
      displayName: `${TEAMS[i % TEAMS.length]} – ${KINDS[(i >> 2) % KINDS.length]} ${i}`,
      isHidden: i % 10 === 0,
      isRoleScopesVisible: false,
      modifiedBy: 'bench@contoso.com',
      modifiedDateTime: at,
    };
  });
}

/** One direct-assignment policy per package, as generated tenants have: the data of the $expand workload. */
function benchPolicies(packages: readonly AccessPackage[]): AccessPackageAssignmentPolicy[] {
  return packages.map((p, i) => ({
    id: `00000000-0000-4000-9000-${i.toString(16).padStart(12, '0')}`,
    accessPackageId: p.id,
    accessPackageNotificationSettings: null,
    accessReviewSettings: null,
    canExtend: false,
    createdBy: p.createdBy,
    createdDateTime: p.createdDateTime,
    description: 'Direct assignments by an administrator',
    displayName: 'Direct assignments',
    durationInDays: 365,
    expirationDateTime: null,
    modifiedBy: p.modifiedBy,
    modifiedDateTime: p.modifiedDateTime,
    questions: [],
    requestApprovalSettings: null,
    requestorSettings: { scopeType: 'NoSubjects', acceptRequests: true, allowedRequestors: [] },
    verifiableCredentialSettings: null,
    v1Settings: null,
  }));
}

interface DataFiles {
  /** The emulator's DATA_FILE, in its own snapshot format. */
  emulator: string;
  /** json-server's database, as its lowdb JSONFile adapter writes it (two-space indented). */
  jsonServer: string;
}

export async function writeDataFiles(records: readonly AccessPackage[], files: DataFiles): Promise<void> {
  await writeEmulatorDataFile(records, files.emulator);
  await writeFile(files.jsonServer, JSON.stringify({ accessPackages: records }, null, 2));
}

export async function writeEmulatorDataFile(records: readonly AccessPackage[], file: string, withPolicies = false): Promise<void> {
  const policies = withPolicies ? { accessPackageAssignmentPolicies: benchPolicies(records) } : {};
  await writeFile(file, serializeDataset(datasetOf({ accessPackages: [...records], ...policies })));
}
