import rule from '../../../eslint-plugin/rules/no-raw-card-data.js';
import { runRuleTests } from '../rule-tester.js';

runRuleTests('no-raw-card-data', rule, {
  valid: [
    // Tokens and PaymentMethod ids are what the server should receive.
    "app.post('/pay', (req, res) => { const { paymentMethodId } = req.body; });",
    'export async function POST(request: Request) { const { paymentMethod } = await request.json(); }',
    // Card-like names that do not come from a request.
    'const last4 = paymentMethod.card.last4;',
    'const brand = charge.payment_method_details.card.brand;',
    'const card = { number: "4242" }; const n = card.number;',
    'function mask(cardNumber: string) { return cardNumber.slice(-4); }',
    // Other request fields.
    "app.post('/x', (req, res) => { const email = req.body.email; const n = req.body.number; });",
    "export async function POST(request: Request) { const form = await request.formData(); const name = form.get('name'); }",
    // Records that keep only what PCI DSS allows: token, last four digits, brand, ciphertext.
    'await db.insert({ card_token: pm.id, card_last4: pm.card.last4, brand: pm.card.brand });',
    'await prisma.card.create({ data: { cardNumber: paymentMethod.card.last4, userId } });',
    'await db.insert({ cardNumber: maskPan(pan) });',
    'await db.insert({ card_number: encryptPan(pan, key) });',
    // Test fixtures with literal test cards, and card fields that are not written anywhere.
    "await db.insert({ card_number: '4242424242424242' });",
    'const summary = { cardNumber: input.pan };',
    'return formatCard({ cardNumber: input.pan });',
    "map.set('x', { cvc: input.cvc });",
    // Destructured card-like names that do not come from a request, or are bound without a property path.
    'const { cardNumber, cvc } = config.testCard;',
    "app.post('/pay', (req, res) => { const { [field]: cvc } = req.body; });",
    "app.post('/pay', (req, res) => { const { ...cvc } = req.body; });",
    "app.post('/pay', (req, res) => { const [cvc] = req.body.values; });",
    "app.post('/pay', (req, res) => { for (const { cvc } of req.body.items) check(cvc); });",
  ],
  invalid: [
    {
      code: 'export async function saveCard(db, input) {\n  await db.insert({ card_number: input.pan, exp_month: input.expMonth });\n}',
      errors: [{ messageId: 'storedCardData', line: 2, column: 21, data: { field: 'card_number' } }],
    },
    {
      code: 'await prisma.paymentCard.create({ data: { cvc: body.cvc, userId } });',
      errors: [{ messageId: 'storedCardData', line: 1, column: 43, data: { field: 'cvc' } }],
    },
    {
      code: 'await db.insert(cards).values([{ cardNumber: card.pan, cardExpiry: card.expiry }]);',
      errors: [
        { messageId: 'storedCardData', line: 1, column: 34, data: { field: 'cardNumber' } },
        { messageId: 'storedCardData', line: 1, column: 56, data: { field: 'cardExpiry' } },
      ],
    },
    {
      code: "app.post('/pay', (req, res) => {\n  const number = req.body.cardNumber;\n});",
      errors: [{ messageId: 'rawCardData', line: 2, column: 18, data: { field: 'cardNumber' } }],
    },
    {
      code: "app.post('/pay', (req, res) => {\n  const { cardNumber, cvc } = req.body;\n});",
      errors: [
        { messageId: 'rawCardData', line: 2, column: 11 },
        { messageId: 'rawCardData', line: 2, column: 23, data: { field: 'cvc' } },
      ],
    },
    {
      // Nested, renamed and defaulted bindings: each is reported where it is bound.
      code: "app.post('/pay', (req, res) => {\n  const { card: { number, cvc: code = '' }, cardNumber: n } = req.body;\n});",
      errors: [
        { messageId: 'rawCardData', line: 2, column: 19, data: { field: 'number' } },
        { messageId: 'rawCardData', line: 2, column: 32, data: { field: 'cvc' } },
        { messageId: 'rawCardData', line: 2, column: 57, data: { field: 'cardNumber' } },
      ],
    },
    {
      code: 'export async function POST(request: Request) {\n  const body = await request.json();\n  return charge(body.card.number, body.card.exp_month);\n}',
      errors: [
        { messageId: 'rawCardData', line: 3, column: 17, data: { field: 'number' } },
        { messageId: 'rawCardData', line: 3, column: 35, data: { field: 'exp_month' } },
      ],
    },
    {
      code: "export async function POST(request: Request) {\n  const form = await request.formData();\n  const cvv = form.get('cvv');\n}",
      errors: [{ messageId: 'rawCardData', line: 3, column: 15, data: { field: 'cvv' } }],
    },
  ],
});
