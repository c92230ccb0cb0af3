/** Cipher and password-hashing parameters: what is broken, what is weak, what is fine. */

/** Block modes and algorithms that must not protect data (CWE-327). */
export function weakCipher(algorithm: string): 'ecb' | 'broken' | 'cbc' | undefined {
  const name = algorithm.toLowerCase();
  if (/(?:^|-)ecb$/.test(name)) return 'ecb';
  if (/^(?:des|des-ede|des-ede3|des3|rc2|rc4|bf|blowfish|cast|idea|seed)(?:-|$)/.test(name)) return 'broken';
  if (/^aes-\d+-cbc(?:-hmac-sha\d+)?$/.test(name)) return name.includes('hmac') ? undefined : 'cbc';
  return undefined;
}

/** OWASP (2023) minimum PBKDF2 iterations per digest. */
export function minimumPbkdf2Iterations(digest: string | undefined): number {
  switch ((digest ?? '').toLowerCase().replace('-', '')) {
    case 'sha1':
      return 1_300_000;
    case 'sha256':
      return 600_000;
    default:
      return 210_000;
  }
}

/** bcrypt's cost factor floor. */
export const MIN_BCRYPT_COST = 10;

/** Names of values that hold a password itself (`password`, `newPassword`, `pwd`), not its hash or policy. */
export function namesPassword(name: string): boolean {
  const compact = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return /(?:password|passwd|passphrase|pwd)$/.test(compact) || compact === 'pass' || compact === 'pin';
}

/** Names of values that hold a password hash (`passwordHash`, `hashedPassword`). */
export function namesPasswordHash(name: string): boolean {
  const compact = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return (
    /(?:password|passwd|pwd)(?:hash|hashed|digest)$/.test(compact) || /^hashed(?:password|passwd|pwd)$/.test(compact)
  );
}
