const crypto = require('node:crypto');
const bcrypt = require('bcrypt');

async function storePassword(password) {
  return bcrypt.hash(password, 12);
}

function hashPassword(password, salt) {
  return crypto.pbkdf2Sync(password, salt, 1000, 32, 'sha256').toString('hex'); // expect: crypto
}

function legacyEncrypt(text) {
  const cipher = crypto.createCipheriv('des-ede3-cbc', Buffer.from(process.env.KEY, 'hex'), Buffer.alloc(8)); // expect: crypto
  return cipher.update(text, 'utf8', 'hex') + cipher.final('hex');
}

function fingerprint(publicKeyPem) {
  return crypto.createHash('sha256').update(publicKeyPem).digest('hex');
}

function gravatar(email) {
  return `https://www.gravatar.com/avatar/${crypto.createHash('md5').update(email.trim().toLowerCase()).digest('hex')}`;
}

function hashApiToken(token) {
  return crypto.createHash('sha256').update(token).digest('hex');
}

module.exports = { storePassword, hashPassword, legacyEncrypt, fingerprint, gravatar, hashApiToken };
