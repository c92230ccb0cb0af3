import Stripe from 'stripe';
import { Resend } from 'resend';

export const stripe = new Stripe('sk_live_51HqLyjWDarjtT1zdp7dcXkZYgjWbDwTqO8rG5kTf3aP0n2xWq', { apiVersion: '2024-06-20' }); // expect: secrets
export const resend = new Resend(process.env.RESEND_API_KEY);

const GITHUB_TOKEN = 'ghp_R8x2kLmN4pQ7sT1vW9yZ3bC6dF0gH5jK8mNq'; // expect: secrets

export const placeholders = {
  apiKey: 'your-api-key-here',
  password: 'changeme',
  example: 'sk_test_xxxxxxxxxxxxxxxxxxxxxxxx',
};

export const db = {
  url: process.env.DATABASE_URL ?? 'postgres://localhost:5432/app',
  password: process.env.DB_PASSWORD,
};

export async function fetchRepos(): Promise<unknown> {
  const res = await fetch('https://api.github.com/user/repos', { headers: { authorization: `Bearer ${GITHUB_TOKEN}` } });
  return res.json();
}

export const PASSWORD_FIELD = 'password';
export const TOKEN_HEADER = 'x-api-token';
export const commitSha = '4f9c2d8e1b7a6c5d3e2f1a0b9c8d7e6f5a4b3c2d';
