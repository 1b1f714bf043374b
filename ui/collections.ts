// How the page shows each stored collection: the Graph entity set it browses (beta), the columns of its table
// (sortable where Graph's $orderby takes the property), how a record is updated, and what a new one starts as.
// Collections Graph serves only under another record have no table; the page says where Graph serves them.
// Plain data, no DOM: tests/unit/pageCollections.test.ts checks it against the server's collections.

export interface Column {
  key: string;
  label: string;
  /** Graph filters and sorts on it ($orderby). */
  sortable: boolean;
}

export interface CollectionView {
  name: string;
  label: string;
  /** The entity set under /beta/identityGovernance/entitlementManagement. */
  entitySet?: string;
  columns?: readonly Column[];
  /** How Graph updates one: PATCH, or PUT (the whole record, as the policy update page documents). */
  update?: 'PATCH' | 'PUT';
  /** The body a new record starts from in the editor. */
  template?: Readonly<Record<string, unknown>>;
  /** Where Graph serves a collection that has no entity set of its own. */
  servedUnder?: string;
}

const col = (key: string, label: string, sortable = true): Column => ({ key, label, sortable });

export const COLLECTION_VIEWS: readonly CollectionView[] = [
  {
    name: 'accessPackages',
    label: 'Access packages',
    entitySet: 'accessPackages',
    columns: [
      col('displayName', 'Display name'),
      col('description', 'Description'),
      col('isHidden', 'Hidden'),
      col('catalogId', 'Catalog'),
      col('modifiedDateTime', 'Modified'),
    ],
    update: 'PATCH',
    template: { displayName: 'New access package', description: 'Created from the admin page', isHidden: false },
  },
  {
    name: 'accessPackageCatalogs',
    label: 'Catalogs',
    entitySet: 'accessPackageCatalogs',
    columns: [
      col('displayName', 'Display name'),
      col('catalogType', 'Type'),
      col('catalogStatus', 'Status'),
      col('isExternallyVisible', 'External'),
      col('modifiedDateTime', 'Modified'),
    ],
    update: 'PATCH',
    template: { displayName: 'New catalog', description: 'Created from the admin page', isExternallyVisible: false },
  },
  {
    name: 'accessPackageAssignmentPolicies',
    label: 'Assignment policies',
    entitySet: 'accessPackageAssignmentPolicies',
    columns: [
      col('displayName', 'Display name'),
      col('description', 'Description'),
      col('accessPackageId', 'Access package', false),
      col('modifiedDateTime', 'Modified'),
    ],
    update: 'PUT',
    template: {
      accessPackageId: '<id of an access package>',
      displayName: 'New policy',
      description: 'Created from the admin page',
      durationInDays: 365,
      requestorSettings: { scopeType: 'NoSubjects', acceptRequests: true, allowedRequestors: [] },
    },
  },
  { name: 'accessPackageResources', label: 'Resources', servedUnder: 'accessPackageCatalogs/{id}/accessPackageResources' },
  { name: 'accessPackageResourceRequests', label: 'Resource requests', servedUnder: 'accessPackageResourceRequests' },
  { name: 'accessPackageResourceRoles', label: 'Resource roles', servedUnder: 'accessPackageCatalogs/{id}/accessPackageResourceRoles' },
  { name: 'accessPackageResourceScopes', label: 'Resource scopes', servedUnder: 'accessPackageCatalogs/{id}/accessPackageResourceScopes' },
  { name: 'accessPackageResourceRoleScopes', label: 'Role scopes', servedUnder: 'accessPackages/{id}/accessPackageResourceRoleScopes' },
  { name: 'accessPackageIncompatibilities', label: 'Incompatibilities', servedUnder: 'accessPackages/{id}/incompatibleAccessPackages, …/incompatibleGroups' },
];

/** Properties the server owns: left out of the editor (Graph ignores them in an update anyway). */
export const SERVER_OWNED = ['id', 'createdBy', 'createdDateTime', 'modifiedBy', 'modifiedDateTime'];

/** The record as an update body: without the server's own properties and OData annotations. */
export function editableBody(record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !key.startsWith('@odata.') && !SERVER_OWNED.includes(key)));
}

/** `contains(tolower(displayName),'…')`, the filter Microsoft's own tools send; a quote is doubled, as OData escapes it. */
export function displayNameFilter(text: string): string | undefined {
  const wanted = text.trim().toLowerCase();
  return wanted === '' ? undefined : `contains(tolower(displayName),'${wanted.replaceAll("'", "''")}')`;
}

export interface ListQuery {
  pageSize: number;
  orderBy?: { key: string; descending: boolean };
  filter?: string;
}

/** The first page's URL: $top, $count, $select of the table's columns, $orderby and $filter. */
export function firstPageUrl(view: CollectionView, query: ListQuery): string {
  const parts = [`$top=${query.pageSize}`, '$count=true'];
  if (view.columns !== undefined) parts.push(`$select=${['id', ...view.columns.map((c) => c.key)].join(',')}`);
  if (query.orderBy !== undefined) parts.push(`$orderby=${encodeURIComponent(`${query.orderBy.key} ${query.orderBy.descending ? 'desc' : 'asc'}`)}`);
  const filter = query.filter === undefined ? undefined : displayNameFilter(query.filter);
  if (filter !== undefined) parts.push(`$filter=${encodeURIComponent(filter)}`);
  return `/beta/identityGovernance/entitlementManagement/${view.entitySet}?${parts.join('&')}`;
}

/**
 * Characters a table cell shows of a value: one record with a name of 200,000 characters made the table a million
 * pixels wide, every other column out of reach on every row. The record panel shows the whole value.
 */
export const CELL_CHARS = 200;

/** A value as a table cell shows it: a date to the second, a Boolean as yes or no, a long text cut at CELL_CHARS. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return value.slice(0, 19).replace('T', ' ');
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (text.length <= CELL_CHARS) return text;
  // Not between the two halves of a character beyond U+FFFF (an emoji), which would show as U+FFFD.
  const high = text.charCodeAt(CELL_CHARS - 1);
  return `${text.slice(0, high >= 0xd800 && high <= 0xdbff ? CELL_CHARS - 1 : CELL_CHARS)}…`;
}

/** Characters of one word from which a cell may break it anywhere: a GUID (36) and a date stay whole. */
export const LONG_WORD = 40;
const LONG_WORD_PATTERN = new RegExp(`\\S{${LONG_WORD}}`);

/**
 * How a cell's text may break across lines, as a class: `long-words` for a text with a word of LONG_WORD
 * characters or more, broken anywhere, so a name of 200 letters does not widen its column to 200 letters;
 * `whole` for a shorter text with no space (a GUID, a count, "yes"), kept on one line, not cut at its hyphens;
 * none for the rest, which breaks between words. Headers, numbers and "no" are never cut letter by letter.
 */
export function cellWrap(text: string): 'long-words' | 'whole' | null {
  if (LONG_WORD_PATTERN.test(text)) return 'long-words';
  return text !== '' && !/\s/.test(text) ? 'whole' : null;
}
