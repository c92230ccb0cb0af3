import type { TSESLint } from '@typescript-eslint/utils';

import type { SecurityMetadata } from '../src/catalog/metadata.js';
import { PACKAGE_VERSION } from '../src/version.js';
import { rules } from './rules/index.js';

export { rules } from './rules/index.js';

export const PLUGIN_NAMESPACE = 'portcullis';

type PresetName = 'recommended' | 'strict';

/** The security metadata of every rule, read from the rules themselves (never listed by hand). */
export function ruleMetadata(): SecurityMetadata[] {
  return Object.entries(rules).map(([id, rule]) => {
    const docs = rule.meta.docs;
    if (docs === undefined) throw new Error(`Rule ${id} has no meta.docs`);
    const {
      description,
      category,
      severity,
      securitySeverity,
      cwe,
      recommended,
      requiresTypeChecking,
      messageSeverity,
      url,
    } = docs;
    return {
      id,
      kind: 'rule' as const,
      description,
      category,
      severity,
      securitySeverity,
      cwe,
      recommended,
      ...(requiresTypeChecking === true ? { requiresTypeChecking } : {}),
      ...(messageSeverity === undefined ? {} : { messageSeverity }),
      url: url ?? '',
    };
  });
}

/** Rule entries of a preset, derived from each rule's `recommended` level. */
export function presetRules(preset: PresetName): Record<string, 'error'> {
  const entries: Record<string, 'error'> = {};
  for (const meta of ruleMetadata()) {
    if (meta.requiresTypeChecking === true) continue;
    const included = preset === 'strict' ? meta.recommended !== false : meta.recommended === true;
    if (included) entries[`${PLUGIN_NAMESPACE}/${meta.id}`] = 'error';
  }
  return entries;
}

const plugin = {
  meta: { name: 'portcullis/eslint-plugin', version: PACKAGE_VERSION, namespace: PLUGIN_NAMESPACE },
  rules,
  configs: {} as Record<PresetName, TSESLint.FlatConfig.Config>,
};

plugin.configs.recommended = {
  name: 'portcullis/recommended',
  plugins: { [PLUGIN_NAMESPACE]: plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: presetRules('recommended'),
};
plugin.configs.strict = {
  name: 'portcullis/strict',
  plugins: { [PLUGIN_NAMESPACE]: plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: presetRules('strict'),
};

export const configs = plugin.configs;
export default plugin;
