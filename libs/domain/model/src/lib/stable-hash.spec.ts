import { fnv1a32 } from './stable-hash';

describe('fnv1a32', () => {
  it('when given the reference texts, then it answers the published FNV-1a 32-bit values', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});
