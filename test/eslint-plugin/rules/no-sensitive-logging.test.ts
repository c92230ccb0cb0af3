import rule from '../../../eslint-plugin/rules/no-sensitive-logging.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('no-sensitive-logging', rule, {
  valid: [
    // Presence flags, lengths, types and comparisons say nothing about the secret.
    "console.log('token present:', !!token);",
    "console.log('token length', token.length);",
    'console.log({ hasPassword: Boolean(password), tokenType: typeof token });',
    "logger.info({ password: password === undefined ? 'missing' : 'set' });",
    "console.log(`signed in ${user.email} (token ${token ? 'set' : 'unset'})`);",
    // Harmless look-alikes.
    "console.log('usage', usage.totalTokens, { maxTokens });",
    'console.log(passwordPolicy, cookieConsent, tokenExpiresAt);',
    "logger.info({ userAgent: req.headers['user-agent'], path: req.path });",
    "console.log('Please enter your password');",
    // Issue #14: a chat or log-grouping session id is not the session credential.
    "const { message, sessionId } = await req.json();\nconsole.log('Processing assistant query:', { message, sessionId });",
    'console.log(`Service initialized with session ID: ${this.sessionId}`);',
    // Redacted or hashed before logging.
    'logger.info({ token: redact(token) });',
    "console.log('key fingerprint', fingerprint(apiKey));",
    // Not a logger.
    'const log: string[] = []; history.push(password);',
    'api.error(token);',
    // A package export that shares a logger's name.
    "import { log } from 'mathjs'; log.info(password);",
    'const console = { log: (x: unknown) => x }; console.log(password);',
    { code: "console.log('debug', password);", filename: 'test/login.spec.ts' },
  ],
  invalid: [
    {
      code: "console.log('session', req.cookies.sessionToken);",
      errors: [{ messageId: 'sensitiveValue', line: 1, column: 24 }],
    },
    // Regression (bench/cases/logging): the app's own logger module.
    {
      code: "import { logger } from './logger.js';\nexport function signIn(credentials) { logger.info({ credentials }, 'sign-in'); }",
      errors: [{ messageId: 'sensitiveValue', line: 2, column: 53 }],
    },
    {
      code: "console.log('login', email, password);",
      errors: [{ messageId: 'sensitiveValue', line: 1, column: 29, data: { name: 'password' } }],
    },
    { code: 'logger.info({ userId, accessToken });', errors: [{ messageId: 'sensitiveValue', line: 1, column: 23 }] },
    {
      code: 'console.error(`refresh failed for ${user.refreshToken}`);',
      errors: [{ messageId: 'sensitiveValue', line: 1, column: 37, data: { name: 'user.refreshToken' } }],
    },
    {
      code: "this.logger.debug('incoming', req.headers);",
      errors: [{ messageId: 'wholeRequest', line: 1, column: 31, data: { name: 'req.headers' } }],
    },
    {
      code: "app.post('/x', (req, res) => { console.log(req.body); });",
      errors: [{ messageId: 'wholeRequest', line: 1, column: 44 }],
    },
    {
      code: "console.log('auth', req.headers.authorization);",
      errors: [{ messageId: 'sensitiveValue', line: 1, column: 21, data: { name: 'req.headers.authorization' } }],
    },
    {
      code: "import pino from 'pino';\nconst log = pino();\nlog.info({ card: { cardNumber: body.cardNumber, cvc } });",
      errors: [{ messageId: 'sensitiveValue', line: 3, column: 20 }],
    },
    {
      code: "console.log('cfg ' + JSON.stringify({ clientSecret }));",
      errors: [{ messageId: 'sensitiveValue', line: 1, column: 39 }],
    },
  ],
});
