/** The tenant keys `require-tenant-filter` knows by default; a column of one of these makes a model tenant-scoped. */
export const DEFAULT_TENANT_KEYS = ['tenantId', 'orgId', 'organizationId', 'workspaceId', 'teamId', 'accountId'];

export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The tenant key among `columns`, in camelCase or snake_case. */
export function tenantKeyOf(
  columns: readonly string[],
  keys: readonly string[] = DEFAULT_TENANT_KEYS,
): string | undefined {
  for (const key of keys) {
    const snake = snakeCase(key);
    const found = columns.find((column) => column === key || column === snake);
    if (found !== undefined) return found;
  }
  return undefined;
}
