import { isTestFile } from '../../detectors/test-files.js';
import { requestNames } from './no-unchecked-role-assignment.js';
import type { AnalyzerCheck } from './shared.js';
import { checkMeta, lineSpan, sourceReader, routeName } from './shared.js';

const meta = checkMeta({
  id: 'no-client-chosen-amount',
  description:
    'Charge amounts, trial lengths and credit grants come from the server (a price loaded by id, a verified payment), not from the request or a Server Action’s arguments.',
  category: 'payments',
  severity: 'high',
  securitySeverity: 7.5,
  cwe: ['CWE-602', 'CWE-840'],
  recommended: true,
});

/** A Stripe call that creates something the customer pays for. */
const STRIPE_CREATE =
  /\b\w*stripe\w*\s*\.\s*(?:checkout\s*\.\s*sessions|paymentIntents|subscriptions|prices|invoiceItems|charges|paymentLinks)\s*\.\s*create\s*\(/i;
/** Properties that set what is charged or for how long nothing is. */
const MONEY_PROPERTY =
  /\b(unit_amount|unit_amount_decimal|amount|trial_end|trial_period_days|application_fee_amount)\s*:\s*([^,\n}]+)/g;
/** Granting balance, credits or tokens to an account. */
const GRANT_CALL =
  /\b(?:add|grant|increment|topUp|credit|purchase)\w*(?:Credits?|Balance|Tokens|Points|Coins|Funds)\s*\(([^)]*)\)/g;
const AMOUNT_NAME = /^(?:amount|credits?|quantity|qty|count|points|tokens|coins|value)$/i;
/** Evidence that the grant follows a payment the server verified. */
const PAYMENT_EVIDENCE = /stripe|paymentIntent|checkout|webhook|verif|signature|receipt|invoice/i;
/** A grant by an admin (`requireAdmin`, `adminGrantCredits`) is a support tool, not a purchase. */
const ADMIN = /admin|staff|superuser/i;

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

function fromRequest(written: string, names: ReadonlySet<string>): string | undefined {
  // `TRIAL_DAYS[priceId]`: a server-side table looked up by the client's id decides the value.
  const expression = written.replace(/\[[^\]]*\]/g, '[]');
  if (/\b(?:req|request)\s*\.\s*body\b/.test(expression)) return written.trim();
  for (const name of names) if (new RegExp(String.raw`(?<![.\w])${name}\b`).test(expression)) return written.trim();
  return undefined;
}

/** Handlers that charge, or grant credits, by an amount the client chose. */
export const noClientChosenAmount: AnalyzerCheck = {
  meta,
  run(model, sink) {
    const read = sourceReader(model.root);
    const seen = new Set<string>();
    for (const route of model.routes) {
      if (route.handlerFn === undefined || isTestFile(route.file) || route.webhook) continue;
      const { file, fn } = route.handlerFn;
      const key = `${file}#${fn.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const text = read(file);
      if (text === undefined) continue;
      const body = text.slice(fn.start, fn.end);
      const names = requestNames(body, fn.params);
      const what = routeName(route);
      if (STRIPE_CREATE.test(body)) {
        for (const match of body.matchAll(MONEY_PROPERTY)) {
          const value = fromRequest(match[2] ?? '', names);
          if (value === undefined) continue;
          const line = lineOf(text, fn.start + match.index);
          sink.add(meta, {
            file,
            span: lineSpan(line, text.split('\n')[line - 1] ?? ''),
            message: `${what} sets the Stripe \`${match[1] ?? ''}\` from what the client sent (\`${value}\`), so a caller pays less, or gets a longer free trial, by sending another value. Load the price (amount, trial) on the server by its id and send Stripe only that id.`,
          });
          break;
        }
        continue;
      }
      if (PAYMENT_EVIDENCE.test(body) || ADMIN.test(fn.id) || (route.guard !== undefined && ADMIN.test(route.guard.by)))
        continue;
      for (const match of body.matchAll(GRANT_CALL)) {
        const args = (match[1] ?? '').split(',').map((arg) => arg.trim());
        const amount = args.find((arg) => AMOUNT_NAME.test(arg) && names.has(arg));
        if (amount === undefined) continue;
        const line = lineOf(text, fn.start + match.index);
        sink.add(meta, {
          file,
          span: lineSpan(line, text.split('\n')[line - 1] ?? ''),
          message: `${what} grants an amount the client chose (\`${amount}\`) with no payment verified in the handler, so a caller gives itself any balance or credits for free. Grant credits only from a verified payment (a Stripe webhook or a retrieved, paid Checkout Session) for the amount that was paid.`,
        });
        break;
      }
    }
  },
};
