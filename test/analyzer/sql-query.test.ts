import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';

import { readFacts } from '../../src/analyzer/facts.js';
import { readSqlQuery, type SqlTableInfo } from '../../src/analyzer/sql-query.js';

const TABLES: Record<string, SqlTableInfo> = {
  orders: { tenantColumn: 'org_id', columns: ['id', 'org_id', 'customer_id', 'plan_id', 'total'] },
  customers: { tenantColumn: 'org_id', columns: ['id', 'org_id', 'name'] },
  members: { tenantColumn: 'org_id', columns: ['id', 'org_id', 'user_id'] },
  Project: { tenantColumn: 'tenantId', columns: ['id', 'tenantId', 'name'] },
  users: { columns: ['id', 'email'] },
  plans: { columns: ['id', 'name'] },
};

/** `table:statement` of every tenant-scoped use the statement leaves unscoped (what the check reports). */
function unscoped(sql: string): string[] {
  const reading = readSqlQuery(sql, (_schema, name) => TABLES[name]);
  if (!reading.parsed) throw new Error(`not parsed: ${sql}`);
  return reading.uses
    .filter((use) => use.tenantColumn !== undefined && !use.scoped && !use.opaque && !use.feedsFilter)
    .map((use) => `${use.table}:${use.statement}`);
}

describe('readSqlQuery: tables a statement reaches', () => {
  it('lists FROM, JOIN, subquery, CTE, UPDATE, DELETE and INSERT tables with their statement', () => {
    const reading = readSqlQuery(
      `WITH recent AS (SELECT * FROM orders WHERE org_id = $1)
       SELECT r.*, (SELECT name FROM plans p WHERE p.id = r.plan_id) FROM recent r JOIN customers c ON c.id = r.customer_id`,
      (_schema, name) => TABLES[name],
    );
    expect(reading.parsed && reading.uses.map((use) => `${use.table}:${use.statement}`).sort()).toEqual([
      'customers:select',
      'orders:select',
      'plans:select',
    ]);
    for (const [sql, expected] of [
      ['UPDATE orders SET total = 0 WHERE id = $1', 'orders:update'],
      ['DELETE FROM public.orders WHERE id = $1', 'orders:delete'],
      ['INSERT INTO orders (id, total) VALUES ($1, $2)', 'orders:insert'],
    ] as const) {
      const result = readSqlQuery(sql, (_schema, name) => TABLES[name]);
      expect(result.parsed && result.uses.map((use) => `${use.table}:${use.statement}`)).toEqual([expected]);
    }
  });

  it('keeps schema names and quoted identifiers as Postgres reads them', () => {
    const seen: string[] = [];
    readSqlQuery(
      'SELECT * FROM audit.events e JOIN "Project" p ON p.id = e.project_id JOIN Orders o ON true',
      (s, n) => {
        seen.push(`${s ?? '-'}.${n}`);
        return undefined;
      },
    );
    expect(seen).toEqual(['audit.events', '-.Project', '-.orders']);
  });

  it('gives up on text the Postgres grammar rejects (dynamic fragments, other dialects)', () => {
    const lookup = (_s: string | undefined, name: string): SqlTableInfo | undefined => TABLES[name];
    expect(readSqlQuery('SELECT * FROM orders WHERE id = ?', lookup)).toEqual({ parsed: false });
    expect(readSqlQuery('SELECT * FROM orders WHERE id = $1 $2', lookup)).toEqual({ parsed: false });
    expect(readSqlQuery('SELECT * FROM $1', lookup)).toEqual({ parsed: false });
  });
});

