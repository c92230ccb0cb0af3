import nodemailer from 'nodemailer';
import twilio from 'twilio';

export const transport = nodemailer.createTransport({
  host: 'smtp.sendgrid.net',
  port: 587,
  auth: { user: 'apikey', pass: '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' }, // expect: secrets
});

export const sms = twilio(process.env.TWILIO_ACCOUNT_SID, process.env.TWILIO_AUTH_TOKEN);

export const openaiKey = process.env.OPENAI_API_KEY ?? 'sk-proj-Zq8Wm3Lr7Tx2Kv9Nb4Hc6Fd1Gs5Ja0Pe8Ry3Uo7Iw2Qt6Ez9Xc4Vb1Nm5Lk8Jh3Gf'; // expect: secrets

export const errors = {
  invalidPassword: 'The password you entered is incorrect.',
  tokenExpired: 'Your session token has expired, please sign in again.',
};

export const STORAGE_KEYS = { accessToken: 'app.access_token', refreshToken: 'app.refresh_token' };

export const testCard = '4242424242424242';
export const exampleJwt = 'eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo';
