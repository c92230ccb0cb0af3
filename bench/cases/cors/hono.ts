import { Hono } from 'hono';
import { cors } from 'hono/cors';

const app = new Hono();

app.use('/api/*', cors({ origin: (origin) => origin, credentials: true })); // expect: cors
app.use('/widgets/*', cors({ origin: ['https://shop.example.com'], credentials: true }));
app.use('/status', cors({ origin: '*' }));

export default app;
