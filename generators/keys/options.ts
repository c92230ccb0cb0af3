import { OptionsError, type AppContext, type OptionsSchema } from '../types.js';

export interface KeysOptions {
  /** The key-encryption key (KEK) in the KMS that wraps every data key. */
  kekId: string;
  /** The region this deployment runs in: tenants pinned elsewhere may not receive restricted data here. */
  region: string;
  /** RFC 9421 signed service-to-service requests, a verifier middleware and an mTLS recipe. */
  signedRequests: boolean;
  /** Filled from the app (logic in templates is `{{#if}}`/`{{#each}}` only). */
  express: boolean;
  hono: boolean;
}

const KEY_ID = /^[a-z][a-z0-9-]{1,39}$/;
const KEY_ID_PATTERN = '^[a-z][a-z0-9-]{1,39}$';
const REGION = /^[a-z]{2,}(-[a-z0-9]+){1,3}$/;
const REGION_PATTERN = '^[a-z]{2,}(-[a-z0-9]+){1,3}$';

export const KEYS_SCHEMA: OptionsSchema = {
  type: 'object',
  properties: {
    kekId: {
      type: 'string',
      default: 'app-kek',
      pattern: KEY_ID_PATTERN,
      description:
        'Name of the key-encryption key (KEK) in the KMS that wraps every data key; the local KMS keeps its versions in KEYS_LOCAL_KEYRING(_FILE), a cloud KMS under this alias.',
    },
    region: {
      type: 'string',
      default: 'eu-central-1',
      pattern: REGION_PATTERN,
      description:
        'The region this deployment runs in (KEYS_REGION overrides it at start-up); restricted data of a tenant pinned to another region is refused on export, replication and cross-region calls.',
    },
    signedRequests: {
      type: 'boolean',
      default: true,
      description:
        'Service-to-service calls signed with HTTP Message Signatures (RFC 9421: method, path, content digest, created/expires, key id, nonce) with a verifier middleware, short-lived service keys and an mTLS recipe.',
    },
  },
  additionalProperties: false,
};

/** Validates and fills defaults; pure. Throws `OptionsError` naming the option. */
export function normalizeKeysOptions(input: Readonly<Record<string, unknown>>, app: AppContext): KeysOptions {
  const known = new Set(Object.keys(KEYS_SCHEMA.properties));
  for (const key of Object.keys(input))
    if (!known.has(key))
      throw new OptionsError(key, `Unknown option "${key}"; allowed options: ${[...known].join(', ')}.`);
  const kekId = input.kekId ?? 'app-kek';
  if (typeof kekId !== 'string' || !KEY_ID.test(kekId))
    throw new OptionsError(
      'kekId',
      `Option "kekId" must match ${KEY_ID_PATTERN}: lower-case letters, digits and dashes (got ${JSON.stringify(kekId)}).`,
    );
  const region = input.region ?? 'eu-central-1';
  if (typeof region !== 'string' || !REGION.test(region))
    throw new OptionsError(
      'region',
      `Option "region" must be a cloud region name such as eu-central-1 or us-east1 (got ${JSON.stringify(region)}).`,
    );
  const signedRequests = input.signedRequests ?? true;
  if (typeof signedRequests !== 'boolean')
    throw new OptionsError(
      'signedRequests',
      `Option "signedRequests" must be true or false (got ${JSON.stringify(signedRequests)}).`,
    );
  return {
    kekId,
    region,
    signedRequests,
    express: app.framework === 'express',
    hono: app.framework === 'hono',
  };
}
