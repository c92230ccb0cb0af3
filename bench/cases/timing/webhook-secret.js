const crypto = require('node:crypto');

function checkHookToken(req, res, next) {
  if (req.query.token !== process.env.HOOK_TOKEN) return res.sendStatus(401); // expect: timing
  next();
}

// A digest of the input against a stored digest: the weakness is the fast unsalted hash (crypto);
// require-timing-safe-compare judges raw request values against secrets.
function checkPassword(user, password) {
  return user.passwordHash === crypto.createHash('sha256').update(password).digest('hex'); // expect: crypto
}

function sameLength(a, b) {
  return a.length === b.length;
}

function isAdminRole(user) {
  return user.role === 'admin';
}

function tokenIsMissing(token) {
  return token == null || token.length === 0;
}

module.exports = { checkHookToken, checkPassword, sameLength, isAdminRole, tokenIsMissing };
