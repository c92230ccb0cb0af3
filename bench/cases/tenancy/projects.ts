import express from 'express';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
const router = express.Router();

router.get('/projects', async (req, res) => {
  const projects = await prisma.project.findMany({ where: { tenantId: req.body.tenantId } }); // expect: tenancy
  res.json(projects);
});

router.get('/projects/:id', async (req, res) => {
  const tenantId = req.headers['x-tenant-id'] as string;
  const project = await prisma.project.findFirst({ where: { id: req.params.id, tenantId } }); // expect: tenancy
  res.json(project);
});

router.get('/my/projects', async (_req, res) => {
  const tenantId = res.locals.principal.tenantId as string;
  const projects = await prisma.project.findMany({ where: { tenantId } });
  res.json(projects);
});

router.post('/tenants/:slug/invite', async (req, res) => {
  const principal = res.locals.principal as { tenantId: string };
  const tenant = await prisma.tenant.findFirst({ where: { slug: req.params.slug, id: principal.tenantId } });
  res.json({ tenant: tenant?.id });
});

export default router;
