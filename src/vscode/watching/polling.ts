import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatchStore } from '../../domain/batchStore';
import { DisposableObject } from '../../domain/lifecycle';
import { FilePollCoordinator } from '../../domain/pollCoordinator';
import { Poller } from '../../domain/poller';
import type { PollerState } from '../../domain/pollerTypes';
import { systemTimers } from '../../domain/pollTimer';
import { batchName, type SubmissionRegistry } from '../../domain/submissionRegistry';
import type { ClientProvider } from '../account/clientProvider';
import type { Log } from '../core/log';
import { Settings } from '../core/settings';
import { ui } from '../core/ui';

/**
 * Runs the one poller for the current account, and rebuilds it when the key or the base URL
 * changes (another account has other batches, and another shared poll file). Windows on the same
 * machine share one poll through a lease in the extension's global storage.
 */
export class PollingService extends DisposableObject {
  private poller: Poller | undefined;
  /** The current poller and the subscriptions to it: rebuilt with it, disposed with it. */
  private pollerScope: DisposableObject | undefined;
  private readonly stateChanged = this.register(new vscode.EventEmitter<PollerState>());
  readonly onDidChangeState = this.stateChanged.event;
  private readonly removed = this.register(new vscode.EventEmitter<string>());
  /** A watched batch no longer exists: the poller took it out of the store. */
  readonly onDidRemoveBatch = this.removed.event;
  private generation = 0;
  /** A poke that came while the poller was being built: it is passed on once it is. */
  private pokeWhenBuilt = false;

  constructor(
    private readonly context: Pick<vscode.ExtensionContext, 'globalStorageUri'>,
    private readonly store: BatchStore,
    private readonly clients: Pick<ClientProvider, 'get' | 'onDidChange'>,
    private readonly registry: SubmissionRegistry,
    private readonly log: Log,
  ) {
    super();
    this.register(clients.onDidChange(() => this.generation > 0 && void this.rebuild()));
    this.register(vscode.window.onDidChangeWindowState((e) => this.poller?.setFocused(e.focused)));
    // Built once something is in flight: at a start with nothing to watch, no key is read and the
    // SDK is not loaded.
    this.register(store.onDidChange(() => this.generation === 0 && store.inFlight().length > 0 && void this.rebuild()));
  }

  get state(): PollerState {
    return this.poller?.state ?? { kind: 'idle' };
  }

  /** The user acted (refresh, submit, cancel, new key, Check Now): poll soon and forget the backoff. */
  poke(): void {
    if (this.poller) this.poller.poke();
    else this.pokeWhenBuilt = true;
  }

  /** The user is looking (the Batches view was shown): a far-away poll comes within seconds. */
  lookSoon(): void {
    this.poller?.lookSoon();
  }

  /** When the in-flight batches were last checked (ms since the epoch), if they were. */
  get lastCheckedAt(): number | undefined {
    return this.poller?.lastCheckedAt;
  }

  private async rebuild(): Promise<void> {
    const generation = ++this.generation;
    this.teardown();
    const handle = await this.clients.get();
    if (generation !== this.generation) return;
    const coordinator = handle
      ? new FilePollCoordinator(
          path.join(this.context.globalStorageUri.fsPath, 'polling', handle.accountScope),
          vscode.env.sessionId,
          systemTimers,
          (line) => this.log.debug(`[poll] ${line}`),
        )
      : undefined;
    const poller = new Poller({
      store: this.store,
      api: async () => (await this.clients.get())?.api,
      timers: systemTimers,
      settings: () => Settings.poll(),
      coordinator,
      log: (line) => this.log.debug(`[poll] ${line}`),
    });
    poller.setFocused(vscode.window.state.focused);
    const scope = new DisposableObject();
    scope.register(poller);
    this.poller = poller;
    this.pollerScope = scope;
    scope.register(
      poller.onDidChangeState((state) => {
        if (state.kind === 'failing') this.log.warn(`Polling is failing: ${state.error.message}`);
        if (state.kind === 'stopped') this.log.warn(`Polling stopped: ${state.error.message}`);
        this.stateChanged.fire(state);
      }),
    );
    scope.register(
      poller.onDidRemoveBatch(({ batchId }) => {
        this.removed.fire(batchId);
        const record = this.registry.get(batchId);
        const label = batchName(record, batchId);
        void ui().warn(vscode.l10n.t('The batch "{0}" no longer exists (deleted elsewhere, or another workspace\'s); it was removed from the view.', label));
      }),
    );
    this.stateChanged.fire(poller.state);
    if (this.pokeWhenBuilt) {
      this.pokeWhenBuilt = false;
      poller.poke();
    }
  }

  private teardown(): void {
    this.pollerScope?.dispose();
    this.pollerScope = undefined;
    this.poller = undefined;
  }

  /** A rebuild still waiting for the client provider must not build a poller after this. */
  override dispose(): void {
    this.generation++;
    this.teardown();
    super.dispose();
  }
}

