import rule from '../../../eslint-plugin/rules/no-untrusted-tenant-id.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('no-untrusted-tenant-id', rule, {
  valid: [
    // Tenant ids from the session or the authenticated principal.
    "app.get('/invoices', async (req, res) => { res.json(await prisma.invoice.findMany({ where: { tenantId: res.locals.principal.tenantId } })); });",
    "app.get('/invoices', async (c) => c.json(await prisma.invoice.findMany({ where: { tenantId: c.get('principal').tenantId } })));",
    'export async function GET() { const session = await auth(); return Response.json(await prisma.project.findMany({ where: { orgId: session!.user.orgId } })); }',
    "app.get('/x', async (req, res) => { const { tenantId } = req.user; await prisma.invoice.findMany({ where: { tenantId } }); });",
    // Request input used for non-tenant fields is fine.
    "app.get('/invoices/:id', async (req, res) => { await prisma.invoice.findFirst({ where: { id: req.params.id, tenantId: req.user.tenantId } }); });",
    // Membership checked before using the id from the URL.
    `app.get('/orgs/:orgId/projects', async (req, res) => {
       await assertMember(req.user.id, req.params.orgId);
       res.json(await prisma.project.findMany({ where: { orgId: req.params.orgId } }));
     });`,
    `export async function GET(req: Request, { params }) {
       const { orgId } = await params;
       const membership = await requireMembership(session.user.id, orgId);
       return Response.json(await db.select().from(projects).where(eq(projects.orgId, orgId)));
     }`,
    // Membership checked by route middleware.
    "router.get('/orgs/:orgId/projects', requireOrgMembership, async (req, res) => res.json(await prisma.project.findMany({ where: { orgId: req.params.orgId } })));",
    "app.get('/orgs/:orgId/usage', authorize('org:read'), async (req, res) => res.json(await prisma.usage.findMany({ where: { orgId: req.params.orgId } })));",
    // A helper's own argument object named `params` is not Next.js's route segments (#14: background jobs).
    `export async function sendProjectEvents(params: { orgId: string }) {
       return prisma.project.findMany({ where: { orgId: params.orgId, deletedAt: null } });
     }`,
    `export const countRuns = async (params: { prisma: PrismaClient; orgId: string }) =>
       params.prisma.run.groupBy({ by: ['userId'], where: { project: { orgId: params.orgId } } });`,
    // Not a query: a plain object with a tenant key.
    'const filters = { tenantId: req.query.tenantId }; log(filters);',
    // A local `req` that is not a request.
    "const req = { tenant: 't1' }; await prisma.invoice.findMany({ where: { tenantId: session.tenantId } });",
    'await prisma.invoice.findMany({ where: { tenantId: process.env.DEFAULT_TENANT } });',
    // A fallback from the session is not request input (`&&` yields the right side only when the left is truthy).
    "app.get('/i', async (req, res) => res.json(await prisma.invoice.findMany({ where: { tenantId: res.locals.principal.tenantId ?? '' } })));",
  ],
  invalid: [
    // Regression (bench/cases/tenancy): a default after `??` does not take the choice away from the caller.
    {
      code: "import { eq } from 'drizzle-orm';\napp.get('/invoices', async (c) => {\n  const tenantId = c.req.query('tenantId') ?? '';\n  return c.json(await db.select().from(invoices).where(eq(invoices.tenantId, tenantId)));\n});",
      errors: [
        { messageId: 'untrustedTenantId', data: { key: 'tenantId', source: 'the query string' }, line: 4, column: 78 },
      ],
    },
    {
      code: "app.get('/invoices', async (req, res) => {\n  res.json(await prisma.invoice.findMany({ where: { tenantId: req.query.tenantId as string } }));\n});",
      errors: [
        { messageId: 'untrustedTenantId', data: { key: 'tenantId', source: 'the query string' }, line: 2, column: 63 },
      ],
    },
    {
      code: "app.post('/projects/delete', async (req, res) => {\n  const { orgId } = req.body;\n  await prisma.project.deleteMany({ where: { orgId, archived: true } });\n});",
      errors: [
        { messageId: 'untrustedTenantId', data: { key: 'orgId', source: 'the request body' }, line: 3, column: 46 },
      ],
    },
    {
      code: "export async function GET(request: Request) {\n  const { searchParams } = new URL(request.url);\n  return Response.json(await prisma.project.findMany({ where: { workspaceId: searchParams.get('workspace') } }));\n}",
      errors: [
        {
          messageId: 'untrustedTenantId',
          data: { key: 'workspaceId', source: 'the query string' },
          line: 3,
          column: 78,
        },
      ],
    },
    {
      code: "app.get('/reports', async (c) => {\n  return c.json(await db.select().from(reports).where(eq(reports.orgId, c.req.header('x-org-id'))));\n});",
      errors: [
        { messageId: 'untrustedTenantId', data: { key: 'orgId', source: 'a request header' }, line: 2, column: 73 },
      ],
    },
    {
      code: "export async function POST(request: Request) {\n  const body = await request.json();\n  await prisma.member.updateMany({ where: { teamId: body.teamId }, data: { role: 'admin' } });\n}",
      errors: [
        { messageId: 'untrustedTenantId', data: { key: 'teamId', source: 'the request body' }, line: 3, column: 53 },
      ],
    },
    {
      code: 'export async function GET(req: Request, { params }: { params: { orgId: string } }) {\n  return Response.json(await prisma.project.findMany({ where: { orgId: params.orgId } }));\n}',
      errors: [{ messageId: 'untrustedTenantId', data: { key: 'orgId', source: 'the URL path' }, line: 2, column: 72 }],
    },
    {
      code: "export async function action(formData: FormData) {\n  await prisma.invoice.deleteMany({ where: { accountId: String(formData.get('accountId')) } });\n}",
      errors: [
        {
          messageId: 'untrustedTenantId',
          data: { key: 'accountId', source: 'the submitted form' },
          line: 2,
          column: 57,
        },
      ],
    },
  ],
});
