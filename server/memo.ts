// A function of a string computed once per distinct string, for work every request would otherwise repeat
// on the same input: clients send the same bearer token request after request. The oldest answers are
// forgotten past `limit`, so a client minting a token per request cannot grow memory without bound.

export function memoize<V>(compute: (key: string) => V, limit = 256): (key: string) => V {
  const seen = new Map<string, V>();
  // The last key asked, compared before the map: a token is a kilobyte, which the map would hash every request
  // (each request's header is a new string), while comparing it with the last one is a memory compare.
  let lastKey: string | undefined;
  let lastValue: V | undefined;
  return (key) => {
    if (key === lastKey) return lastValue as V;
    let value = seen.get(key);
    if (value === undefined && !seen.has(key)) {
      value = compute(key);
      if (seen.size >= limit) seen.delete(seen.keys().next().value!);
      seen.set(key, value);
    }
    lastKey = key;
    lastValue = value;
    return value as V;
  };
}
