import rule from '../../../eslint-plugin/rules/no-client-secret-exposure.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('no-client-secret-exposure', rule, {
  valid: [
    // Public-by-design keys with public prefixes.
    'const key = process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY;',
    'const anon = process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY;',
    'const url = import.meta.env.VITE_SUPABASE_URL;',
    'const site = process.env.NEXT_PUBLIC_RECAPTCHA_SITE_KEY;',
    'const maps = process.env.NEXT_PUBLIC_GOOGLE_MAPS_API_KEY;',
    'const dsn = process.env.NEXT_PUBLIC_SENTRY_DSN;',
    'const token = process.env.NEXT_PUBLIC_MAPBOX_TOKEN;',
    // Issue #14: judge by what the value is. Stripe issues publishable keys for browsers, analytics
    // providers issue public project tokens, and a flag about password sign-in is not a password.
    "const stripe = loadStripe(process.env.NEXT_PUBLIC_STRIPE_KEY ?? '');",
    'const mixpanel = init(import.meta.env.VITE_MIXPANEL_TOKEN);',
    'const analytics = process.env.NEXT_PUBLIC_ANALYTICS_TOKEN;',
    "export const passwordLogin = import.meta.env.VITE_PASSWORD_LOGIN === '1';",
    'const minimum = process.env.NEXT_PUBLIC_PASSWORD_MIN_LENGTH;',
    // Server code may read server secrets.
    'const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);',
    "import { createClient } from '@supabase/supabase-js';\nexport const admin = createClient(process.env.SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);",
    // Client code reading public and built-in variables.
    "'use client';\nconst debug = process.env.NODE_ENV !== 'production';\nconst key = process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY;",
    "'use client';\nimport { createClient } from '@supabase/supabase-js';\nexport const supabase = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!);",
    "'use client';\nconst mode = import.meta.env.MODE;",
    // 'use client' that is not a directive (a string in the middle of a file).
    "const note = 'use client';\nconst key = process.env.STRIPE_SECRET_KEY;",
    // A folder named like a client folder, but not configured.
    { code: 'const key = process.env.STRIPE_SECRET_KEY;', filename: 'src/components/Pay.tsx' },
  ],
  invalid: [
    {
      code: 'const stripe = process.env.NEXT_PUBLIC_STRIPE_SECRET_KEY;',
      errors: [
        {
          messageId: 'publicSecret',
          line: 1,
          column: 16,
          data: { name: 'NEXT_PUBLIC_STRIPE_SECRET_KEY', prefix: 'NEXT_PUBLIC_' },
        },
      ],
    },
    {
      code: 'const openai = new OpenAI({ apiKey: import.meta.env.VITE_OPENAI_API_KEY, dangerouslyAllowBrowser: true });',
      errors: [{ messageId: 'publicSecret', line: 1, column: 37 }],
    },
    {
      // Providers with no public key: any key of theirs in a bundle is spendable.
      code: 'const gh = import.meta.env.VITE_GITHUB_TOKEN;',
      errors: [{ messageId: 'publicSecret', line: 1, column: 12 }],
    },
    {
      code: 'const pw = process.env.NEXT_PUBLIC_ADMIN_PASSWORD;',
      errors: [{ messageId: 'publicSecret', line: 1, column: 12 }],
    },
    {
      code: "const key = process.env['EXPO_PUBLIC_SUPABASE_SERVICE_ROLE_KEY'];",
      errors: [{ messageId: 'publicSecret', line: 1, column: 13 }],
    },
    {
      code: "'use client';\nexport async function pay() {\n  return fetch('/api', { headers: { authorization: process.env.STRIPE_SECRET_KEY ?? '' } });\n}",
      errors: [{ messageId: 'serverEnvInClient', line: 3, column: 52, data: { name: 'STRIPE_SECRET_KEY' } }],
    },
    {
      code: "'use client';\nimport { createClient } from '@supabase/supabase-js';\nexport const supabase = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.SUPABASE_SERVICE_ROLE_KEY!);",
      errors: [{ messageId: 'serviceRoleInClient', line: 3, column: 77 }],
    },
    {
      code: 'const key = process.env.DATABASE_URL;',
      filename: 'src/client/db.ts',
      options: [{ clientDirectories: ['src/client'] }],
      errors: [{ messageId: 'serverEnvInClient', line: 1, column: 13 }],
    },
  ],
});
