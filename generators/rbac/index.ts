import type { GeneratorAction, GeneratorSpec } from '../types.js';
import { normalizeRbacOptions, RBAC_SCHEMA, type RbacOptions } from './options.js';

export type { RbacOptions } from './options.js';

const file = (name: string): GeneratorAction => ({
  type: 'add',
  path: `src/authz/${name}`,
  template: `rbac/src/authz/${name}.hbs`,
});

/** Roles, permissions and ABAC conditions behind one policy decision point, with Express 5 / Hono guards. */
export const rbacGenerator: GeneratorSpec<RbacOptions> = {
  name: 'rbac',
  description:
    'Authorization: one typed policy file (roles, permissions, ABAC conditions on tenant, ownership, department and sensitivity), default deny, a policy decision point authorize(principal, action, resource) with requireRole / requirePermission guards, optional Cedar engine, decisions sent to an audit sink.',
  version: '1.0.0',
  schema: RBAC_SCHEMA,
  normalizeOptions: (input) => normalizeRbacOptions(input),
  actions(options, app) {
    const actions: GeneratorAction[] = [
      file('types.ts'),
      file('policy.ts'),
      file('principal.ts'),
      file('pdp.ts'),
      file('index.ts'),
      file('policy.test.ts'),
    ];
    if (options.engine === 'typed') actions.push(file('typed-engine.ts'));
    else actions.push(file('cedar-engine.ts'), file('policies/authz.cedar'), file('policies/authz.cedarschema'));
    if (app.framework === 'express') actions.push(file('express.ts'), file('express.test.ts'));
    else actions.push(file('hono.ts'), file('hono.test.ts'));

    const dependencies: Record<string, string> =
      app.framework === 'express' ? { express: '5.3.0' } : { hono: '4.13.19' };
    if (options.engine === 'cedar') dependencies['@cedar-policy/cedar-wasm'] = '4.13.0';
    actions.push({
      type: 'dependencies',
      dependencies,
      devDependencies:
        app.framework === 'express' ? { '@types/express': '5.0.6', vitest: '4.1.12' } : { vitest: '4.1.12' },
    });
    return actions;
  },
  nextSteps(options, app) {
    const steps = [
      'Declare your actions and roles in src/authz/policy.ts; everything not granted there is denied.',
      `Create one authorizer at start-up (createAuthorizer({ audit })) and guard routes with the ${app.framework === 'express' ? 'Express' : 'Hono'} guards in src/authz/${app.framework}.ts.`,
    ];
    if (app.composed === true)
      steps[1] = `src/services.ts creates the authorizer; guard routes with the ${app.framework === 'express' ? 'Express' : 'Hono'} guards in src/authz/${app.framework}.ts, as src/api.ts does.`;
    else if (app.modules.includes('audit'))
      steps.push(
        'Pass the audit log as the sink: createAuthorizer({ audit: openAuditLog(db) }) records every decision.',
      );
    if (options.engine === 'cedar')
      steps.push(
        'Policies live in src/authz/policies/*.cedar (validated against authz.cedarschema at start-up); copy that folder next to the compiled code when you build to dist.',
      );
    return steps;
  },
};
