/**
 * Tenant keys and tenant-scoped models: shared by `require-tenant-filter`, `no-untrusted-tenant-id`
 * and the analyzer, which reads the tenant-scoped models from the Prisma/Drizzle schema.
 */

/** Column/field names that scope a row to a tenant, unless configured otherwise. */
export const DEFAULT_TENANT_KEYS: readonly string[] = [
  'tenantId',
  'orgId',
  'organizationId',
  'workspaceId',
  'teamId',
  'accountId',
];

/** Prisma model delegate methods that read or change existing rows (a `where` scopes them). */
export const PRISMA_FILTERED_METHODS: ReadonlySet<string> = new Set([
  'findMany',
  'findFirst',
  'findFirstOrThrow',
  'findUnique',
  'findUniqueOrThrow',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'delete',
  'deleteMany',
  'count',
  'aggregate',
  'groupBy',
  'upsert',
]);

/** Methods Prisma rejects without a `where`, so a missing one never reaches the database. */
export const PRISMA_WHERE_REQUIRED: ReadonlySet<string> = new Set([
  'findUnique',
  'findUniqueOrThrow',
  'update',
  'delete',
  'upsert',
]);

/** Both spellings a tenant key takes in practice: `orgId` and `org_id`. */
function variants(key: string): string[] {
  const snake = key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return [key.toLowerCase(), snake];
}

const matchers = new WeakMap<readonly string[], (name: string) => boolean>();

/** A matcher for tenant keys: exact names in camelCase or snake_case, and Prisma compound keys (`tenantId_slug`). */
export function tenantKeyMatcher(keys: readonly string[] = DEFAULT_TENANT_KEYS): (name: string) => boolean {
  // Rules ask for a matcher on every file, nearly always for the default keys: build each one once.
  let matcher = matchers.get(keys);
  if (matcher === undefined) {
    matcher = buildTenantKeyMatcher(keys);
    matchers.set(keys, matcher);
  }
  return matcher;
}

function buildTenantKeyMatcher(keys: readonly string[]): (name: string) => boolean {
  const names = new Set(keys.flatMap(variants));
  return (name: string) => {
    const lower = name.toLowerCase();
    if (names.has(lower)) return true;
    // Prisma compound unique inputs join their fields with `_`: `tenantId_id`, `orgId_slug`.
    return name.includes('_') && !names.has(lower) && name.split('_').some((part) => names.has(part.toLowerCase()));
  };
}

/** `Invoice`, `invoice`, `invoices`, `invoice_items` → one comparable spelling. */
export function normalizeModelName(name: string): string {
  const lower = name.replace(/[_-]/g, '').toLowerCase();
  return lower.endsWith('ies')
    ? `${lower.slice(0, -3)}y`
    : lower.endsWith('s') && !lower.endsWith('ss')
      ? lower.slice(0, -1)
      : lower;
}

/** A set of model names that answers for any spelling of a model (Prisma model, client property, Drizzle table). */
export function modelSet(models: Iterable<string>): { has(name: string): boolean; add(name: string): void } {
  const set = new Set<string>();
  for (const model of models) set.add(normalizeModelName(model));
  return {
    has: (name) => set.has(normalizeModelName(name)),
    add: (name) => {
      set.add(normalizeModelName(name));
    },
  };
}

/** Drizzle combinators that drop a condition's guarantee: one branch without the tenant reaches every tenant. */
export const DRIZZLE_UNSCOPING: ReadonlySet<string> = new Set(['or', 'not']);

/** Drizzle operators that compare a column with a value: the ones a tenant condition is written with. */
export const DRIZZLE_COMPARE: ReadonlySet<string> = new Set(['eq', 'inArray']);

/** Drizzle operators that constrain one column some other way: known conditions, never a tenant one. */
export const DRIZZLE_OTHER_OPERATORS: ReadonlySet<string> = new Set([
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'like',
  'ilike',
  'notLike',
  'notIlike',
  'notInArray',
  'isNull',
  'isNotNull',
  'between',
  'notBetween',
  'arrayContains',
  'arrayContained',
  'arrayOverlaps',
]);
