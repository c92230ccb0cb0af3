import rule from '../../../eslint-plugin/rules/require-tenant-filter.js';
import { runRuleTests } from '../rule-tester.js';

/** A file that shows `invoice` is tenant-scoped (zero-config inference). */
const SCOPED = 'const mine = await prisma.invoice.findMany({ where: { tenantId: session.tenantId } });\n';

runRuleTests('require-tenant-filter', rule, {
  valid: [
    SCOPED,
    `${SCOPED}await prisma.invoice.update({ where: { id, tenantId: principal.tenantId }, data });`,
    `${SCOPED}await prisma.invoice.findFirst({ where: { AND: [{ id }, { tenantId: ctx.tenantId }] } });`,
    `${SCOPED}await prisma.invoice.findUnique({ where: { tenantId_number: { tenantId: t, number } } });`,
    `${SCOPED}await prisma.invoice.count({ where: { ...scope, status: 'open' } });`,
    `${SCOPED}await prisma.invoice.findMany(args);`,
    // Prisma calls on non-tenant models stay quiet.
    `${SCOPED}await prisma.country.findMany(); await prisma.plan.findUnique({ where: { id } });`,
    // Without inference evidence nothing is tenant-scoped.
    'await prisma.invoice.findMany();',
    // Other libraries with Prisma-like method names.
    `${SCOPED}await stripe.invoice.update('in_123', { metadata });`,
    `${SCOPED}await this.invoice.update({ id: 1, amount: 2 });`,
    `${SCOPED}cache.invoice.delete(key);`,
    // A tenant id checked before use is definite.
    `const orgId = session?.user?.orgId;
     if (!orgId) throw new Error('no org');
     await prisma.project.findMany({ where: { orgId } });`,
    `await prisma.project.findMany({ where: { orgId: session!.orgId } });`,
    // Drizzle with the tenant condition.
    `import { and, eq } from 'drizzle-orm';
     await db.select().from(invoices).where(and(eq(invoices.orgId, orgId), eq(invoices.id, id)));
     await db.update(invoices).set({ paid: true }).where(and(eq(invoices.id, id), eq(invoices.orgId, orgId)));
     await db.delete(invoices).where(eq(invoices.orgId, orgId));`,
    `import { eq } from 'drizzle-orm';
     await db.select().from(invoices).where(eq(invoices.orgId, orgId));
     await db.select().from(countries);
     const seen = new Map(); seen.delete(invoices);`,
    // Configured models: only those are scoped.
    { code: 'await prisma.auditEvent.findMany();', options: [{ models: ['Invoice'] }] },
    // Drizzle relational queries (db.query.<table>) with the tenant condition, in each filter form.
    {
      code: `import { and, eq } from 'drizzle-orm';
        await db.query.invoices.findMany({ where: eq(invoices.orgId, orgId), with: { lines: true } });
        await db.query.invoices.findFirst({ where: and(eq(invoices.id, id), eq(invoices.orgId, orgId)) });`,
      options: [{ models: ['Invoice'] }],
    },
    {
      code: 'await db.query.invoices.findFirst({ where: (t, { and, eq }) => and(eq(t.orgId, orgId), eq(t.id, id)) });',
      options: [{ models: ['Invoice'] }],
    },
    {
      code: 'await db.query.invoices.findMany({ where: { orgId, status: "open" }, columns: { id: true } });',
      options: [{ models: ['Invoice'] }],
    },
    // A relational query on a table that is not tenant-scoped, and a helper that may build the condition.
    { code: 'await db.query.countries.findMany();', options: [{ models: ['Invoice'] }] },
    { code: 'await db.query.invoices.findMany({ where: scopedTo(orgId) });', options: [{ models: ['Invoice'] }] },
    // Zero-config: a relational query with the tenant key makes the table tenant-scoped; a lone findMany does not.
    'await db.query.invoices.findMany({ where: (t, { eq }) => eq(t.orgId, orgId) });',
    'await db.query.invoices.findMany();',
    {
      code: 'await prisma.invoice.findMany({ where: { workspace_id: w } });',
      options: [{ models: ['Invoice'], tenantKeys: ['workspaceId'] }],
    },
  ],
  invalid: [
    {
      code: `${SCOPED}const all = await prisma.invoice.findMany({ where: { status: 'open' } });`,
      errors: [
        {
          messageId: 'missingTenantFilter',
          data: { model: 'invoice', method: '`findMany`', key: 'tenantId' },
          line: 2,
          column: 19,
        },
      ],
    },
    {
      code: `${SCOPED}await prisma.invoice.deleteMany();`,
      errors: [{ messageId: 'missingTenantFilter', line: 2, column: 7 }],
    },
    {
      code: `${SCOPED}await tx.invoice.update({ where: { id: input.id }, data: { paid: true } });`,
      errors: [{ messageId: 'missingTenantFilter', line: 2, column: 7 }],
    },
    {
      code: `${SCOPED}await prisma.invoice.findFirst({ where: { OR: [{ tenantId: t }, { public: true }] } });`,
      errors: [{ messageId: 'missingTenantFilter', line: 2, column: 7 }],
    },
    {
      code: 'await prisma.project.findMany({ where: { orgId: session?.user?.orgId } });',
      errors: [{ messageId: 'undefinedTenantValue', data: { key: 'orgId' }, line: 1, column: 49 }],
    },
    {
      code: 'const orgId = session?.orgId;\nawait prisma.project.findMany({ where: { orgId } });',
      errors: [{ messageId: 'undefinedTenantValue', line: 2, column: 42 }],
    },
    {
      code: 'await prisma.auditEvent.findMany({ take: 50 });',
      options: [{ models: ['AuditEvent'] }],
      errors: [
        {
          messageId: 'missingTenantFilter',
          data: { model: 'auditEvent', method: '`findMany`', key: 'tenantId' },
          line: 1,
          column: 7,
        },
      ],
    },
    {
      code: `import { eq } from 'drizzle-orm';
await db.select().from(invoices).where(eq(invoices.orgId, orgId));
const everything = await db.select().from(invoices);`,
      errors: [
        {
          messageId: 'missingTenantFilter',
          data: { model: 'invoices', method: 'Drizzle select', key: 'orgId' },
          line: 3,
          column: 26,
        },
      ],
    },
    {
      code: `import { eq, or } from 'drizzle-orm';
await db.insert(invoices).values({ orgId, total });
await db.update(invoices).set({ paid: true }).where(eq(invoices.id, id));
await db.delete(invoices).where(or(eq(invoices.orgId, orgId), eq(invoices.id, id)));`,
      errors: [
        { messageId: 'missingTenantFilter', line: 3, column: 7 },
        { messageId: 'missingTenantFilter', line: 4, column: 7 },
      ],
    },
    {
      code: 'await db.query.invoices.findFirst({ where: eq(invoices.id, id) });',
      options: [{ models: ['Invoice'] }],
      errors: [
        {
          messageId: 'missingTenantFilter',
          data: { model: 'invoices', method: '`findFirst`', key: 'tenantId' },
          line: 1,
          column: 7,
        },
      ],
    },
    {
      code: `await db.query.invoices.findMany({ where: (t, { eq }) => eq(t.orgId, orgId) });
await db.query.invoices.findMany({ with: { lines: true } });
await db.query.invoices.findMany({ where: (t, { or, eq }) => or(eq(t.orgId, orgId), eq(t.id, id)) });`,
      errors: [
        { messageId: 'missingTenantFilter', line: 2, column: 7 },
        { messageId: 'missingTenantFilter', line: 3, column: 7 },
      ],
    },
    {
      // The analyzer passes the schema's tenant-scoped models; Drizzle tables match any spelling.
      code: 'await db.delete(invoices);',
      options: [{ models: ['Invoice'] }],
      errors: [
        {
          messageId: 'missingTenantFilter',
          data: { model: 'invoices', method: 'Drizzle delete', key: 'tenantId' },
          line: 1,
          column: 7,
        },
      ],
    },
  ],
});
