// A requestorManager names the requestor's manager (1) or that manager's manager (2): "Possible values for this
// property range from 1 to 2", in beta and v1.0 alike. A policy naming another level (an approver at level 7, a
// level of 0 or -1) is a 400 naming the setting that holds it (the wording is chosen: Graph's is not documented).
// https://learn.microsoft.com/graph/api/resources/requestormanager?view=graph-rest-beta,
// https://learn.microsoft.com/graph/api/resources/requestormanager?view=graph-rest-1.0
import { GraphError } from '../../graphErrors.js';
import type { Row } from '../definition.js';

const isRequestorManager = (value: Row): boolean => String(value['@odata.type'] ?? '').replace(/^#?microsoft\.graph\./, '') === 'requestorManager';

/** The first managerLevel out of range anywhere in a value (a setting, its stages, their approvers), if any. */
function levelOutOfRange(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = levelOutOfRange(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const level = (value as Row)['managerLevel'];
  if (isRequestorManager(value as Row) && typeof level === 'number' && level !== 1 && level !== 2) return level;
  return levelOutOfRange(Object.values(value));
}

/** Refuses a body (beta's, or v1.0's settings) whose settings name a requestorManager at a level other than 1 or 2. */
export function refuseManagerLevels(settings: Row): void {
  for (const [property, value] of Object.entries(settings)) {
    const level = levelOutOfRange(value);
    if (level !== undefined) {
      throw GraphError.of('badRequest', `Invalid value for property '${property}': a requestorManager's managerLevel is 1 or 2, not '${String(level)}'.`);
    }
  }
}
