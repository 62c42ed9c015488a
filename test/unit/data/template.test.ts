import { strict as assert } from 'node:assert';
import { checkTemplate, compileTemplate, CustomIdMaker, parseTemplate, requestLine, scanPlaceholders, TemplateError, templateForColumns, validCustomId, type DataRecord } from '../../../src/domain/data';

function record(fields: Record<string, unknown>, number = 1): DataRecord {
  return { kind: 'record', number, line: number + 1, where: `line ${number + 1}`, get: (name) => fields[name], columns: () => Object.keys(fields) };
}

const text = (o: unknown) => JSON.stringify(o, null, 2);

describe('data: templates', () => {
  it('finds placeholders with their name spans, json: ones marked', () => {
    const found = scanPlaceholders('a {{ name }} b {{json:tags}}');
    assert.deepEqual(found.map((p) => [p.name, p.json]), [
      ['name', false],
      ['tags', true],
    ]);
    assert.equal('a {{ name }} b {{json:tags}}'.slice(found[0].nameStart, found[0].nameEnd), 'name');
  });

  it('refuses what a template cannot be, saying what to do', () => {
    assert.throws(() => parseTemplate('{"params": '), TemplateError);
    assert.throws(() => parseTemplate('[]'), /an object .* not an array/);
    assert.throws(() => parseTemplate(text({ params: {}, extra: 1 })), /Unknown key "extra"/);
    assert.throws(() => parseTemplate(text({ params: { '{{k}}': 'v' } })), /placeholders are filled in string values only/);
    assert.throws(() => parseTemplate(text({ params: { a: 'x {{json:k}}' } })), /must be the whole string/);
    assert.throws(() => parseTemplate(text({ params: { a: '{{ }}' } })), /empty placeholder/);
    assert.throws(() => parseTemplate(text({ params: {}, options: { rows: true } })), /Unknown option "rows"/);
  });

  it('a template spans lines: its JSON errors speak of the file, never of one request per line', () => {
    const message = (t: string) => {
      try {
        parseTemplate(t);
      } catch (err) {
        return (err as Error).message;
      }
      return 'parsed';
    };
    assert.equal(message('{\n  "params": {\n    "model": "m"\n'), 'The template is not JSON: the file ends inside an object: close it.');
    assert.equal(message(`${text({ params: {} })}\n{}`), "The template is not JSON: unexpected '{' after the end of the JSON value (a file holds one JSON value: remove what follows it).");
    assert.equal(message(`${text({ params: {} })},`), "The template is not JSON: unexpected ',' after the end of the JSON value (a file holds one JSON value: remove what follows it).");
    for (const t of ['{"params": ', '{"params": {}} x']) assert.doesNotMatch(message(t), /line|per line/);
  });

  it('renders text placeholders escaped and json: placeholders as one value', () => {
    const template = parseTemplate(text({ custom_id: 'q-{{id}}', params: { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'Say "{{text}}"' }], metadata: '{{json:meta}}' } }));
    assert.deepEqual(template.fields, ['id', 'text', 'meta']);
    const r = compileTemplate(template);
    const data = record({ id: 'a b', text: 'x"}],"evil":{"', meta: '{"user_id": "u1"}' });
    const params = JSON.parse(r.params(data)) as Record<string, unknown>;
    assert.deepEqual(params, { model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'Say "x"}],"evil":{""' }], metadata: { user_id: 'u1' } });
    assert.equal(r.rawCustomId(data), 'q-a b');
    assert.throws(() => r.params(record({ id: '1', text: 't', meta: 'not json' })), /its value is not JSON/);
    assert.throws(() => r.params(record({ id: '1', meta: '1' })), /the record has no "text"/);
  });

  it('takes custom_ids from the column option, else from custom_id, else the record number', () => {
    const params = { model: 'm', max_tokens: 1, messages: [] };
    assert.equal(compileTemplate(parseTemplate(text({ params, options: { customIdColumn: 'key' } }))).rawCustomId(record({ key: 'k7' })), 'k7');
    assert.throws(() => compileTemplate(parseTemplate(text({ params, options: { customIdColumn: 'key' } }))).rawCustomId(record({ key: ' ' })), /custom_id column "key" is empty/);
    assert.equal(compileTemplate(parseTemplate(text({ params }))).rawCustomId(record({}, 12)), 'row-12');
  });

  it('makes custom_ids valid and unique, the same way every time', () => {
    const make = () => {
      const maker = new CustomIdMaker();
      return ['a b', 'a_b', 'a b', 'é', '', 'x'.repeat(80), 'x'.repeat(80)].map((raw, i) => maker.make(raw, i + 1));
    };
    const ids = make();
    assert.deepEqual(ids.slice(0, 5), ['a_b', 'a_b-2', 'a_b-3', 'row-4', 'row-5']);
    assert.equal(ids[5], 'x'.repeat(64));
    assert.equal(ids[6], `${'x'.repeat(62)}-2`);
    assert.deepEqual(make(), ids);
    assert.equal(validCustomId('  ok-1_2  ', 1), 'ok-1_2');
  });

  it('writes a new template with every column as a placeholder, which checks clean', () => {
    const written = templateForColumns(['id', 'title', 'body'], 'people.csv');
    const template = parseTemplate(written);
    assert.deepEqual(template.options, { data: 'people.csv', customIdColumn: 'id' });
    assert.deepEqual(template.fields, ['id', 'title', 'body']);
    assert.deepEqual(checkTemplate(written, { name: 'people.csv', columns: ['id', 'title', 'body'], complete: true }).problems, []);
    assert.equal(parseTemplate(templateForColumns(['a'], 'x.csv')).options.customIdColumn, undefined);
  });
});

