/**
 * One SQLite connection serves the whole process (better-sqlite3 behind Prisma's driver adapter), and an interactive
 * transaction spans awaits: without this, a query made elsewhere while one is open runs inside it. A write then
 * vanishes when that transaction rolls back (a job's 'failed' status rolled back with another upload's 409 left the
 * job 'running' for ever) and a read sees rows that are never committed. The adapter already lets one transaction in
 * at a time; here every query outside a transaction also waits its turn, so each runs between transactions. Queries
 * inside a transaction (through its own queryable) do not wait. Nothing inside a transaction may await a query made
 * outside it: that would wait for itself (the transactions in lib/server use only their `tx`).
 */
import type { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

type Adapter = Awaited<ReturnType<PrismaBetterSQLite3['connect']>>;
type Transaction = Awaited<ReturnType<Adapter['startTransaction']>>;

/** A FIFO lock: `acquire` resolves with the function that releases it. */
class Lock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const turn = this.tail.then(() => release);
    this.tail = this.tail.then(() => held);
    return turn;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

function serialisedTransaction(tx: Transaction, release: () => void): Transaction {
  let released = false;
  const once = () => {
    if (!released) release();
    released = true;
  };
  return new Proxy(tx, {
    get(target, prop) {
      if (prop === 'commit' || prop === 'rollback')
        return async () => {
          try {
            await target[prop]();
          } finally {
            once();
          }
        };
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function serialisedAdapter(adapter: Adapter): Adapter {
  const lock = new Lock();
  return new Proxy(adapter, {
    get(target, prop) {
      if (prop === 'queryRaw' || prop === 'executeRaw' || prop === 'executeScript')
        return (arg: never) => lock.run(() => (target[prop] as (a: never) => Promise<unknown>)(arg));
      if (prop === 'startTransaction')
        return async (isolation?: Parameters<Adapter['startTransaction']>[0]) => {
          const release = await lock.acquire();
          try {
            return serialisedTransaction(await target.startTransaction(isolation), release);
          } catch (err) {
            release();
            throw err;
          }
        };
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The adapter factory Prisma gets: the same connection, each query outside a transaction run between transactions. */
export function serialisedFactory(factory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  return new Proxy(factory, {
    get(target, prop) {
      if (prop === 'connect') return async () => serialisedAdapter(await target.connect());
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
