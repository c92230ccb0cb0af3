/**
 * A plopfile for teams that drive generators with plop (`plop --plopfile
 * node_modules/portcullis/dist/generators/plopfile.js`). Each Portcullis generator becomes a plop
 * generator whose prompts come from its JSON schema and whose one action runs the Portcullis engine,
 * so plop users get the same validation, manifest and never-clobber guarantees as the CLI.
 */
import { resolve } from 'node:path';

import type { NodePlopAPI } from 'node-plop';

import { addModule } from '../src/generate/commands.js';
import { coerceCliOptions } from '../src/generate/options.js';
import { answerText, optionQuestion } from '../src/generate/prompt.js';
import { generateText } from '../src/generate/report.js';
import { GENERATORS } from './index.js';

/**
 * The app folder: plop's --dest when given, else the folder plop was started in. (Without --dest plop
 * resolves against the plopfile's own folder, here inside node_modules, which is never the app.)
 */
function appFolder(plop: NodePlopAPI): string {
  const dest = plop.getDestBasePath();
  return resolve(dest) === resolve(plop.getPlopfilePath()) ? process.cwd() : dest;
}

export default function portcullisPlopfile(plop: NodePlopAPI): void {
  for (const spec of GENERATORS) {
    plop.setGenerator(spec.name, {
      description: spec.description,
      prompts: Object.entries(spec.schema.properties).map(([name, schema]) => ({
        ...optionQuestion(name, schema),
        name,
      })),
      actions: [
        async (answers) => {
          const raw: Record<string, string> = {};
          for (const [name, value] of Object.entries((answers ?? {}) as Record<string, unknown>)) {
            const text = answerText(value);
            if (text !== undefined && name in spec.schema.properties) raw[name] = text;
          }
          try {
            const result = await addModule({
              cwd: appFolder(plop),
              generator: spec.name,
              options: coerceCliOptions(spec, raw),
            });
            // plop reports a thrown action as a failure; unresolved conflicts must not pass silently.
            if (result.conflicts.length > 0) throw new Error(generateText(result));
            return generateText(result).trimEnd();
          } catch (error) {
            // plop prints a failed action but exits 0; CI and scripts need the failure in the exit code.
            process.exitCode = 1;
            throw error;
          }
        },
      ],
    });
  }
}
