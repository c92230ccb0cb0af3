import { ESLintUtils } from '@typescript-eslint/utils';

import { docsUrl, type SecurityRuleDocs } from '../../src/catalog/metadata.js';

/** The one rule factory: every rule carries the shared security metadata in `meta.docs`. */
export const createRule = ESLintUtils.RuleCreator<Omit<SecurityRuleDocs, 'description'>>((id) => docsUrl(id));
