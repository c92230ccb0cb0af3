import { createInterface } from 'node:readline/promises';

import type { OptionSchema } from '../../generators/types.js';
import { describeAllowed } from './options.js';

/** Asks for one option's value; `undefined` keeps the default. */
export type Ask = (name: string, schema: OptionSchema) => Promise<string | undefined>;

/** Prompts on the terminal (only used when stdin is a TTY and `--yes` is absent). */
export function terminalAsk(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Ask {
  return async (name, schema) => {
    const rl = createInterface({ input, output });
    try {
      const fallback = schema.default === undefined ? '' : ` [${String(schema.default)}]`;
      const answer = await rl.question(`${name}: ${schema.description} (${describeAllowed(schema)})${fallback}: `);
      return answer.trim() === '' ? undefined : answer.trim();
    } finally {
      rl.close();
    }
  };
}
