// How repositories reach the database: a Session is a Queryable that can also make a group of writes
// atomic. At the top level `atomic` opens a transaction; inside `store.transaction()` it joins the one
// already open, so a repository method composes into a caller's transaction without nesting.
import { type Database, type Queryable } from '../db/database';

export interface Session extends Queryable {
  atomic<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
}

export const databaseSession = (db: Database): Session => ({
  query: (sql, params) => db.query(sql, params),
  exec: (sql) => db.exec(sql),
  atomic: (fn) => db.transaction(fn),
});

export const transactionSession = (tx: Queryable): Session => ({
  query: (sql, params) => tx.query(sql, params),
  exec: (sql) => tx.exec(sql),
  atomic: (fn) => fn(tx),
});
