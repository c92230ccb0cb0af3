import { join } from 'node:path';

import { GENERATORS } from '../../generators/index.js';
import type { AppContext } from '../../generators/types.js';
import { addModule, newApp } from './commands.js';
import type { Formatter } from './format.js';

const FRAMEWORKS: readonly AppContext['framework'][] = ['express', 'hono'];
const DATABASES: readonly AppContext['db'][] = ['pglite', 'postgres'];

/** Options other than the defaults, so the record covers each template branch of the common choices. */
const VARIANTS: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>> = {
  choices: {
    rbac: { engine: 'cedar', auditDecisions: 'denials' },
    webhook: { provider: ['stripe', 'standard', 'github', 'generic'] },
    auth: { signingAlgorithm: 'EdDSA', mfa: false },
    tenancy: { mode: 'schema-per-tenant', dataKeys: true },
    keys: { signedRequests: false },
  },
};

/**
 * Generates the apps whose files `templates/formatted.json.br` records, through `format` (which sees every
 * text the engine would format): `new --modules all` for each framework and database and with the
 * non-default choices, `new --modules <one>` and `add <one>` into a fresh skeleton for each module and
 * framework. Only the skeletons are written (into `work`, for the `add` runs); everything else is a dry run.
 */
export async function renderFormattedMatrix(format: Formatter, work: string): Promise<void> {
  for (const framework of FRAMEWORKS) {
    for (const db of DATABASES)
      await newApp({ cwd: work, dir: `all-${framework}-${db}`, framework, db, modules: 'all', dryRun: true, format });
    for (const [label, moduleOptions] of Object.entries(VARIANTS))
      await newApp({
        cwd: work,
        dir: `all-${framework}-${label}`,
        framework,
        modules: 'all',
        moduleOptions,
        dryRun: true,
        format,
      });
    const skeleton = join(work, `skeleton-${framework}`);
    await newApp({ cwd: work, dir: skeleton, framework, format });
    for (const spec of GENERATORS) {
      await newApp({
        cwd: work,
        dir: `${spec.name}-${framework}`,
        framework,
        modules: [spec.name],
        dryRun: true,
        format,
      });
      await addModule({ cwd: skeleton, generator: spec.name, dryRun: true, format });
    }
  }
}
