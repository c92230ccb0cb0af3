/** True for a policy expression that lets every row through: `true`, `(true)`, `1 = 1`. */
export function isAlwaysTrue(expression: string | undefined): boolean {
  if (expression === undefined) return false;
  const compact = expression.replace(/[\s()]/g, '').toLowerCase();
  return compact === 'true' || compact === '1=1' || compact === "'t'" || compact === 'true::boolean';
}
