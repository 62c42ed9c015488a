import { DAY_MS, HOUR_MS } from './lifecycle';
import type { BatchRequestInput, Emulator, ForcedOutcome } from './types';

// A believable history for demos and screenshots: batches in every state a user meets, with
// realistic custom_ids and prompts. Errors are forced through `outcomes` (or come from a genuinely
// invalid request), so no emulator marker shows in a prompt.

const MINUTE_MS = 60 * 1000;

export interface SampleHistory {
  ticketTriage: string;
  productCopy: string;
  releaseNotes: string;
  interviews: string;
  codeReview: string;
  changelogCanceled: string;
  reportDrafts: string;
  archivedFaq: string;
}

function request(customId: string, prompt: string, model = 'claude-sonnet-4-5', maxTokens = 1024, system?: string): BatchRequestInput {
  const params: Record<string, unknown> = { model, max_tokens: maxTokens, messages: [{ role: 'user', content: prompt }] };
  if (system) params.system = system;
  return { custom_id: customId, params };
}

const TICKETS = [
  'I was charged twice for my March invoice and the second charge is still pending.',
  'The export to CSV button does nothing in Firefox 128; Chrome works fine.',
  'Could you add dark mode to the mobile app? My eyes hurt at night.',
  'I cannot log in since I changed my phone; the 2FA codes are rejected.',
  'Our team plan shows 12 seats but we only have 9 members.',
  'The API returns 500 when the project name contains an emoji.',
  'Please support SAML single sign-on with Okta.',
  'My password reset email never arrives, checked spam too.',
  'Invoices should show our VAT number, we are a company in Belgium.',
  'The dashboard takes over 30 seconds to load for projects with many files.',
];

const PRODUCTS = [
  'Stainless steel French press, 1 litre, double-walled',
  'Merino wool hiking socks, pack of three',
  'Bamboo cutting board with juice groove',
  'Noise-cancelling over-ear headphones, 30 h battery',
  'Cast iron skillet, 26 cm, pre-seasoned',
  'Ergonomic office chair with adjustable lumbar support',
  'Insulated water bottle, 750 ml, keeps cold for 24 h',
  'LED desk lamp with wireless charging base',
];

const LANGUAGES = ['de', 'fr', 'es', 'ja'];

const INTERVIEW_TOPICS = ['onboarding', 'pricing', 'reporting', 'integrations', 'mobile app', 'support response times'];

const FILES = ['src/billing/invoice.ts', 'src/auth/session.ts', 'src/api/routes.ts', 'src/ui/table.tsx', 'src/jobs/export.ts'];

function tickets(count: number): BatchRequestInput[] {
  return Array.from({ length: count }, (_, i) =>
    request(
      `ticket-${48213 + i * 7}`,
      `Classify this support ticket as billing, bug, feature request or account access, and give a one-line reason.\n\nTicket: "${TICKETS[i % TICKETS.length]}"`,
      'claude-haiku-4-5',
      256,
    ),
  );
}

function productCopy(): BatchRequestInput[] {
  const out: BatchRequestInput[] = [];
  PRODUCTS.forEach((product, i) => {
    for (const tone of ['concise', 'playful', 'technical']) {
      out.push(request(`sku-${1040 + i}-${tone}`, `Write a ${tone} product description (about 80 words) for: ${product}.`, 'claude-sonnet-4-5', 400));
    }
  });
  // A genuinely invalid request: sampling parameters are rejected by API version 2026-10-21.
  out[4] = {
    custom_id: out[4].custom_id,
    params: { ...(out[4].params as Record<string, unknown>), temperature: 0.7 },
  };
  return out;
}

