import { ruleMetadata } from '../../eslint-plugin/index.js';
import { CHECKS } from '../analyzer/checks/index.js';
import type { SecurityMetadata } from '../catalog/metadata.js';
import { SUPPRESSION_REASON_META, UNUSED_SUPPRESSION_META } from '../catalog/suppressions.js';

/** Every rule and check Portcullis knows, by id (one namespace for both). */
export function allMetadata(): Map<string, SecurityMetadata> {
  const map = new Map<string, SecurityMetadata>();
  for (const meta of ruleMetadata()) map.set(meta.id, meta);
  for (const check of CHECKS) map.set(check.meta.id, check.meta);
  for (const meta of [SUPPRESSION_REASON_META, UNUSED_SUPPRESSION_META]) map.set(meta.id, meta);
  return map;
}
