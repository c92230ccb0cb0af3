// Benchmark (not a test): access-token verification throughput with a warm key, for the
// algorithms the auth generator offers. Mirrors the generated `AccessTokens.verify` (jose
// `jwtVerify` with a kid resolver over cached keys, explicit algorithms, typ, iss, aud, exp,
// maxTokenAge and required claims). Run: node bench/auth-verify.mjs [seconds-per-alg]
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import { generateKeyPair, jwtVerify, SignJWT } from 'jose';

const SECONDS = Number(process.argv[2] ?? 2);
const ISSUER = 'https://app.example.com';
const AUDIENCE = 'api';

async function bench(alg) {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  const kid = randomUUID();
  const keys = new Map([[kid, { key: publicKey, alg, verifyUntil: null }]]);
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ roles: ['member'], tid: null })
    .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .setJti(randomUUID())
    .sign(privateKey);
  const resolve = async (header) => {
    const entry = keys.get(header.kid);
    if (entry === undefined || entry.alg !== header.alg) throw new Error('unknown key');
    return entry.key;
  };
  const options = {
    algorithms: [alg],
    issuer: ISSUER,
    audience: AUDIENCE,
    typ: 'at+jwt',
    maxTokenAge: 600,
    requiredClaims: ['sub', 'exp', 'iat', 'jti'],
  };
  for (let i = 0; i < 500; i += 1) await jwtVerify(token, resolve, options); // warm-up
  let ops = 0;
  const start = performance.now();
  const deadline = start + SECONDS * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 100; i += 1) await jwtVerify(token, resolve, options);
    ops += 100;
  }
  const elapsed = (performance.now() - start) / 1000;
  return { alg, ops, opsPerSecond: Math.round(ops / elapsed), microsPerOp: Number(((elapsed / ops) * 1e6).toFixed(1)) };
}

const results = [];
for (const alg of ['ES256', 'EdDSA']) results.push(await bench(alg));
for (const r of results)
  console.log(`auth-verify ${r.alg}: ${r.opsPerSecond} ops/s (${r.microsPerOp} µs/op, ${r.ops} verifications)`);
if (process.env.BENCH_JSON === '1') console.log(JSON.stringify({ benchmark: 'auth-verify', results }));
