const { S3Client } = require('@aws-sdk/client-s3');

const s3 = new S3Client({
  region: 'eu-west-1',
  credentials: {
    accessKeyId: 'AKIAQ3EGT7PLWZ5XKJ4M', // expect: secrets
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
  },
});

const slackWebhook = 'https://hooks.slack.com/services/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'; // expect: secrets

const integrity = 'sha512-Xv4WqB7yZ0tJcK3sN9pR2mL6dF8gH1aE5uI7oP0qW3eR6tY9uI2oP5aS8dF1gH4jK7lZ0xC3vB6nM9qW2eR5tY==';
const uuid = '7b0c2a1e-4f6d-4c8e-9a3b-2d1e0f9c8b7a';

module.exports = { s3, slackWebhook, integrity, uuid };
