/**
 * no-unawaited-authorization-check (issue #15): an async ownership or membership check called
 * without `await` in a condition — the Promise is always truthy, so the guard never denies.
 * Quiet on awaited calls, synchronous predicates, `void` calls and names that are not checks.
 */
import { describe, expect, it } from 'vitest';

import { checkFiles } from './fixture-project.js';

function findings(files: Record<string, string>): Promise<string[]> {
  return checkFiles(files, ['no-unawaited-authorization-check'], {
    preset: 'recommended',
    describe: (finding) => `${finding.file}:${String(finding.line)}`,
  });
}

const MEMBERSHIP = `import { db } from './db';

export async function isGroupOwnerUseCase(user: { id: string } | undefined, groupId: string) {
  if (!user) return false;
  const group = await db.group.findUnique({ where: { id: groupId } });
  return group?.ownerId === user.id;
}

export const canViewGroup = async (user: { id: string } | undefined, groupId: string): Promise<boolean> => {
  const member = await db.member.findFirst({ where: { groupId, userId: user?.id } });
  return member !== null;
};

export function hasAccessToken(token: string): Promise<boolean> {
  return db.token.count({ where: { token } }).then((n: number) => n > 0);
}

export function isOwnerOf(user: { id: string }, group: { ownerId: string }) {
  return group.ownerId === user.id;
}

export async function loadGroup(id: string) {
  return db.group.findUnique({ where: { id } });
}
`;

// A whole check per case (the ESLint rules too): generous, load-independent timeouts.
const SLOW = { timeout: 240_000 };

describe('no-unawaited-authorization-check', SLOW, () => {
  it('reports negated, bare and && / || uses of an async check resolved across files', async () => {
    const found = await findings({
      'src/membership.ts': MEMBERSHIP,
      'src/posts.ts': `import { db } from './db';
import { canViewGroup, hasAccessToken, isGroupOwnerUseCase } from './membership';

export async function deletePostUseCase(user: { id: string }, postId: string) {
  const post = await db.post.findUniqueOrThrow({ where: { id: postId } });
  const isPostOwner = post.userId === user.id;
  if (!isGroupOwnerUseCase(user, post.groupId) && !isPostOwner) {
    throw new Error('forbidden');
  }
  await db.post.delete({ where: { id: postId } });
}

export async function readPosts(user: { id: string }, groupId: string) {
  if (canViewGroup(user, groupId)) return db.post.findMany({ where: { groupId } });
  return [];
}

export function gate(token: string) {
  return hasAccessToken(token) || isLocal() ? 'ok' : 'denied';
}

function isLocal() {
  return false;
}
`,
    });
    expect(found).toEqual(['src/posts.ts:14', 'src/posts.ts:19', 'src/posts.ts:7']);
  });

  it('stays quiet on awaited checks, sync predicates, void calls, stored promises and non-check names', async () => {
    const found = await findings({
      'src/membership.ts': MEMBERSHIP,
      'src/posts.ts': `import { db } from './db';
import { canViewGroup, isGroupOwnerUseCase, isOwnerOf, loadGroup } from './membership';

export async function deletePostUseCase(user: { id: string }, postId: string) {
  const post = await db.post.findUniqueOrThrow({ where: { id: postId } });
  if (!(await isGroupOwnerUseCase(user, post.groupId))) throw new Error('forbidden');
  if ((await canViewGroup(user, post.groupId)) && post.published) return post;
  const group = await db.group.findUniqueOrThrow({ where: { id: post.groupId } });
  if (!isOwnerOf(user, group)) throw new Error('forbidden');
  void isGroupOwnerUseCase(user, post.groupId);
  const pending = canViewGroup(user, post.groupId);
  if (!(await pending)) throw new Error('forbidden');
  if (!loadGroup(post.groupId)) throw new Error('gone');
  const isOwner = async () => true;
  if (!isOwner) throw new Error('unreachable');
  return isGroupOwnerUseCase(user, post.groupId).then((owner) => (owner ? post : null));
}
`,
    });
    expect(found).toEqual([]);
  });
});
