import * as path from 'node:path';
import type * as vscode from 'vscode';
import { storageOf } from '../../domain/accountData';
import { BatchStore } from '../../domain/batchStore';
import { DisposableObject } from '../../domain/lifecycle';
import { SubmissionRegistry, type KeyValueStorage } from '../../domain/submissionRegistry';
import { UNFINISHED_KEY, UnfinishedBatches } from '../../domain/unfinishedBatches';
import type { AccountStore, AccountView } from '../account/accountStore';
import type { ClientProvider } from '../account/clientProvider';
import type { Log } from '../core/log';
import { Settings } from '../core/settings';
import { EndNotifications } from './endNotifications';
import { PollingService } from './polling';
import { StartupWatch } from './startupWatch';

export interface AccountWatchesDeps {
  keys: AccountStore;
  clients: Pick<ClientProvider, 'getFor'>;
  /** VS Code's global state, where each account remembers its unfinished batches. */
  globalState: KeyValueStorage;
  context: Pick<vscode.ExtensionContext, 'globalStorageUri'>;
  log: Log;
}

/** Never fires: an account not in use changes key only through the accounts, which end its watch. */
const NEVER: vscode.Event<void> = () => ({ dispose() {} });

/**
 * The batches in flight of an account not in use, watched as the account in use is: its own
 * store (never the view's), its own poller (one request per tick for this account, shared with
 * the other windows through the account's lease), and end notifications that name the account.
 */
class AccountWatch extends DisposableObject {
  readonly store: BatchStore;
  readonly startup: StartupWatch;
  readonly endNotifications: EndNotifications;
  readonly polling: PollingService;

  constructor(
    readonly account: AccountView,
    { keys, clients, globalState, context, log }: AccountWatchesDeps,
  ) {
    super();
    const places = keys.places(account.id);
    const storage = storageOf(globalState, places);
    const api = async () => (await clients.getFor(account.id))?.api;
    this.store = this.register(new BatchStore({ api, pageSize: () => Settings.pageSize(), baseUrl: () => account.baseUrl || Settings.baseUrl() || undefined }));
    const registry = this.register(new SubmissionRegistry(storage));
    const unfinished = new UnfinishedBatches(storage, () => registry.list());
    this.polling = this.register(new PollingService(context, this.store, { get: () => clients.getFor(account.id), onDidChange: NEVER }, registry, log));
    this.endNotifications = this.register(
      new EndNotifications(this.store, registry, storage, log, unfinished.atStart, path.join(places.dir, 'announced'), {
        account: () => keys.get(account.id)?.name ?? account.name,
        // The buttons act on the batch: in its account, which is put in use first.
        beforeAction: () => keys.use(account.id),
      }),
    );
    this.startup = this.register(new StartupWatch(unfinished, this.store, registry, this.polling, api, log));
  }
}

/**
 * Keeps watching every account with batches in flight, not only the one in use: an account has a
 * watch while it is not in use and remembers unfinished batches; it ends when the account is put
 * in use (the view's watch takes over) or removed.
 */
export class AccountWatches extends DisposableObject {
  private readonly watches = new Map<string, AccountWatch>();
  /** Settles once the accounts known at the start are watched (tests). */
  readonly ready: Promise<void>;

  constructor(private readonly deps: AccountWatchesDeps) {
    super();
    this.register(deps.keys.onDidChange(() => this.sync()));
    this.register({ dispose: () => this.watches.forEach((w) => w.dispose()) });
    this.ready = deps.keys.ready().then(() => this.sync());
  }

  /** The watch of an account not in use (tests). */
  watchOf(accountId: string): { store: BatchStore; startup: StartupWatch; endNotifications: EndNotifications } | undefined {
    return this.watches.get(accountId);
  }

  /** Watches the accounts not in use that remember batches in flight (and only those). */
  sync(): void {
    if (this.isDisposed) return;
    const { keys, globalState } = this.deps;
    const active = keys.active()?.id;
    const wanted = new Map(
      keys
        .list()
        .filter((a) => a.id !== active && hasUnfinished(globalState.get(keys.places(a.id).key(UNFINISHED_KEY))))
        .map((a) => [a.id, a]),
    );
    for (const [id, watch] of this.watches) {
      if (wanted.has(id)) continue;
      watch.dispose();
      this.watches.delete(id);
    }
    for (const [id, account] of wanted) {
      if (this.watches.has(id)) continue;
      this.deps.log.info(`Watching the unfinished batches of the account "${account.name}" (not in use) too.`);
      this.watches.set(id, new AccountWatch(account, this.deps));
    }
  }
}

function hasUnfinished(kept: unknown): boolean {
  return typeof kept === 'object' && kept !== null && Object.keys(kept).length > 0;
}
