// The input-token heuristic used for cost estimates before a batch is sent.
//
// Claude's tokenizer is not public and counting tokens through the API costs a request per line,
// so the validator tallies what it walks anyway and this module turns the tally into tokens:
//
//   - text: every character of the system prompt, message text (text blocks, tool_use input,
//     tool_result content, thinking, plain-text documents) and tool definitions (name,
//     description, input_schema keys and strings) counts 1/3.5 token. English prose averages
//     about 4 characters per token and code or JSON about 3; 3.5 errs on the expensive side.
//   - images: a fixed 1,600 tokens each, the cost of the largest image the API keeps without
//     downscaling (about 1.15 megapixels, width × height / 750). Small images cost less.
//   - base64 PDF documents: decoded size / 16 bytes per token (a page is about 1,500–3,000 text
//     tokens plus an image of the page; a typical page is 30–60 KB).
//   - PDFs given by URL or file id: a fixed 3,000 tokens each, as we cannot see their size.
//   - tools: the system prompt that enables tool use adds about 350 tokens to a request.
//   - each message adds 4 tokens of framing.
//
// It is an estimate, and shown as one: real counts come back in each result's `usage`.

const CHARS_PER_TOKEN = 3.5;
const IMAGE_TOKENS = 1_600;
const PDF_BYTES_PER_TOKEN = 16;
const UNSIZED_DOCUMENT_TOKENS = 3_000;
const TOOL_USE_SYSTEM_PROMPT_TOKENS = 350;
const MESSAGE_OVERHEAD_TOKENS = 4;

/** What a request's input is made of, as far as the estimate cares. */
export interface InputTally {
  textChars: number;
  images: number;
  pdfBytes: number;
  unsizedDocuments: number;
  messages: number;
  hasTools: boolean;
}

export function emptyTally(): InputTally {
  return { textChars: 0, images: 0, pdfBytes: 0, unsizedDocuments: 0, messages: 0, hasTools: false };
}

export function estimateInputTokens(tally: InputTally): number {
  return Math.ceil(
    tally.textChars / CHARS_PER_TOKEN +
      tally.images * IMAGE_TOKENS +
      tally.pdfBytes / PDF_BYTES_PER_TOKEN +
      tally.unsizedDocuments * UNSIZED_DOCUMENT_TOKENS +
      tally.messages * MESSAGE_OVERHEAD_TOKENS +
      (tally.hasTools ? TOOL_USE_SYSTEM_PROMPT_TOKENS : 0),
  );
}

/** Decoded size of base64 text, without decoding it. */
export function base64DecodedBytes(data: string): number {
  let padding = 0;
  if (data.endsWith('==')) padding = 2;
  else if (data.endsWith('=')) padding = 1;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}
