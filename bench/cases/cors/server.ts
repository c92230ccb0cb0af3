import cors from 'cors';
import express from 'express';

const app = express();
const ALLOWED = ['https://app.example.com', 'https://admin.example.com'];

app.use(cors({ origin: true, credentials: true })); // expect: cors
app.use('/api', cors({ origin: ALLOWED, credentials: true }));
app.use('/public', cors());
app.use('/embed', cors({ origin: '*' }));

app.use('/legacy', (req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? ''); // expect: cors
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  next();
});

app.use('/v2', (req, res, next) => {
  const origin = req.headers.origin;
  if (origin !== undefined && ALLOWED.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  }
  next();
});

export default app;
