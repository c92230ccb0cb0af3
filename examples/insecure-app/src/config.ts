export const config = {
  jwtSecret: process.env.JWT_SECRET || 'super-secret-dev-key-123',
  databaseUrl: 'postgres://app:S3cr3tPassw0rd@db.internal.example.net:5432/app',
  // Publishable keys are fine in code:
  stripePublishableKey: 'pk_live_51Hx7TnKp3QvRz8YbWc2mN4aL9dE6fG0h',
};
