import { describe, expect, it } from 'vitest';

import {
  eventTypeProvider,
  isProviderEventType,
  isVerifierName,
  nextRoutePath,
  providerFromPath,
  signatureHeaderProvider,
  webhookRouteKind,
} from '../../src/detectors/webhooks.js';

describe('webhookRouteKind', () => {
  it.each([
    '/webhook',
    '/api/webhooks/stripe',
    '/stripe/webhook',
    '/api/stripe-webhook',
    '/hooks/github',
    '/webhooks/clerk/',
    '/api/webhook/:provider',
  ])('%s is a receiver', (path) => {
    expect(webhookRouteKind(path)).toBe('receiver');
  });

  it.each(['/api/webhooks', '/hooks', '/webhooks/:name'])('%s is ambiguous (could be a subscription API)', (path) => {
    expect(webhookRouteKind(path)).toBe('ambiguous');
  });

  it.each([
    '/api/orders',
    '/webhooks/:id',
    '/webhooks/:webhookId/test',
    '/api/webhooks/[id]',
    '/webhooks/deliveries',
    '/hooksmith',
  ])('%s is not a receiver', (path) => {
    expect(webhookRouteKind(path)).toBeUndefined();
  });
});

describe('providers and headers', () => {
  it('names the provider of a signature header, any case', () => {
    expect(signatureHeaderProvider('Stripe-Signature')).toBe('stripe');
    expect(signatureHeaderProvider('x-hub-signature-256')).toBe('github');
    expect(signatureHeaderProvider('svix-signature')).toBe('svix');
    expect(signatureHeaderProvider('authorization')).toBeUndefined();
  });
  it('finds the provider in a path', () => {
    expect(providerFromPath('/api/webhooks/github')).toBe('github');
    expect(providerFromPath('/api/lemon-squeezy/webhook')).toBe('lemonsqueezy');
    expect(providerFromPath('/webhook')).toBeUndefined();
  });
  it('names the provider of an event type', () => {
    expect(eventTypeProvider('invoice.paid')).toBe('stripe');
    expect(eventTypeProvider('user.created')).toBe('clerk');
    expect(eventTypeProvider('pull_request')).toBe('github');
    expect(eventTypeProvider('order.shipped')).toBeUndefined();
  });
  it('knows provider event types but not generic words', () => {
    expect(isProviderEventType('checkout.session.completed')).toBe(true);
    expect(isProviderEventType('customer.subscription.deleted')).toBe(true);
    expect(isProviderEventType('user.created')).toBe(true);
    expect(isProviderEventType('click')).toBe(false);
    expect(isProviderEventType('created')).toBe(false);
  });
});

describe('isVerifierName', () => {
  it.each([
    'constructEvent',
    'constructEventAsync',
    'verify',
    'verifyWebhook',
    'verifyStripeSignature',
    'timingSafeEqual',
    'validateRequest',
    'unwrap',
    'isValidSignature',
  ])('%s verifies', (name) => {
    expect(isVerifierName(name)).toBe(true);
  });
  it.each(['handle', 'parse', 'verifyEmail', 'json', 'process'])('%s does not', (name) => {
    expect(isVerifierName(name)).toBe(false);
  });
});

describe('nextRoutePath', () => {
  it('reads App Router and Pages Router API routes', () => {
    expect(nextRoutePath('/repo/src/app/api/webhooks/stripe/route.ts')).toEqual({
      router: 'app',
      path: '/api/webhooks/stripe/',
    });
    expect(nextRoutePath('app/(billing)/api/webhook/route.js')).toEqual({
      router: 'app',
      path: '/(billing)/api/webhook/',
    });
    expect(nextRoutePath('pages/api/stripe/webhook.ts')).toEqual({ router: 'pages', path: '/api/stripe/webhook' });
    expect(nextRoutePath('src/lib/webhook.ts')).toBeUndefined();
  });
  it('route groups do not count as path segments', () => {
    expect(webhookRouteKind('/(billing)/api/webhook/')).toBe('receiver');
  });
});
