import * as vscode from 'vscode';
import { estimateCost } from '../../domain/cost';
import { formatCount, formatUsd } from '../../common/format';
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
    const parts = [`${formatCount(result.requestCount)} ${result.requestCount === 1 ? 'request' : 'requests'}`, `${models} ${models === 1 ? 'model' : 'models'}`];
    const cost = estimateCost(result.models, Settings.prices());
    if (cost.totalMaxUsd > 0) {
      const usd = formatUsd(cost.totalMaxUsd);
      parts.push(usd.startsWith('<') ? `est. ${usd}` : `est. ≤ ${usd}`);
    }
    if (cost.unknownModels.length) parts.push(`no price for ${cost.unknownModels.join(', ')}`);
    const lenses = [
      new vscode.CodeLens(top, {
        ...commandOf(CommandIds.submitFile, `$(cloud-upload) Submit as batch · ${parts.join(' · ')}`, document.uri),
        tooltip:
          `Estimate at batch prices (50% of standard, prices as of ${cost.pricesAsOf}): ` +
          `input ≈ ${formatCount(cost.inputTokens)} tokens (${formatUsd(cost.inputUsd)}), ` +
          `output at most ${formatCount(cost.maxOutputTokens)} tokens (${formatUsd(cost.maxOutputUsd)}). Input tokens are estimated locally.`,
      }),
    ];
    if (result.errorCount > 0) {
      lenses.push(
        new vscode.CodeLens(top, commandOf('workbench.actions.view.problems', `$(error) ${formatCount(result.errorCount)} ${result.errorCount === 1 ? 'problem' : 'problems'} to fix first`)),
      );
    }
    return lenses;
  }
}
