import express from 'express';
import pino from 'pino';

const logger = pino();
const app = express();

app.post('/login', (req, res) => {
  const { email, password } = req.body as { email: string; password: string };
  console.log('login attempt', email, password); // expect: logging
  logger.info({ email }, 'login attempt');
  res.sendStatus(204);
});

app.post('/token', (req, res) => {
  const token = req.headers.authorization;
  logger.debug({ token }, 'token refresh'); // expect: logging
  logger.info({ tokenType: 'bearer', expiresIn: 900 }, 'token refreshed');
  res.sendStatus(204);
});

app.post('/signup', (req, res) => {
  logger.info({ body: req.body }, 'signup'); // expect: logging
  console.info('signup for', (req.body as { email: string }).email);
  res.sendStatus(201);
});

app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  logger.error({ err: err.message }, 'request failed');
  console.error('password reset failed for user', res.locals.userId);
  res.sendStatus(500);
});

export default app;
