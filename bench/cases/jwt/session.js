const jwt = require('jsonwebtoken');
const { SignJWT } = require('jose');

const key = new TextEncoder().encode(process.env.SESSION_SECRET);

async function createSession(userId) {
  return new SignJWT({ sub: userId }).setProtectedHeader({ alg: 'HS256' }).sign(key); // expect: jwt
}

async function createShortSession(userId) {
  return new SignJWT({ sub: userId }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('15m').sign(key);
}

function requireAdmin(req, res, next) {
  const payload = jwt.decode(req.cookies.session); // expect: jwt
  if (!payload || payload.role !== 'admin') return res.sendStatus(403);
  next();
}

function readKid(token) {
  const decoded = jwt.decode(token, { complete: true });
  return decoded && decoded.header.kid;
}

function verifyWithKey(token, publicKey) {
  return jwt.verify(token, publicKey, { algorithms: ['RS256'] });
}

module.exports = { createSession, createShortSession, requireAdmin, readKid, verifyWithKey };
