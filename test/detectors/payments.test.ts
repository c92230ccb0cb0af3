import { describe, expect, it } from 'vitest';

import { namesCardField } from '../../src/detectors/payments.js';

describe('namesCardField', () => {
  it('names card numbers, CVCs and expiry in any spelling', () => {
    for (const name of ['cardNumber', 'card_number', 'CARD-NUMBER', 'pan', 'cvc', 'CVV2', 'securityCode', 'cardExpiry'])
      expect(namesCardField(name), name).toBe(true);
  });

  it('names the parts of a `card` object, whatever the parent is spelled like', () => {
    for (const parent of ['card', 'Card', 'CARD', 'c_a_r_d', '$card'])
      expect(namesCardField('number', parent), parent).toBe(true);
    expect(namesCardField('exp_month', 'card')).toBe(true);
    expect(namesCardField('expYear', 'card')).toBe(true);
  });

  it('leaves other names and parents alone', () => {
    for (const [name, parent] of [
      ['number', 'cards'],
      ['number', 'scard'],
      ['number', 'order'],
      ['name', 'card'],
      ['brand', 'card'],
      ['last4', 'card'],
      ['cardholderName', undefined],
      ['panel', undefined],
    ] as const)
      expect(namesCardField(name, parent), `${parent}.${name}`).toBe(false);
  });

  it('answers the same when asked again (remembered answers)', () => {
    for (let i = 0; i < 3; i++) {
      expect(namesCardField('cardNumber')).toBe(true);
      expect(namesCardField('number')).toBe(false);
      expect(namesCardField('number', 'card')).toBe(true);
    }
  });
});
