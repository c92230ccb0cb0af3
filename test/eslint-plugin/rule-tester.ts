/**
 * Runs a rule's cases under both ESLint majors users are on: ESLint 10 through typescript-eslint's
 * RuleTester, and ESLint 9 (installed as `eslint-v9`) through its own RuleTester, both with the
 * typescript-eslint parser.
 */
import tsParser from '@typescript-eslint/parser';
import { RuleTester, type InvalidTestCase, type ValidTestCase } from '@typescript-eslint/rule-tester';
import type { RuleModule } from '@typescript-eslint/utils/ts-eslint';
import { RuleTester as RuleTesterV9 } from 'eslint-v9';
import { afterAll, describe, it } from 'vitest';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const v9 = RuleTesterV9 as unknown as {
  describe: unknown;
  it: unknown;
  itOnly: unknown;
};
v9.describe = describe;
v9.it = it;
v9.itOnly = it.only;

export interface RuleCases<MessageIds extends string, Options extends readonly unknown[]> {
  valid: (ValidTestCase<Options> | string)[];
  invalid: InvalidTestCase<MessageIds, Options>[];
}

const languageOptions = {
  parser: tsParser,
  parserOptions: { ecmaFeatures: { jsx: true } },
};

export function runRuleTests<MessageIds extends string, Options extends readonly unknown[]>(
  name: string,
  rule: RuleModule<MessageIds, Options>,
  cases: RuleCases<MessageIds, Options>,
): void {
  describe('ESLint 10', () => {
    new RuleTester({ languageOptions }).run(name, rule, cases);
  });
  describe('ESLint 9', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ESLint 9's types differ from typescript-eslint's
    new RuleTesterV9({ languageOptions } as any).run(name, rule as any, cases as any);
  });
}
