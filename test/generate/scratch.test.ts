import { it } from 'vitest';
import { generate } from '../../src/generate/engine.js';

it('scratch', async () => {
  for (const framework of ['express', 'hono'])
    await generate({ target: `.tmp/apps/skel-${framework}`, generators: [{ generator: 'app', options: { framework } }, { generator: 'db' }] });
});
