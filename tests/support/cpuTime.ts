// A bound on work that must not grow out of hand (a backtracking pattern, a scan per character, a check of every
// item against every error) is read in this process's CPU time, not on the wall clock: on a shared machine a
// process can wait seconds for a core, and such a test must fail for the work it does, never for that wait.
// The app under test runs in this process (supertest, in-process requests), so its work is counted here; so is
// the client's, and the garbage collector's, which only make a bound stricter.

/** The CPU time (user and system, every thread of this process) spent while `work` ran, in milliseconds. */
export async function cpuMsOf<T>(work: () => Promise<T> | T): Promise<{ value: T; cpuMs: number }> {
  const before = process.cpuUsage();
  const value = await work();
  const { user, system } = process.cpuUsage(before);
  return { value, cpuMs: (user + system) / 1000 };
}
