export function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

export function randomColor(): string {
  return `hsl(${Math.floor(Math.random() * 360)}, 70%, 50%)`;
}

export function csrfToken(): string {
  return Math.random().toString(16).slice(2) + Math.random().toString(16).slice(2); // expect: randomness
}

export function sampleRate(): boolean {
  return Math.random() < 0.1;
}

export function newPassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  return Array.from({ length: 12 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join(''); // expect: randomness
}

export function requestId(): string {
  return crypto.randomUUID();
}
