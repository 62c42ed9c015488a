import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { MessageBatch } from '../../../src/api';
import { batchTooltip } from '../../../src/domain/batchPresentation';
import { markdownText } from '../../../src/domain/markdown';
import type { SubmissionRecord } from '../../../src/domain/submissionRegistry';

const HOSTILE = 'a`b``c $(zap) $(sync~spin) [link](http://x) <b>bold</b> <http://y> www.z.com a@b.co *em* _u_ | pipe &amp; \\ # 1. ~~s~~ ![i](http://i)';

/**
 * CommonMark reads a backslash before ASCII punctuation as that character, literally, and no
 * Markdown construct (code span, link, autolink, HTML, emphasis, entity, table cell, heading…)
 * can start without an unescaped punctuation character or a line break. So text is plain when
 * every punctuation character in it is escaped and it has no line break; decoding it gives what
 * a reader sees.
 */
function decodePlain(markdown: string): string {
  let out = '';
  for (let i = 0; i < markdown.length; i++) {
    const c = markdown[i];
    assert.ok(!/[\r\n]/.test(c), `line break in ${JSON.stringify(markdown)}`);
    if (c === '\\') {
      const next = markdown[i + 1];
      assert.ok(next !== undefined && /[!-/:-@[-`{-~]/.test(next), `dangling backslash at ${i} in ${JSON.stringify(markdown)}`);
      out += next;
      i++;
    } else {
      assert.ok(!/[!-/:-@[-`{-~]/.test(c), `unescaped ${JSON.stringify(c)} at ${i} in ${JSON.stringify(markdown)}`);
      out += c;
    }
  }
  return out;
}

/**
 * What VS Code shows when theme icons are on, given the text Markdown rendered: `\$(x)` is a
 * literal `$(x)`, `$(x)` an icon.
 */
function showIcons(text: string): { shown: string; icons: number } {
  let icons = 0;
  const shown = text.replace(/(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g, (_m, escaped: string | undefined, name: string) => {
    if (escaped) return `$(${name})`;
    icons++;
    return `<icon ${name}>`;
  });
  return { shown, icons };
}

/** The source as VS Code's renderer reads it with theme icons on: it first doubles the backslash of `\$(x)`. */
function withIcons(text: string): string {
  return markdownText(text, { themeIcons: true }).replace(/\\\$\([A-Za-z0-9-]+(?:~[A-Za-z]+)?\)/g, (m) => `\\${m}`);
}

describe('markdown: untrusted text', () => {
  it('is plain text: every Markdown character escaped, what a reader sees is the text itself', () => {
    assert.equal(decodePlain(markdownText(HOSTILE)), HOSTILE);
  });

  it('renders $(icon) literally when theme icons are on', () => {
    const { shown, icons } = showIcons(decodePlain(withIcons(HOSTILE)));
    assert.equal(icons, 0);
    assert.equal(shown, HOSTILE);
    // A backslash of the text's own before $( stays visible, and still no icon.
    const own = showIcons(decodePlain(withIcons('\\$(zap)')));
    assert.deepEqual(own, { shown: '\\$(zap)', icons: 0 });
  });

  it('keeps line breaks from breaking out of the line or table cell', () => {
    assert.equal(decodePlain(markdownText('a\nb\r\nc\rd')), 'a b c d');
  });

  // Random text, and text made of the pieces that could form icons, escapes and spans.
  const fragments = fc.array(fc.constantFrom('$(', '$', '(', ')', 'zap', '~spin', '~', '-', '\\', '`', '``', '[', '](', 'http://x', '<', '>', '|', '\n', ' ', 'a'), { maxLength: 30 }).map((parts) => parts.join(''));

  it('any string, property-tested', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fragments), (s) => {
        const flat = s.replace(/\r\n|[\r\n]/g, ' ');
        assert.equal(decodePlain(markdownText(s)), flat);
        const { shown, icons } = showIcons(decodePlain(withIcons(s)));
        assert.equal(icons, 0);
        assert.equal(shown, flat);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('markdown: the batch tooltip', () => {
  const batch: MessageBatch = {
    id: 'msgbatch_`x`_[l](http://x)',
    type: 'message_batch',
    processing_status: 'ended',
    created_at: '2026-11-01T10:00:00.000Z',
    expires_at: '2026-11-02T10:00:00.000Z',
    ended_at: '2026-11-01T11:00:00.000Z',
    cancel_initiated_at: null,
    archived_at: null,
    results_url: 'https://api.anthropic.com/v1/messages/batches/x/results',
    request_counts: { processing: 0, succeeded: 1, errored: 0, canceled: 0, expired: 0 },
  };
  const name = 'we`ird`` $(zap) [link](http://x) <b>b</b>|x.jsonl';
  const record: SubmissionRecord = {
    batchId: batch.id,
    sourcePath: `/home/u/${name}`,
    label: name,
    contentHash: 'h',
    requestCount: 1,
    byteSize: 1,
    submittedAt: '2026-11-01T10:00:00.000Z',
    models: [],
    machine: 'host`$(zap)',
    workspace: '[ws](http://w)',
    parentBatchId: 'msgbatch_<b>`',
  };

  it('shows file names, ids, machine and workspace as plain text, in a table that keeps its shape', () => {
    const markdown = batchTooltip(batch, record, Date.parse('2026-11-01T12:00:00Z'));
    const lines = markdown.split('\n');
    const title = lines[0];
    assert.ok(title.startsWith('**') && title.endsWith('**'));
    assert.equal(decodePlain(title.slice(2, -2)), name);
    const cells = new Map<string, string>();
    for (const line of lines.slice(4)) {
      // A row is | key | value |: exactly three unescaped pipes.
      const pipes = [...line.matchAll(/(?<!\\)\|/g)].map((m) => m.index);
      assert.equal(pipes.length, 3, `row ${JSON.stringify(line)}`);
      cells.set(line.slice(pipes[0] + 1, pipes[1]).trim(), line.slice(pipes[1] + 1, pipes[2]).trim());
    }
    assert.equal(decodePlain(cells.get('Source')!), `/home/u/${name}`);
    assert.equal(decodePlain(cells.get('ID')!), batch.id);
    assert.equal(decodePlain(cells.get('Retries')!), 'msgbatch_<b>`');
    assert.match(decodePlain(cells.get('Submitted')!), /from host`\$\(zap\) \(\[ws\]\(http:\/\/w\)\)$/);
  });
});
