import { getSchema, type Field, type Model } from '@mrleebo/prisma-ast';

import { tenantKeyOf } from '../tenant-keys.js';

export interface PrismaModel {
  name: string;
  /** The client delegate: `prisma.<delegate>` (the model name with a lower-case first letter). */
  delegate: string;
  table: string;
  fields: string[];
  /** The database column of each field in `fields` (its `@map` name, else the field name). */
  columns: string[];
  /** The tenant key field, when the model has one. */
  tenantKey?: string;
  line: number;
}

/** Parses a `schema.prisma` with a real Prisma grammar; throws with the parser's message on bad input. */
export function readPrismaSchema(source: string): PrismaModel[] {
  const schema = getSchema(source);
  const models: PrismaModel[] = [];
  for (const block of schema.list) {
    if (block.type !== 'model') continue;
    const model = block as Model;
    const scalarFields: string[] = [];
    const columns: string[] = [];
    let table = model.name;
    for (const property of model.properties) {
      if (property.type === 'field') {
        const field = property as Field;
        const isRelation = (field.attributes ?? []).some((attribute) => attribute.name === 'relation');
        if (!isRelation) {
          scalarFields.push(field.name);
          const mapped = (field.attributes ?? []).find((attribute) => attribute.name === 'map')?.args?.[0]?.value;
          columns.push(typeof mapped === 'string' ? mapped.replace(/^"|"$/g, '') : field.name);
        }
      } else if (property.type === 'attribute' && property.name === 'map') {
        const value = property.args?.[0]?.value;
        if (typeof value === 'string') table = value.replace(/^"|"$/g, '');
      }
    }
    const tenantKey = tenantKeyOf(scalarFields);
    const line = source.slice(0, source.search(new RegExp(String.raw`\bmodel\s+${model.name}\b`))).split('\n').length;
    models.push({
      name: model.name,
      delegate: model.name.charAt(0).toLowerCase() + model.name.slice(1),
      table,
      fields: scalarFields,
      columns,
      ...(tenantKey === undefined ? {} : { tenantKey }),
      line,
    });
  }
  return models;
}
