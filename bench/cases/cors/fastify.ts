import Fastify from 'fastify';
import fastifyCors from '@fastify/cors';

const app = Fastify();

await app.register(fastifyCors, { origin: true, credentials: true }); // expect: cors

const trusted = new Set(['https://app.example.com']);
await app.register(fastifyCors, {
  origin: (origin, callback) => callback(null, origin !== undefined && trusted.has(origin)),
  credentials: true,
});

export default app;
