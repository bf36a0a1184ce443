import { parseInput } from './parse-input';
import { writeHeadersSchema } from './write-headers';

describe('writeHeadersSchema', () => {
  it('when no header is sent, then there is no key and nobody is acted for', () => {
    expect(parseInput(writeHeadersSchema, {})).toEqual({});
    expect(parseInput(writeHeadersSchema, { 'X-Actor': '  ' })).toEqual({ 'X-Actor': undefined });
  });

  it('when a key is 1–255 visible ASCII characters, then it is taken as sent', () => {
    const key = `${'!'.repeat(127)}${'~'.repeat(128)}`;
    expect(parseInput(writeHeadersSchema, { 'Idempotency-Key': key, 'X-Actor': 'till-7' })).toEqual({
      'Idempotency-Key': key,
      'X-Actor': 'till-7',
    });
  });

  it.each([
    ['', 'must not be empty'],
    ['k'.repeat(256), 'at most 255'],
    ['a b', 'visible ASCII'],
    ['a\tb', 'visible ASCII'],
    ['clé', 'visible ASCII'],
  ])('when the key is %j, then the field is named with its problem', (key, problem) => {
    expect(() => parseInput(writeHeadersSchema, { 'Idempotency-Key': key })).toThrow(
      expect.objectContaining({ message: expect.stringContaining(problem) }),
    );
    expect(() => parseInput(writeHeadersSchema, { 'Idempotency-Key': key })).toThrow(/Idempotency-Key/);
  });

  it('when X-Actor is over 128 characters or holds a control character, then it is refused by name', () => {
    expect(() => parseInput(writeHeadersSchema, { 'X-Actor': 'a'.repeat(129) })).toThrow(/X-Actor must be at most 128/);
    expect(() => parseInput(writeHeadersSchema, { 'X-Actor': 'a\u0000' })).toThrow(/X-Actor must not contain control characters/);
  });
});
