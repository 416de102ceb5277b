import type { Server } from "node:http";

/**
 * The request handlers still running in one app server. A connection ends when its client leaves, but
 * the handler it started goes on (a loader's queries, a webhook's writes): a drain that waited only for
 * connections let the runtime close the database under it ("driver has already been destroyed" at the
 * end of `bench:api`). The host tracks each handler here, and `drainServer` waits for both.
 */
export class RunningHandlers {
  readonly #running = new Set<Promise<unknown>>();

  /** Tracks `work` until it settles, and hands it back unchanged. */
  track<T>(work: Promise<T>): Promise<T> {
    this.#running.add(work);
    const forget = () => this.#running.delete(work);
    work.then(forget, forget);
    return work;
  }

  get size(): number {
    return this.#running.size;
  }

  /** Resolves once no tracked handler runs (one that starts meanwhile is waited for too). */
  async settled(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }
}

/**
 * Stops `server` taking requests and waits for the ones in flight: idle keep-alive connections close at
 * once, busy ones when their answer is sent, and then every handler still running (its client may have
 * gone) is waited for, so what runs after (closing the database) cannot pull anything from under it.
 */
export async function drainServer(server: Server, handlers: RunningHandlers): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await closed;
  await handlers.settled();
}
