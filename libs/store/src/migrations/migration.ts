// What a migration is. Kept apart from the list so each numbered file can import the type.
export interface Migration {
  /** Applied in ascending order; never reused, never edited once released. */
  version: number;
  name: string;
  /** One script; several statements allowed. Runs inside the migration transaction. */
  sql: string;
}
