import { createClient } from '@supabase/supabase-js';

export const supabase = createClient(import.meta.env.VITE_SUPABASE_URL, import.meta.env.VITE_SUPABASE_ANON_KEY);

export const adminClient = createClient(import.meta.env.VITE_SUPABASE_URL, import.meta.env.VITE_SUPABASE_SERVICE_ROLE_KEY); // expect: client-exposure

export function PaymentButton(): JSX.Element {
  const key = import.meta.env.VITE_STRIPE_PUBLISHABLE_KEY;
  return <button data-key={key}>Pay</button>;
}

export const openaiKey = import.meta.env.VITE_OPENAI_API_KEY; // expect: client-exposure

export const mode = import.meta.env.MODE;
