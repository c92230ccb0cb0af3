import { ruleMetadata } from '../../eslint-plugin/index.js';
import type { SecurityMetadata } from '../catalog/metadata.js';

/** Every rule and check Portcullis knows, by id (one namespace for both). */
export function allMetadata(): Map<string, SecurityMetadata> {
  const map = new Map<string, SecurityMetadata>();
  for (const meta of ruleMetadata()) map.set(meta.id, meta);
  return map;
}
