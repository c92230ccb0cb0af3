import type { GeneratorSpec } from '../types.js';

export type DbOptions = Record<string, never>;

/** The shared database layer (PGlite by default, PostgreSQL via `pg`) that storage-backed modules build on. */
export const dbGenerator: GeneratorSpec<DbOptions> = {
  name: 'db',
  description:
    'Database layer: embedded PGlite by default, PostgreSQL via pg when DATABASE_URL is set, and a SQL migration runner.',
  version: '1.1.0',
  schema: { type: 'object', properties: {}, additionalProperties: false },
  normalizeOptions: () => ({}),
  actions: () => [
    { type: 'add', path: 'src/db/types.ts', template: 'db/src/db/types.ts.hbs' },
    { type: 'add', path: 'src/db/pglite.ts', template: 'db/src/db/pglite.ts.hbs' },
    { type: 'add', path: 'src/db/postgres.ts', template: 'db/src/db/postgres.ts.hbs' },
    { type: 'add', path: 'src/db/migrate.ts', template: 'db/src/db/migrate.ts.hbs' },
    { type: 'add', path: 'src/db/index.ts', template: 'db/src/db/index.ts.hbs' },
    { type: 'add', path: 'src/db/db.test.ts', template: 'db/src/db/db.test.ts.hbs' },
    {
      type: 'dependencies',
      dependencies: { '@electric-sql/pglite': '0.5.16', pg: '8.23.1' },
      devDependencies: { '@types/pg': '8.23.1' },
    },
    {
      type: 'env',
      entries: [
        { key: 'DATABASE_URL', example: '', comment: 'PostgreSQL URL; leave empty to use embedded PGlite.' },
        {
          key: 'PGLITE_DATA_DIR',
          example: '.data/pglite',
          comment: 'Where embedded PGlite keeps its data (empty: in memory).',
        },
      ],
    },
  ],
};
