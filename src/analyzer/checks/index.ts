import { noClientChosenAmount } from './no-client-chosen-amount.js';
import { noCommittedSecrets } from './no-committed-secrets.js';
import { noServerSecretInClientBundle } from './no-server-secret-in-client-bundle.js';
import { requireObjectAuthorization } from './require-object-authorization.js';
import { noSelfPrivilegeUpdate } from './no-self-privilege-update.js';
import { noUncheckedRoleAssignment } from './no-unchecked-role-assignment.js';
import { noUncheckedObjectAccess } from './no-unchecked-object-access.js';
import { noUnawaitedAuthorizationCheck } from './no-unawaited-authorization-check.js';
import { requireDefinerAuthCheck } from './require-definer-auth-check.js';
import { requireEdgeFunctionAuth } from './require-edge-function-auth.js';
import { requireLlmToolAuth } from './require-llm-tool-auth.js';
import { requirePrivilegedOperationAuth } from './require-privileged-operation-auth.js';
import { requireRls } from './require-rls.js';
import { requireTenantInRolePolicy } from './require-tenant-in-role-policy.js';
import { requireRouteAuthorization } from './require-route-authorization.js';
import { requireTenantScope } from './require-tenant-scope.js';
import { requireWebhookVerificationFlow } from './require-webhook-verification-flow.js';
import type { AnalyzerCheck } from './shared.js';

/** Every project check, by id. */
export const CHECKS: readonly AnalyzerCheck[] = [
  requireRouteAuthorization,
  requireTenantScope,
  requireObjectAuthorization,
  noUncheckedObjectAccess,
  noUnawaitedAuthorizationCheck,
  requireWebhookVerificationFlow,
  requireRls,
  requireDefinerAuthCheck,
  noSelfPrivilegeUpdate,
  requireEdgeFunctionAuth,
  requirePrivilegedOperationAuth,
  requireLlmToolAuth,
  noUncheckedRoleAssignment,
  noClientChosenAmount,
  requireTenantInRolePolicy,
  noCommittedSecrets,
  noServerSecretInClientBundle,
];
