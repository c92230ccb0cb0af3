import type { NextFunction, Request, Response } from 'express';

export function requireAuth(_req: Request, res: Response, next: NextFunction): void {
  if (res.locals.principal === undefined) {
    res.status(401).json({ error: 'unauthenticated' });
    return;
  }
  next();
}

export function requireRole(role: string) {
  return (_req: Request, res: Response, next: NextFunction): void => {
    const principal = res.locals.principal as { roles: readonly string[] } | undefined;
    if (principal === undefined || !principal.roles.includes(role)) {
      res.sendStatus(403);
      return;
    }
    next();
  };
}

export function currentUser(res: Response): { id: string } {
  const principal = res.locals.principal as { id: string } | undefined;
  if (principal === undefined) throw Object.assign(new Error('unauthenticated'), { status: 401 });
  return principal;
}