export function seedSampleHistory(emu: Emulator): SampleHistory {
  const now = emu.clock.now();
  const ids = {} as SampleHistory;

  // Ended, all succeeded: 40 tickets, three days ago, ten minutes of processing.
  ids.ticketTriage = emu.createBatch(tickets(40), { createdAt: now - 3 * DAY_MS - 5 * HOUR_MS, timing: { perRequestMs: 15_000 } }).id;

  // Ended, mixed: succeeded, errored (api_error, overloaded_error, invalid_request_error) and expired.
  const copy = productCopy();
  const forced: Record<string, ForcedOutcome> = {
    [copy[2].custom_id]: 'api_error',
    [copy[9].custom_id]: 'overloaded_error',
    [copy[15].custom_id]: 'overloaded_error',
    [copy[11].custom_id]: 'invalid_request_error',
    [copy[20].custom_id]: 'expired',
    [copy[21].custom_id]: 'expired',
  };
  ids.productCopy = emu.createBatch(copy, { createdAt: now - 2 * DAY_MS, timing: { perRequestMs: 30_000 }, outcomes: forced }).id;

  // Ended, all succeeded, this morning.
  const notes = LANGUAGES.flatMap((lang) =>
    ['2-3-0', '2-3-1', '2-4-0'].map((version) =>
      request(
        `notes-v${version}-${lang}`,
        `Translate these release notes for version ${version.replace(/-/g, '.')} into ${lang}, keeping the Markdown headings:\n\n## Fixed\n- Exports no longer time out on large projects.\n- The invoice PDF shows the billing address again.`,
        'claude-sonnet-4-5',
        2048,
        'You are a careful technical translator. Keep product names in English.',
      ),
    ),
  );
  ids.releaseNotes = emu.createBatch(notes, { createdAt: now - 6 * HOUR_MS, timing: { perRequestMs: 20_000 } }).id;

  // In progress: 18 interview summaries, five minutes each, started 25 minutes ago.
  const interviews = Array.from({ length: 18 }, (_, i) =>
    request(
      `interview-2024-${String(i + 1).padStart(2, '0')}`,
      `Summarize this customer interview in five bullet points, focusing on ${INTERVIEW_TOPICS[i % INTERVIEW_TOPICS.length]}. Quote the customer where it helps.\n\n[Transcript ${i + 1}: 42 minutes, customer success call]`,
      'claude-sonnet-4-5',
      800,
    ),
  );
  ids.interviews = emu.createBatch(interviews, { createdAt: now - 25 * MINUTE_MS, timing: { perRequestMs: 5 * MINUTE_MS } }).id;

  // Canceling: cancel asked a minute ago; the cancel takes 15 minutes to settle.
  const reviews = Array.from({ length: 30 }, (_, i) =>
    request(
      `review-pr-${812 + Math.floor(i / 5)}-${FILES[i % FILES.length].split('/').pop()!.replace(/\./g, '-')}`,
      `Review this diff of ${FILES[i % FILES.length]} for bugs and unclear naming; answer as a list of comments with line numbers.`,
      'claude-opus-4-1',
      1500,
    ),
  );
  ids.codeReview = emu.createBatch(reviews, {
    createdAt: now - 50 * MINUTE_MS,
    timing: { perRequestMs: 4 * MINUTE_MS },
    cancelLatencyMs: 15 * MINUTE_MS,
  }).id;
  emu.cancel(ids.codeReview, now - MINUTE_MS);

  // Canceled and ended: 6 of 25 done when the cancel came, the other 19 canceled.
  const changelog = Array.from({ length: 25 }, (_, i) =>
    request(
      `changelog-entry-${String(i + 1).padStart(3, '0')}`,
      `Rewrite this commit message as a user-facing changelog entry (one sentence):\n\n"fix(export): retry S3 multipart upload on 503 (#${3100 + i})"`,
      'claude-haiku-4-5',
      120,
    ),
  );
  const changelogCreated = now - 5 * HOUR_MS;
  ids.changelogCanceled = emu.createBatch(changelog, {
    createdAt: changelogCreated,
    timing: { perRequestMs: 3 * MINUTE_MS },
    cancelLatencyMs: 2 * MINUTE_MS,
  }).id;
  emu.cancel(ids.changelogCanceled, changelogCreated + 20 * MINUTE_MS);

  // Expired: created 30 hours ago, too slow to finish within 24 h (14 of 16 done).
  const drafts = Array.from({ length: 16 }, (_, i) =>
    request(
      `q3-report-section-${i + 1}`,
      `Draft section ${i + 1} of the Q3 operations report from these notes. Use a neutral tone and at most 600 words.`,
      'claude-opus-4-1',
      4096,
    ),
  );
  ids.reportDrafts = emu.createBatch(drafts, { createdAt: now - 30 * HOUR_MS, timing: { perRequestMs: 100 * MINUTE_MS } }).id;

  // Older than 29 days: still listed, results archived.
  const faq = ['How do I change my plan?', 'Can I get a refund?', 'Where do I find my invoices?', 'How do I invite a teammate?'].map((q, i) =>
    request(`faq-answer-${i + 1}`, `Write a friendly help-center answer (under 120 words) to: "${q}"`, 'claude-haiku-4-5', 300),
  );
  ids.archivedFaq = emu.createBatch(faq, { createdAt: now - 35 * DAY_MS, timing: { perRequestMs: 10_000 } }).id;

  return ids;
}
