// A function of a string computed once per distinct string, for work every request would otherwise repeat
// on the same input: clients send the same bearer token request after request. The oldest answers are
// forgotten past `limit`, so a client minting a token per request cannot grow memory without bound.

export function memoize<V>(compute: (key: string) => V, limit = 256): (key: string) => V {
  const seen = new Map<string, V>();
  return (key) => {
    const known = seen.get(key);
    if (known !== undefined || seen.has(key)) return known as V;
    const value = compute(key);
    if (seen.size >= limit) seen.delete(seen.keys().next().value!);
    seen.set(key, value);
    return value;
  };
}
