// Finds the text a person reads in TypeScript source: string and template literals that read as
// words, outside the places where text is not shown (imports, types, command and setting ids,
// log lines). Shared by the test that fails on such text when it is not translated.
import * as ts from 'typescript';

/** A literal found in a file, with where it is. */
export interface FoundText {
  line: number;
  text: string;
  node: ts.Node;
}

/** Words: two letters, then a space and more, or one capitalised word ("Cancel", "Open…"). */
export function readsAsWords(text: string): boolean {
  const t = text.trim();
  if (!/\p{L}/u.test(t)) return false;
  // Paths, globs, ids, URLs and code are not words.
  if (/^[\w.-]*[/\\*:@#]/.test(t) && !/\s/.test(t)) return false;
  // Two words or more, one of three letters at least ("a directory", "Submit as Batch").
  if (/\p{L}[^\n]*\s+[\p{L}\p{N}{(“"'$]/u.test(t) && /\p{L}{3,}/u.test(t)) return true;
  // A template's words around its holes: `{0} results`.
  if (/\{\d+\}/.test(t) && t.replace(/\{\d+\}/g, ' ').split(/\s+/).some((w) => /^\p{L}{3,}[.,:;!?…]?$/u.test(w))) return true;
  // A word in parentheses, shown in place of a missing value: "(untitled)", "(none)".
  if (/^\(\p{L}{3,}\)$/u.test(t)) return true;
  // A plural made by a hole after a word: `line{1}` with "s" (each language words its own plural).
  if (/\p{L}{3,}\{\d+\}/u.test(t)) return true;
  return /^\p{Lu}\p{Ll}+(?:…|\.\.\.)?[.!?:]?$/u.test(t);
}

/** The text of a literal as a person reads it (a template's holes as {0}, {1}…). */
export function literalText(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression): string {
  if (!ts.isTemplateExpression(node)) return node.text;
  return node.head.text + node.templateSpans.map((span, i) => `{${i}}${span.literal.text}`).join('');
}

const NOT_SHOWN_CALLS = [
  // Ids and keys, not words.
  /(^|\.)(executeCommand|registerCommand|registerTextEditorCommand|getConfiguration|setContext|createOutputChannel|getExtension|require)$/,
  // The log is for diagnosis, in English, like VS Code's own logs.
  /(^|\.)(log|logger|channel|output|console)\w*\??\.(trace|debug|info|warn|error|append|appendLine|replace)$/i,
  /(^|\.)log$/,
  // Names of performance marks, read by the bench.
  /^(mark|performance\.mark|performance\.measure)$/,
  // Why a results index was not used (resultsIndex.ts): said in the log, and the index is made again.
  /^IndexProblem$/,
];

function calleeText(call: ts.CallExpression | ts.NewExpression): string {
  return call.expression.getText().replace(/\s+/g, '');
}

/** Whether a node sits where text is never shown, or is already translated. */
export function notShownHere(node: ts.Node): boolean {
  for (let n: ts.Node = node; n.parent; n = n.parent) {
    const p = n.parent;
    if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isImportTypeNode(p) || ts.isExternalModuleReference(p)) return true;
    if (ts.isLiteralTypeNode(p) || ts.isTypeNode(p)) return true;
    if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p)) && p.name === n) return true;
    if (ts.isElementAccessExpression(p) && p.argumentExpression === n) return true;
    if (ts.isCaseClause(p) && p.expression === n) return true;
    if (ts.isEnumMember(p)) return true;
    if (ts.isTaggedTemplateExpression(p)) return true;
    // A translated message; the values filling its holes are looked at on their own.
    if (ts.isCallExpression(p) && /(^|\.)l10n\.t$/.test(calleeText(p))) return n === p.arguments[0];
    if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && n !== p.expression) {
      const callee = calleeText(p);
      if (NOT_SHOWN_CALLS.some((re) => re.test(callee))) return true;
      if (ts.isNewExpression(p) && /^RegExp$/.test(callee)) return true;
    }
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.InKeyword) return true;
  }
  return false;
}

const MARK = /\/\/ not translated: \S/;

/**
 * A `// not translated: why` comment marks text that is not for people: on the literal's line,
 * the line above, or before the statement that holds it (a table of such text).
 */
function markedNotShown(source: ts.SourceFile, node: ts.Node, line: number): boolean {
  const lines = source.text.split('\n');
  if ([lines[line - 1], lines[line - 2]].some((l) => l !== undefined && MARK.test(l))) return true;
  let statement: ts.Node | undefined = node;
  while (statement && !ts.isVariableStatement(statement) && !ts.isExpressionStatement(statement) && !ts.isReturnStatement(statement)) statement = statement.parent;
  if (!statement) return false;
  return (ts.getLeadingCommentRanges(source.text, statement.getFullStart()) ?? []).some((c) => MARK.test(source.text.slice(c.pos, c.end)));
}

/** `n === 1 ? 'record' : 'records'`: a word chosen by a number, which a translation must choose itself. */
function chosenWord(node: ts.Node): boolean {
  const p = node.parent;
  if (!ts.isConditionalExpression(p) || (p.whenTrue !== node && p.whenFalse !== node)) return false;
  const word = (n: ts.Expression) => (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && /^\p{L}{3,}$/u.test(n.text);
  if (!word(p.whenTrue) || !word(p.whenFalse)) return false;
  // One word in two forms (record / records, copy / copies), not two ids (markdown / json).
  const [a, b] = [(p.whenTrue as ts.StringLiteral).text, (p.whenFalse as ts.StringLiteral).text];
  let same = 0;
  while (same < a.length && a[same] === b[same]) same++;
  return same >= 3;
}

/** The literals of a source that read as words and are not translated. */
export function untranslatedText(fileName: string, code: string): FoundText[] {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true);
  const found: FoundText[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      const text = literalText(node);
      if ((readsAsWords(text) || chosenWord(node)) && !notShownHere(node)) {
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        if (!markedNotShown(source, node, line)) found.push({ line, text, node });
      }
      if (!ts.isTemplateExpression(node)) return;
    }
    if (ts.isCallExpression(node) && /(^|\.)l10n\.t$/.test(calleeText(node))) {
      // The message is translated; what fills its holes may still hold words.
      node.arguments.slice(1).forEach(visit);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
