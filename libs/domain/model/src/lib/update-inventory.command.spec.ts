import { ValidationError } from './app-error';
import { parseInput } from './parse-input';
import { updateInventoryCommandSchema } from './update-inventory.command';

function problemOf(body: unknown): string {
  try {
    parseInput(updateInventoryCommandSchema, body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).message;
  }
  throw new Error('expected a validation error');
}

describe('updateInventoryCommandSchema', () => {
  it('when the body is valid, then it is returned without unknown fields', () => {
    const parsed = parseInput(updateInventoryCommandSchema, {
      store_id: 'store-1',
      sku: 'SKU-1001',
      quantity: 150,
      note: 'ignored',
    });
    expect(parsed).toEqual({ store_id: 'store-1', sku: 'SKU-1001', quantity: 150, reason: 'correction' });
  });

  it.each([
    ['a string', 'hello', 'request body must be a JSON object'],
    ['an array', [1], 'request body must be a JSON object'],
    ['null', null, 'request body must be a JSON object'],
  ])('when the body is %s, then it says it must be an object', (_name, body, message) => {
    expect(problemOf(body)).toBe(message);
  });

  it.each([
    ['store_id is missing', { sku: 'a', quantity: 1 }, 'store_id is required'],
    ['sku is missing', { store_id: 'a', quantity: 1 }, 'sku is required'],
    ['quantity is missing', { store_id: 'a', sku: 'b' }, 'quantity is required'],
    ['store_id is a number', { store_id: 7, sku: 'b', quantity: 1 }, 'store_id must be a string'],
    ['quantity is a string', { store_id: 'a', sku: 'b', quantity: '5' }, 'quantity must be a number'],
    ['quantity is negative', { store_id: 'a', sku: 'b', quantity: -1 }, 'quantity must not be negative'],
    ['quantity is fractional', { store_id: 'a', sku: 'b', quantity: 1.5 }, 'quantity must be a whole number'],
    ['quantity is over 2^31', { store_id: 'a', sku: 'b', quantity: 2 ** 31 }, 'quantity must be at most 2147483647'],
    ['store_id is empty', { store_id: '', sku: 'b', quantity: 1 }, 'store_id must not be empty'],
    ['sku is too long', { store_id: 'a', sku: 'x'.repeat(129), quantity: 1 }, 'sku must be at most 128 characters'],
    ['sku has a control character', { store_id: 'a', sku: 'b\u0007', quantity: 1 }, 'sku must not contain control characters'],
    ['store_id has a brace', { store_id: 'a{b}', sku: 'b', quantity: 1 }, 'store_id may contain only letters'],
  ])('when %s, then the message names the field and the problem', (_name, body, message) => {
    expect(problemOf(body)).toContain(message);
  });

  it('when several fields are bad, then each is named once', () => {
    const message = problemOf({ store_id: '', quantity: -2.5 });
    expect(message).toContain('store_id must not be empty');
    expect(message).toContain('sku is required');
    expect(message.match(/quantity/g)).toHaveLength(1);
  });
});
