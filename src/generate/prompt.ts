import type { NodePlopAPI, PromptQuestion } from 'node-plop';

import type { OptionSchema } from '../../generators/types.js';
import { describeAllowed } from './options.js';

/** Asks for one option's value; `undefined` keeps the default. */
export type Ask = (name: string, schema: OptionSchema) => Promise<string | undefined>;

/**
 * The plop (inquirer) question for one option, built from its JSON schema: enums become a list,
 * booleans a confirm, arrays of enums a checkbox, everything else an input with the schema's pattern.
 * Answers come back as the strings the CLI would take, so one coercion path serves flags and prompts.
 */
export function optionQuestion(name: string, schema: OptionSchema): PromptQuestion {
  const message = `${name}: ${schema.description}`;
  if (schema.type === 'boolean') {
    return { type: 'confirm', name: 'value', message, default: schema.default === true };
  }
  if (schema.type === 'array' && schema.items?.enum !== undefined) {
    const defaults = Array.isArray(schema.default) ? (schema.default as unknown[]) : [];
    return {
      type: 'checkbox',
      name: 'value',
      message,
      choices: schema.items.enum.map((value) => ({ name: value, value, checked: defaults.includes(value) })),
    };
  }
  if (schema.enum !== undefined) {
    return { type: 'list', name: 'value', message, choices: [...schema.enum], default: schema.default };
  }
  const pattern = schema.pattern === undefined ? undefined : new RegExp(schema.pattern);
  return {
    type: 'input',
    name: 'value',
    message: `${message} (${describeAllowed(schema)})`,
    ...(schema.default === undefined
      ? {}
      : { default: Array.isArray(schema.default) ? schema.default.join(',') : String(schema.default) }),
    validate: (answer: string) =>
      answer === '' || pattern === undefined || pattern.test(answer) ? true : `must match ${schema.pattern ?? ''}`,
  };
}

/** An inquirer answer as the string the CLI takes (`true`, `a,b`). */
export function answerText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return value.map(String).join(',');
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Prompts on the terminal through node-plop's inquirer (only used when stdin is a TTY and `--yes`
 * is absent). The streams are passed to inquirer so prompts go to stderr and stdout stays clean.
 */
export function terminalAsk(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Ask {
  let plop: Promise<NodePlopAPI> | undefined;
  return async (name, schema) => {
    // node-plop (and inquirer, rxjs) load on the first question: `--yes` and non-TTY runs never pay for them.
    plop ??= import('node-plop').then(({ default: nodePlop }) =>
      nodePlop(undefined, { force: false, destBasePath: undefined }),
    );
    const api = await plop;
    const generatorName = `portcullis:${name}`;
    api.setGenerator(generatorName, {
      description: `Portcullis option ${name}`,
      prompts: (inquirer) =>
        inquirer.createPromptModule({ input: input as NodeJS.ReadStream, output: output as NodeJS.WriteStream })([
          optionQuestion(name, schema),
        ]),
      actions: [],
    });
    const answers = (await api.getGenerator(generatorName).runPrompts()) as { value?: unknown };
    return answerText(answers.value);
  };
}