describe('data: template diagnostics', () => {
  const base = { params: { model: 'claude-sonnet-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'Hi {{name}}, {{missing}}' }] } };

  it('marks each placeholder the data lacks at its name, listing the columns it has', () => {
    const t = text(base);
    const check = checkTemplate(t, { name: 'people.csv', columns: ['name', 'age'], complete: true });
    assert.equal(check.problems.length, 1);
    const [p] = check.problems;
    assert.equal(p.severity, 'error');
    assert.equal(t.slice(p.start, p.end), 'missing');
    assert.match(p.message, /people\.csv has no column "missing" \(it has: name, age\)/);
  });

  it('is only a warning when the columns are a sample (JSON keys)', () => {
    const check = checkTemplate(text(base), { name: 'x.jsonl', columns: ['name'], complete: false });
    assert.deepEqual(check.problems.map((p) => p.severity), ['warning']);
  });

  it('marks a custom_id column the data lacks', () => {
    const t = text({ ...base, options: { customIdColumn: 'key' } });
    const check = checkTemplate(t, { name: 'd.csv', columns: ['name', 'missing'], complete: true });
    assert.equal(check.problems.length, 1);
    assert.equal(t.slice(check.problems[0].start, check.problems[0].end), '"key"');
  });

  it('says when the request rendered for the first record would be rejected, by the batch validator', () => {
    const t = text({ params: { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: '{{name}}' }] } });
    const check = checkTemplate(t, { name: 'd.csv', columns: ['name'], complete: true, sample: record({ name: 'Ann' }) });
    const errors = check.problems.filter((p) => p.severity === 'error');
    assert.equal(errors.length, 1);
    assert.match(errors[0].message, /The request rendered from d\.csv line 2 would be rejected: .*max_tokens/);
    assert.equal(t.slice(errors[0].start, errors[0].end), '"params"');
  });

  it('checks the rendered request even without data, with sample values', () => {
    const ok = checkTemplate(text(base));
    assert.deepEqual(ok.problems, []);
    assert.equal(JSON.parse(ok.sampleRequest!).params.messages[0].content, 'Hi <name>, <missing>');
    const bad = checkTemplate(text({ params: { model: 'claude-sonnet-4-5', max_tokens: 10, messages: 'nope' } }));
    assert.ok(bad.problems.some((p) => p.severity === 'error' && /would be rejected/.test(p.message)));
  });

  it('puts a syntax error at its offset', () => {
    const check = checkTemplate('{"params": {"a": }}');
    assert.equal(check.problems.length, 1);
    assert.equal(check.problems[0].start, 17);
  });

  it('renders a request line the validator takes', () => {
    assert.equal(requestLine('a', '{}'), '{"custom_id":"a","params":{}}');
  });
});
