// Stored accessPackage records for list tests, built directly (no HTTP) so hundreds cost nothing.
import { randomUUID } from 'node:crypto';
import type { AccessPackage } from '../../server/store/records.js';
import type { Store } from '../../server/store/store.js';

export function accessPackage(overrides: Partial<AccessPackage> = {}): AccessPackage {
  return {
    id: randomUUID(),
    catalogId: null,
    createdBy: 'admin@contoso.onmicrosoft.com',
    createdDateTime: '2024-01-01T00:00:00.0000000Z',
    description: null,
    displayName: null,
    isHidden: false,
    isRoleScopesVisible: false,
    modifiedBy: 'admin@contoso.onmicrosoft.com',
    modifiedDateTime: '2024-01-01T00:00:00.0000000Z',
    ...overrides,
  };
}

/** `count` records named `Package 000`…, created one second apart, every third one hidden. */
export async function seedPackages(store: Store, count: number, prefix = 'Package'): Promise<AccessPackage[]> {
  const records: AccessPackage[] = [];
  for (let i = 0; i < count; i++) {
    const at = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString().replace(/\.\d{3}Z$/, '.0000000Z');
    const record = accessPackage({ displayName: `${prefix} ${String(i).padStart(3, '0')}`, isHidden: i % 3 === 0, createdDateTime: at, modifiedDateTime: at });
    await store.create('accessPackages', record);
    records.push(record);
  }
  return records;
}
