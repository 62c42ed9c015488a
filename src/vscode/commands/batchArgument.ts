import * as l10n from '@vscode/l10n';
import type { BatchesApi, MessageBatch } from '../../api';
import { batchDescription, batchLabel } from '../../domain/batchPresentation';
import type { CommandTarget } from './commandArguments';
import { CommandIds } from './commandIds';
import { executeCommand, UserCancelled } from './commandRunner';
import type { Services } from '../core/services';
import { ui } from '../core/ui';

/**
 * The batch an item command applies to: the row's batch as the store has it now, or the batch an
 * id names. Given anything else (the palette), offers a quick pick of the batches the command
 * applies to; says so when there are none.
 */
export async function resolveBatch(
  services: Services,
  target: CommandTarget,
  options: { applies: (b: MessageBatch) => boolean; placeHolder: string; none: string },
): Promise<MessageBatch> {
  if (target.kind === 'batch') return services.store.get(target.batch.id) ?? target.batch;
  if (target.kind === 'batchId') {
    const known = services.store.get(target.batchId);
    if (known) return known;
    const batch = await (await requireApi(services)).retrieve(target.batchId);
    services.store.upsert(batch);
    return batch;
  }
  if (!services.store.isLoaded) await services.store.refresh();
  const candidates = services.store.batches.filter(options.applies);
  if (candidates.length === 0) {
    void ui().info(options.none);
    throw new UserCancelled();
  }
  const now = Date.now();
  const picked = await ui().pick(
    candidates.map((batch) => ({
      label: batchLabel(batch, services.registry.get(batch.id)),
      description: batchDescription(batch, now),
      detail: batch.id,
      batch,
    })),
    // ignoreFocusOut: asked from a page that takes the focus back (the walkthrough), the pick must stay open.
    { placeHolder: options.placeHolder, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  if (!picked) throw new UserCancelled();
  return picked.batch;
}

/** The API for the current key; offers to set a key when there is none. */
export async function requireApi(services: Services): Promise<BatchesApi> {
  const handle = await services.clients.get();
  if (handle) return handle.api;
  const { problem } = await services.keys.resolve();
  const choice = await ui().error(problem ?? l10n.t('Claude Batches needs an Anthropic API key for this.'), l10n.t('Set API Key'));
  if (choice === l10n.t('Set API Key')) void executeCommand(CommandIds.setApiKey);
  throw new UserCancelled();
}

export function labelOf(services: Services, batch: MessageBatch): string {
  return batchLabel(batch, services.registry.get(batch.id));
}