describe('readSqlQuery: tenant predicates', () => {
  it('counts the tenant column compared with a value, qualified or not', () => {
    expect(unscoped('SELECT * FROM orders WHERE org_id = $1')).toEqual([]);
    expect(unscoped('SELECT * FROM orders o WHERE o.org_id = $1 AND o.id = $2')).toEqual([]);
    expect(unscoped(`SELECT * FROM orders o WHERE o.org_id = current_setting('app.tenant_id')::uuid`)).toEqual([]);
    expect(unscoped('SELECT * FROM orders WHERE org_id IN ($1, $2)')).toEqual([]);
    expect(unscoped('SELECT * FROM orders WHERE org_id = ANY($1)')).toEqual([]);
    expect(unscoped('SELECT * FROM orders o WHERE o.org_id::text = $1')).toEqual([]);
    expect(unscoped('SELECT * FROM "Project" WHERE "tenantId" = $1')).toEqual([]);
  });

  it('reports a tenant table reached by id alone, or with the tenant under an OR or a NOT', () => {
    expect(unscoped('SELECT * FROM orders WHERE id = $1')).toEqual(['orders:select']);
    expect(unscoped('SELECT * FROM "Project" p WHERE p.id = $1')).toEqual(['Project:select']);
    expect(unscoped('SELECT * FROM orders WHERE id = $1 OR org_id = $2')).toEqual(['orders:select']);
    expect(unscoped('SELECT * FROM orders WHERE (org_id = $1 OR public) AND id = $2')).toEqual(['orders:select']);
    expect(unscoped('SELECT * FROM orders WHERE NOT (org_id = $1)')).toEqual(['orders:select']);
    expect(unscoped('SELECT * FROM orders WHERE org_id <> $1')).toEqual(['orders:select']);
    expect(unscoped('SELECT * FROM orders WHERE org_id IS NOT NULL')).toEqual(['orders:select']);
  });

  it('does not count a column compared with another column of the same row or an unscoped one', () => {
    expect(unscoped('SELECT * FROM orders o WHERE o.org_id = o.customer_id')).toEqual(['orders:select']);
    expect(
      unscoped('SELECT * FROM orders o WHERE o.org_id = (SELECT c.org_id FROM customers c WHERE c.id = o.customer_id)'),
    ).toEqual(['orders:select', 'customers:select']);
  });

  it('follows aliases and joins: the tenant through a joined table, by tenant column or by key', () => {
    expect(unscoped('SELECT o.* FROM orders o JOIN customers c ON c.org_id = o.org_id WHERE c.org_id = $1')).toEqual(
      [],
    );
    expect(unscoped('SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.org_id = $1')).toEqual(
      [],
    );
    expect(unscoped('SELECT * FROM orders o JOIN customers c USING (org_id) WHERE c.org_id = $1')).toEqual([]);
    expect(unscoped('SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = $1')).toEqual([
      'orders:select',
      'customers:select',
    ]);
  });

  it('does not scope through a non-tenant parent: a user of a tenant order may own orders of other tenants', () => {
    expect(
      unscoped(
        'SELECT o2.* FROM orders o JOIN users u ON u.id = o.customer_id JOIN orders o2 ON o2.customer_id = u.id WHERE o.org_id = $1',
      ),
    ).toEqual(['orders:select']);
    expect(unscoped('SELECT o.* FROM orders o JOIN plans p ON p.id = o.plan_id WHERE p.id = $1')).toEqual([
      'orders:select',
    ]);
  });

  it('applies LEFT JOIN conditions to the joined table only', () => {
    expect(unscoped('SELECT * FROM orders o LEFT JOIN customers c ON c.id = o.customer_id AND c.org_id = $1')).toEqual([
      'orders:select',
    ]);
    expect(unscoped('SELECT * FROM orders o LEFT JOIN customers c ON c.id = o.customer_id AND o.org_id = $1')).toEqual([
      'orders:select',
      'customers:select',
    ]);
    expect(
      unscoped('SELECT * FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE o.org_id = $1'),
    ).toEqual([]);
  });

  it('resolves unqualified columns only when one table can have them', () => {
    // Only orders has org_id (users' columns are known): unambiguous.
    expect(unscoped('SELECT * FROM orders, users WHERE org_id = $1 AND users.id = orders.customer_id')).toEqual([]);
    // Both have org_id: Postgres rejects the query; nothing is attributed.
    expect(unscoped('SELECT * FROM orders, customers WHERE org_id = $1')).toEqual([
      'orders:select',
      'customers:select',
    ]);
  });

  it('reads CTEs and subqueries in FROM, pushing outer conditions into them', () => {
    expect(unscoped('WITH x AS (SELECT * FROM orders WHERE org_id = $1) SELECT * FROM x')).toEqual([]);
    expect(unscoped('WITH x AS (SELECT * FROM orders) SELECT * FROM x WHERE x.org_id = $1')).toEqual([]);
    expect(unscoped('SELECT * FROM (SELECT id, org_id FROM orders) t WHERE t.org_id = $1')).toEqual([]);
    expect(unscoped('WITH x AS (SELECT * FROM orders) SELECT * FROM x WHERE x.id = $1')).toEqual(['orders:select']);
    expect(unscoped('SELECT * FROM (SELECT id FROM orders) t WHERE t.id = $1')).toEqual(['orders:select']);
    expect(unscoped('SELECT * FROM orders WHERE org_id = $1 UNION ALL SELECT * FROM orders WHERE id = $2')).toEqual([
      'orders:select',
    ]);
  });

  it('reads correlated subqueries and EXISTS membership checks', () => {
    expect(
      unscoped(
        'SELECT (SELECT count(*) FROM customers c WHERE c.id = o.customer_id) FROM orders o WHERE o.org_id = $1',
      ),
    ).toEqual([]);
    expect(
      unscoped(
        'SELECT * FROM orders o WHERE EXISTS (SELECT 1 FROM members m WHERE m.org_id = o.org_id AND m.user_id = $1)',
      ),
    ).toEqual([]);
    expect(unscoped('SELECT * FROM orders o WHERE EXISTS (SELECT 1 FROM members m WHERE m.org_id = o.org_id)')).toEqual(
      ['orders:select', 'members:select'],
    );
  });

  it('takes an IN subquery as the tenant value and does not report the table it reads', () => {
    expect(unscoped('SELECT * FROM orders WHERE org_id IN (SELECT org_id FROM members WHERE user_id = $1)')).toEqual(
      [],
    );
    // A semi-join by key to the tenant's rows scopes like a JOIN; to anyone's rows it does not.
    expect(unscoped('DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE org_id = $1)')).toEqual(
      [],
    );
    expect(unscoped('DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE name = $1)')).toEqual([
      'orders:delete',
    ]);
  });

  it('holds INSERT to its column list and UPDATE/DELETE to their WHERE', () => {
    expect(unscoped('INSERT INTO orders (id, org_id) VALUES ($1, $2)')).toEqual([]);
    expect(unscoped('INSERT INTO orders VALUES ($1, $2, $3, $4, $5)')).toEqual([]);
    expect(unscoped('INSERT INTO orders (id, total) VALUES ($1, $2) RETURNING *')).toEqual(['orders:insert']);
    expect(unscoped('INSERT INTO orders (id, org_id) SELECT id, org_id FROM customers WHERE id = $1')).toEqual([
      'customers:select',
    ]);
    expect(unscoped('UPDATE orders SET total = $1 WHERE id = $2')).toEqual(['orders:update']);
    expect(unscoped('UPDATE orders SET org_id = $1 WHERE id = $2')).toEqual(['orders:update']);
    expect(unscoped('UPDATE orders o SET total = 0 WHERE o.id = $1 AND o.org_id = $2')).toEqual([]);
    expect(unscoped('DELETE FROM orders WHERE id = $1')).toEqual(['orders:delete']);
    expect(unscoped('DELETE FROM orders o WHERE o.org_id = $2 AND o.id = $1')).toEqual([]);
  });

  it('marks conditions it cannot see into as opaque (a fragment parameter, a function)', () => {
    const reading = readSqlQuery('SELECT * FROM orders WHERE id = $1 AND $2', (_s, n) => TABLES[n]);
    expect(reading.parsed && reading.uses.map((use) => use.opaque)).toEqual([true]);
    expect(unscoped('SELECT * FROM orders o WHERE can_read(o.org_id, $1)')).toEqual([]);
  });

  it('reads every statement of a multi-statement text', () => {
    expect(unscoped('SELECT * FROM orders WHERE org_id = $1; DELETE FROM customers')).toEqual(['customers:delete']);
  });
});

