import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

import { namesComparedSecret } from '../../src/detectors/names.js';
import { propertyName } from '../utils/ast.js';
import { resolveExpression } from '../utils/references.js';
import { createRule } from '../utils/create-rule.js';
import { isTestFile } from '../utils/test-files.js';

type MessageIds = 'timingUnsafe' | 'useTimingSafeEqual';

const EQUALITY = new Set(['===', '!==', '==', '!=']);
const CRYPTO_MODULES = new Set(['crypto', 'node:crypto']);
/** Header names whose values are credentials or signatures. */
const SECRET_HEADER =
  /(?:signature|x-api-key|api-key|authorization|x-hub-signature|x-webhook-secret|x-csrf-token|x-xsrf-token)/i;
const SIZE_PROPERTIES = new Set(['length', 'size', 'byteLength']);

/** The name a compared operand goes by: `signature`, `req.headers['stripe-signature']`, `user.passwordHash`. */
function operandName(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  if (node.type === AST_NODE_TYPES.MemberExpression) {
    if (node.computed) {
      return node.property.type === AST_NODE_TYPES.Literal && typeof node.property.value === 'string'
        ? node.property.value
        : undefined;
    }
    return propertyName(node.property);
  }
  if (
    node.type === AST_NODE_TYPES.ChainExpression ||
    node.type === AST_NODE_TYPES.TSNonNullExpression ||
    node.type === AST_NODE_TYPES.TSAsExpression
  ) {
    return operandName(node.expression);
  }
  if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.MemberExpression) {
    // `headers.get('x-signature')`
    const method = propertyName(node.callee.property);
    const [first] = node.arguments;
    if (
      (method === 'get' || method === 'header') &&
      first?.type === AST_NODE_TYPES.Literal &&
      typeof first.value === 'string'
    )
      return first.value;
  }
  return undefined;
}

/** Constants and shapes that make a comparison harmless: literals, undefined, typeof, lengths. */
function isHarmlessOperand(node: TSESTree.Node): boolean {
  switch (node.type) {
    case AST_NODE_TYPES.Literal:
      return true;
    case AST_NODE_TYPES.TemplateLiteral:
      return node.expressions.length === 0;
    case AST_NODE_TYPES.Identifier:
      return node.name === 'undefined';
    case AST_NODE_TYPES.UnaryExpression:
      return node.operator === 'typeof' || node.operator === 'void' || node.operator === '!';
    case AST_NODE_TYPES.MemberExpression:
      return !node.computed && SIZE_PROPERTIES.has(propertyName(node.property) ?? '');
    default:
      return false;
  }
}

export default createRule<[], MessageIds>({
  name: 'require-timing-safe-compare',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    docs: {
      description: 'Require constant-time comparison for signatures, MACs, tokens, API keys, password hashes and OTPs.',
      category: 'timing',
      severity: 'medium',
      securitySeverity: 5.9,
      cwe: ['CWE-208'],
      // Strict until it judges whether a side comes from the request: on clean library code it still
      // reports comparisons of two server-side values (bench/results.md).
      recommended: 'strict',
    },
    messages: {
      timingUnsafe:
        '`{{name}}` is compared with `{{operator}}`, which stops at the first differing character, so response times reveal how much of a guess was right. Compare equal-length buffers with crypto.timingSafeEqual() instead.',
      useTimingSafeEqual: 'Compare with crypto.timingSafeEqual() after a length check.',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    if (isTestFile(context.filename)) return {};
    const sourceCode = context.sourceCode;
    /** `const expected = createHmac(…).update(…).digest('hex')`: names bound to a computed MAC or digest. */
    const digestBindings = new Set<string>();

    function isDigestCall(node: TSESTree.Node): boolean {
      if (node.type !== AST_NODE_TYPES.CallExpression || node.callee.type !== AST_NODE_TYPES.MemberExpression)
        return false;
      if (propertyName(node.callee.property) !== 'digest') return false;
      const reference = resolveExpression(context, node.callee);
      return (
        reference !== undefined &&
        CRYPTO_MODULES.has(reference.module) &&
        (reference.path[0] === 'createHmac' || reference.path[0] === 'createHash')
      );
    }

    function secretName(node: TSESTree.Node): string | undefined {
      if (isDigestCall(node)) return sourceCode.getText(node);
      const name = operandName(node);
      if (name === undefined) return undefined;
      if (node.type === AST_NODE_TYPES.Identifier && digestBindings.has(name)) return name;
      if (namesComparedSecret(name) || SECRET_HEADER.test(name)) return name;
      return undefined;
    }

    /** How to call timingSafeEqual from here: an existing binding, or a new import. */
    function timingSafeEqualCallee(): { callee: string; importText?: string } {
      for (const statement of sourceCode.ast.body) {
        if (statement.type !== AST_NODE_TYPES.ImportDeclaration || !CRYPTO_MODULES.has(statement.source.value))
          continue;
        for (const specifier of statement.specifiers) {
          if (
            specifier.type === AST_NODE_TYPES.ImportSpecifier &&
            propertyName(specifier.imported) === 'timingSafeEqual'
          )
            return { callee: specifier.local.name };
          if (specifier.type !== AST_NODE_TYPES.ImportSpecifier)
            return { callee: `${specifier.local.name}.timingSafeEqual` };
        }
      }
      const isModule = sourceCode.ast.body.some(
        (statement) => statement.type === AST_NODE_TYPES.ImportDeclaration || statement.type.startsWith('Export'),
      );
      return isModule
        ? { callee: 'timingSafeEqual', importText: "import { timingSafeEqual } from 'node:crypto';\n" }
        : { callee: "require('node:crypto').timingSafeEqual" };
    }

    return {
      VariableDeclarator(node) {
        if (node.id.type === AST_NODE_TYPES.Identifier && node.init !== null && isDigestCall(node.init))
          digestBindings.add(node.id.name);
      },
      BinaryExpression(node) {
        if (!EQUALITY.has(node.operator) || node.left.type === AST_NODE_TYPES.PrivateIdentifier) return;
        const { left, right } = node;
        if (isHarmlessOperand(left) || isHarmlessOperand(right)) return;
        const name = secretName(left) ?? secretName(right);
        if (name === undefined) return;
        context.report({
          node,
          messageId: 'timingUnsafe',
          data: { name: name.length > 40 ? `${name.slice(0, 37)}…` : name, operator: node.operator },
          suggest: [
            {
              messageId: 'useTimingSafeEqual',
              fix(fixer) {
                const { callee, importText } = timingSafeEqualCallee();
                const a = sourceCode.getText(left);
                const b = sourceCode.getText(right);
                const equal = `(Buffer.byteLength(${a}) === Buffer.byteLength(${b}) && ${callee}(Buffer.from(${a}), Buffer.from(${b})))`;
                const negated = node.operator === '!==' || node.operator === '!=';
                const fixes: TSESLint.RuleFix[] = [fixer.replaceText(node, negated ? `!${equal}` : equal)];
                const first = sourceCode.ast.body[0];
                if (importText !== undefined && first !== undefined)
                  fixes.push(fixer.insertTextBefore(first, importText));
                return fixes;
              },
            },
          ],
        });
      },
    };
  },
});
