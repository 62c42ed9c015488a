import * as vscode from 'vscode';
import { estimateCost } from '../../domain/cost';
import { formatCount, formatUsd } from '../../common/format';
import { requestsText } from '../../common/requestCounts';
import { DisposableObject } from '../../domain/lifecycle';
import { CommandIds } from '../commands/commandIds';
import { commandOf } from '../commands/commandRunner';
import { Settings } from '../core/settings';
import type { BatchDiagnostics } from './batchDiagnostics';
import type { BatchFiles } from './batchFiles';
import { DocumentValidation } from './documentValidation';

/** At the top of a batch file: `Submit as batch · 1,234 requests · 2 models · est. ≤ $4.10`. */
export class SubmitCodeLens extends DisposableObject implements vscode.CodeLensProvider {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly validation: DocumentValidation,
    diagnostics: Pick<BatchDiagnostics, 'onDidUpdate'>,
    private readonly batchFiles: Pick<BatchFiles, 'isBatch' | 'onDidChange'>,
  ) {
    super();
    this.register(diagnostics.onDidUpdate(() => this.changed.fire()));
    this.register(batchFiles.onDidChange(() => this.changed.fire()));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!this.batchFiles.isBatch(document) || document.lineCount === 0 || document.getText().trim() === '') return [];
    const result = this.validation.get(document);
    const top = new vscode.Range(0, 0, 0, 0);
    const models = Object.keys(result.models).length;
    const parts = [
      requestsText(result.requestCount),
      models === 1 ? vscode.l10n.t('1 model') : vscode.l10n.t('{0} models', formatCount(models)),
    ];
    const cost = estimateCost(result.models, Settings.prices());
    if (cost.totalMaxUsd > 0) {
      const usd = formatUsd(cost.totalMaxUsd);
      parts.push(usd.startsWith('<') ? vscode.l10n.t('est. {0}', usd) : vscode.l10n.t('est. ≤ {0}', usd));
    }
    if (cost.unknownModels.length) parts.push(vscode.l10n.t('no price for {0}', cost.unknownModels.join(', ')));
    const lenses = [
      new vscode.CodeLens(top, {
        ...commandOf(CommandIds.submitFile, vscode.l10n.t('$(cloud-upload) Submit as batch · {0}', parts.join(' · ')), document.uri),
        tooltip:
          vscode.l10n.t('Estimate at batch prices (50% of standard, prices as of {0}): ', cost.pricesAsOf) +
          vscode.l10n.t('input ≈ {0} tokens ({1}), ', formatCount(cost.inputTokens), formatUsd(cost.inputUsd)) +
          vscode.l10n.t('output at most {0} tokens ({1}). Input tokens are estimated locally.', formatCount(cost.maxOutputTokens), formatUsd(cost.maxOutputUsd)),
      }),
    ];
    if (result.errorCount > 0) {
      lenses.push(
        new vscode.CodeLens(top, commandOf('workbench.actions.view.problems', result.errorCount === 1 ? vscode.l10n.t('$(error) 1 problem to fix first') : vscode.l10n.t('$(error) {0} problems to fix first', formatCount(result.errorCount)))),
      );
    }
    return lenses;
  }
}
