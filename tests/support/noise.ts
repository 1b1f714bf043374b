// Text that deflate shrinks little, for tests that need bodies to take about their full size in the request
// journal (which keeps long bodies deflated): characters drawn from an alphabet by a seeded generator, so every
// run writes the same text. From the CJK alphabet, deflated it takes more bytes than it has characters, so the
// journal keeps it as it is; from the default one (64 ASCII characters) about three quarters of its size.
export function noise(length: number, seed = 1, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'): string {
  const chars = [...alphabet];
  let state = seed >>> 0 || 1;
  let text = '';
  for (let i = 0; i < length; i += 1) {
    // xorshift32: cheap, and no pattern deflate finds.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    text += chars[(state >>> 0) % chars.length];
  }
  return text;
}

/** A CJK alphabet: 3 bytes a character in UTF-8, 4,096 characters. */
export const CJK = Array.from({ length: 4096 }, (_, i) => String.fromCharCode(0x4e00 + i)).join('');
