// Where the admin API lives: /_emulator, outside Graph's URL space (Graph's and Entra ID's paths never start with
// `/_`). Read here alone: admin/router.ts mounts the admin routes on it, http/browserCors.ts keeps Graph's CORS
// headers off it, http/requestLog.ts quiets the health polls, and the healthcheck and the library handle call it.

export const ADMIN_PATH = '/_emulator';

/** The health endpoint a container healthcheck polls (bin/healthcheck.ts). */
export const HEALTH_PATH = `${ADMIN_PATH}/health`;

/**
 * Whether a path is the admin API's: `/_emulator` or a path under it, without regard to case, as Express matches
 * the mount (`/_EMULATOR/reset` is served by the admin routes; `/_emulatorx` is not theirs).
 */
export function isAdminPath(path: string): boolean {
  const lower = path.slice(0, ADMIN_PATH.length + 1).toLowerCase();
  return lower === ADMIN_PATH || lower === `${ADMIN_PATH}/`;
}