function queriesOf(code: string): { orm: string; sql?: string; receiver: string; method: string }[] {
  const sf = ts.createSourceFile('src/x.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return readFacts('src/x.ts', sf).queries.map((q) => ({
    orm: q.orm,
    ...(q.sql === undefined ? {} : { sql: q.sql }),
    receiver: q.receiver,
    method: q.method,
  }));
}

describe('raw SQL facts', () => {
  it('turns template substitutions into bind parameters and inlines fragments', () => {
    expect(
      queriesOf(`import { Prisma } from '@prisma/client';
        const scope = Prisma.sql\`AND "tenantId" = \${t}\`;
        await prisma.$queryRaw\`SELECT * FROM "Project" WHERE id = \${id} \${scope} LIMIT \${n}\`;
        await prisma.$executeRaw(Prisma.sql\`DELETE FROM "Project" WHERE id = \${id}\${Prisma.empty}\`);`),
    ).toEqual([
      {
        orm: 'sql',
        sql: 'SELECT * FROM "Project" WHERE id = $1 AND "tenantId" = $2 LIMIT $3',
        receiver: 'prisma',
        method: '$queryRaw',
      },
      { orm: 'sql', sql: 'DELETE FROM "Project" WHERE id = $1', receiver: 'prisma', method: 'sql' },
    ]);
  });

  it('reads string SQL passed to query methods, following a const of the same file', () => {
    expect(
      queriesOf(`const LIST = 'SELECT * FROM orders WHERE org_id = $1';
        pool.query(LIST, [orgId]);
        client.query({ text: 'DELETE FROM orders WHERE id = $1', values: [id] });
        prisma.$queryRawUnsafe('SELECT 1 FROM orders');`),
    ).toEqual([
      { orm: 'sql', sql: 'SELECT * FROM orders WHERE org_id = $1', receiver: 'pool', method: 'query' },
      { orm: 'sql', sql: 'DELETE FROM orders WHERE id = $1', receiver: 'client', method: 'query' },
      { orm: 'sql', sql: 'SELECT 1 FROM orders', receiver: 'prisma', method: '$queryRawUnsafe' },
    ]);
  });

  it('knows sql tags by their module and the executing receiver', () => {
    expect(
      queriesOf(`import { sql } from 'drizzle-orm';
        import postgres from 'postgres';
        const pg = postgres(url);
        await db.execute(sql\`SELECT * FROM orders WHERE id = \${id}\`);
        await pg\`UPDATE orders SET total = 0\`;`),
    ).toEqual([
      { orm: 'sql', sql: 'SELECT * FROM orders WHERE id = $1', receiver: 'db', method: 'sql' },
      { orm: 'sql', sql: 'UPDATE orders SET total = 0', receiver: 'pg', method: 'sql' },
    ]);
    expect(
      queriesOf(`import { neon } from '@neondatabase/serverless';
        import { sql as vercel } from '@vercel/postgres';
        const sql = neon(process.env.DATABASE_URL!);
        await sql\`SELECT * FROM orders WHERE org_id = \${orgId}\`;
        await vercel\`DELETE FROM orders WHERE id = \${id}\`;`).map((q) => q.sql),
    ).toEqual(['SELECT * FROM orders WHERE org_id = $1', 'DELETE FROM orders WHERE id = $1']);
    // A local function named sql is not a database client.
    expect(
      queriesOf(`function sql(strings: TemplateStringsArray) { return strings.join(''); }
        sql\`SELECT * FROM orders\`;`),
    ).toEqual([]);
  });

  it('reads no dynamic or non-SQL text', () => {
    expect(
      queriesOf(`import { sql } from 'drizzle-orm';
        let text = 'SELECT * FROM orders';
        pool.query(text);
        pool.query('SELECT * FROM ' + table);
        pool.query(\`SELECT * FROM orders WHERE \${where}\`);
        prisma.$queryRawUnsafe(input);
        prisma.$queryRaw\`SELECT * FROM \${Prisma.raw(table)}\`;
        router.query('user');
        db.select().from(orders).where(sql\`\${orders.orgId} = \${orgId}\`);
        const tag = (s: TemplateStringsArray) => s; tag\`SELECT * FROM orders\`;`),
    ).toEqual([{ orm: 'drizzle', receiver: 'db', method: 'select' }]);
  });
});
