'use client';

import { useEffect, useState } from 'react';

const stripeSecret = process.env.STRIPE_SECRET_KEY; // expect: client-exposure
const publishable = process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY;
const apiBase = process.env.NEXT_PUBLIC_API_URL;

export default function Dashboard(): JSX.Element {
  const [plans, setPlans] = useState<string[]>([]);
  useEffect(() => {
    void fetch(`${apiBase}/plans`, { headers: { authorization: `Bearer ${process.env.OPENAI_API_KEY}` } }) // expect: client-exposure
      .then((r) => r.json())
      .then(setPlans);
  }, []);
  return (
    <div data-key={publishable} data-secret={Boolean(stripeSecret)}>
      {plans.join(', ')}
    </div>
  );
}
