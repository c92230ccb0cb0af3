import type { AppContext } from '../types.js';
import { databaseAccess, type ModuleDatabaseAccess } from './database-access.js';

/**
 * What the composition root of an app mounts, derived from the modules it has (and their options).
 * The app generator re-renders the root from this whenever a module is added, so `add` wires the
 * new module in; a module that comes later (payments, keys…) adds its flag here and its section to
 * the root templates (services, mount, config, pilot steps).
 */
export interface Composition {
  db: boolean;
  audit: boolean;
  auth: boolean;
  rbac: boolean;
  tenancy: boolean;
  webhook: boolean;
  /** Payments: the service, the Stripe endpoint driving it, and (with auth) checkout and refund routes. */
  payments: boolean;
  /** The keys module: envelope encryption, KEK rotation, residency (services.keys, services.residency). */
  keys: boolean;
  /** Admin (+ step-up when MFA is on) KEK rotation endpoint: POST /api/admin/keys/kek/rotate. */
  kekRotation: boolean;
  /** The auth module serves TOTP (step-up is possible). */
  mfa: boolean;
  /** URL prefix of the auth routes. */
  authPrefix: string;
  /** How long a rotated-out signing key still verifies (AUTH_KEY_OVERLAP_SECONDS overrides it). */
  keyOverlapSeconds: number;
  /** The sample tenant-scoped resource: `projects`, guarded by the authorizer and row-level security. */
  projects: boolean;
  /** Deleting a project needs a fresh second factor. */
  stepUp: boolean;
  /** Admin-only audit report endpoint. */
  auditReport: boolean;
  /** Admin (+ step-up when MFA is on) signing-key rotation endpoint. */
  keyRotation: boolean;
  /** `/api` routes (needs auth). */
  api: boolean;
  /** `npm run pilot` and the development OpenID provider (needs auth on a database). */
  pilot: boolean;
  /** The pilot proves a second factor (a step needs step-up). */
  pilotTotp: boolean;
  /** The pilot has steps after sign-in. */
  pilotSteps: boolean;
  /**
   * What the production login role may do, module by module (each module's entry in
   * MODULE_DATABASE_ACCESS, database-access.ts); empty without a database.
   */
  databaseAccess: ModuleDatabaseAccess[];
  /** The pilot processes a test payment (payments, its Stripe endpoint and the guards of the API). */
  pilotPayment: boolean;
}

const optionsOf = (app: AppContext, name: string): Readonly<Record<string, unknown>> => app.moduleOptions?.[name] ?? {};

/** Pure: the composition of an app with these modules and options. */
export function composition(app: AppContext): Composition {
  const has = (name: string): boolean => app.modules.includes(name);
  const db = has('db') || ['audit', 'auth', 'tenancy', 'webhook', 'payments', 'keys'].some(has);
  const payments = has('payments');
  const webhookOptions = optionsOf(app, 'webhook');
  const stripeEndpoint =
    has('webhook') &&
    (Array.isArray(webhookOptions.providers) ? webhookOptions.providers : ['stripe']).includes('stripe');
  const auth = has('auth');
  const rbac = has('rbac');
  const tenancy = has('tenancy');
  const authOptions = optionsOf(app, 'auth');
  const tenancyOptions = optionsOf(app, 'tenancy');
  const tables = Array.isArray(tenancyOptions.tables) ? (tenancyOptions.tables as unknown[]) : ['projects'];
  const mfa = auth && authOptions.mfa !== false;
  const projects =
    auth &&
    rbac &&
    tenancy &&
    tables.includes('projects') &&
    (tenancyOptions.tenantColumn ?? 'tenant_id') === 'tenant_id';
  return {
    db,
    audit: has('audit'),
    auth,
    rbac,
    tenancy,
    webhook: has('webhook'),
    payments,
    keys: has('keys'),
    kekRotation: has('keys') && auth && rbac,
    mfa,
    authPrefix: typeof authOptions.routePrefix === 'string' ? authOptions.routePrefix : '/auth',
    keyOverlapSeconds: typeof authOptions.keyOverlapSeconds === 'number' ? authOptions.keyOverlapSeconds : 600,
    projects,
    stepUp: projects && mfa,
    auditReport: auth && rbac && has('audit'),
    keyRotation: auth && rbac,
    api: auth,
    pilot: auth && db,
    pilotTotp: mfa && ((projects && mfa) || (auth && rbac)),
    pilotSteps: projects || (auth && rbac) || (auth && rbac && has('audit')),
    databaseAccess: db ? databaseAccess(app) : [],
    pilotPayment: auth && db && rbac && payments && stripeEndpoint,
  };
}
