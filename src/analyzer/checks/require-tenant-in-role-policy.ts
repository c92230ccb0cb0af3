import type { ProjectModel } from '../model.js';
import { CLIENT_ROLES, schemaState } from '../schema-state.js';
import { ownRowPredicate } from '../sql-policy.js';
import { DEFAULT_TENANT_KEYS, snakeCase, tenantKeyOf } from '../tenant-keys.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta, lineSpan } from './shared.js';

const meta = checkMeta({
  id: 'require-tenant-in-role-policy',
  description:
    "Policies on tenant tables that check the caller's role also compare the row's tenant with the caller's, so an admin of one tenant is not an admin of all.",
  category: 'supabase',
  severity: 'high',
  securitySeverity: 7.7,
  cwe: ['CWE-639'],
  recommended: true,
});

/** A check of the caller's role: `role = 'admin'`, `role in ('owner', …)`, `has_role(auth.uid(), 'admin')`, `is_admin()`. */
const ROLE_CHECK =
  /\brole\s*(?:=|<>|!=|\bin\b)\s*\(?\s*'|\b(?:has_role|has_any_role|is_admin|get_user_role|get_my_role|current_user_role)\s*\(/i;
/** Roles that span tenants on purpose (the platform's own staff). */
const PLATFORM_ROLE = /super_?admin|platform_?admin|service_role/i;
/** Any mention of a tenant, membership or team in the expression counts as a tenant comparison. */
const TENANT_WORD = /org|tenant|company|team|workspace|account|member/i;

export const requireTenantInRolePolicy: AnalyzerCheck = {
  meta,
  run(model: ProjectModel, sink) {
    const exposed = new Set(model.config.exposedSchemas);
    const keys = [...DEFAULT_TENANT_KEYS, 'companyId', ...model.config.tenantKeys];
    const state = schemaState(model.sql);
    for (const table of state.tables.values()) {
      if (!exposed.has(table.schema) || !table.rls) continue;
      const tenantKey = tenantKeyOf([...table.columns], keys);
      if (tenantKey === undefined) continue;
      const extra = new RegExp(keys.map((key) => `\\b${snakeCase(key)}\\b|\\b${key}\\b`).join('|'), 'i');
      for (const policy of table.policies.values()) {
        if (!policy.permissive || !policy.roles.some((role) => CLIENT_ROLES.has(role))) continue;
        if (!model.config.exposedSchemasConfigured && !/(?:^|\/)supabase\//.test(policy.file)) continue;
        const expression = [policy.using, policy.withCheck].filter((part) => part !== undefined).join(' AND ');
        if (!ROLE_CHECK.test(expression) || PLATFORM_ROLE.test(expression)) continue;
        if (TENANT_WORD.test(expression) || extra.test(expression) || ownRowPredicate(expression)) continue;
        const name = `${table.schema}.${table.name}`;
        sink.add(meta, {
          file: policy.file,
          span: lineSpan(policy.line, policy.snippet.split('\n')[0] ?? ''),
          message: `Policy "${policy.name}" on ${name} checks the caller's role but never compares the row's ${tenantKey} with the caller's tenant, so an admin of one tenant can ${policy.command === 'select' ? 'read' : policy.command === 'all' ? 'read and change' : policy.command} every tenant's rows. Add the tenant to the condition, e.g. \`${tenantKey} IN (SELECT ${tenantKey} FROM memberships WHERE user_id = auth.uid() AND role = 'admin')\`.`,
          snippet: policy.snippet,
        });
      }
    }
  },
};
