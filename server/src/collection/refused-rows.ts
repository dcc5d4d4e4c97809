import { isTransientWriteError } from './transient-error';

export interface Isolation<Row> {
  /** Rows from the start of the batch that were written or refused; later ones were not tried. */
  processed: number;
  written: Row[];
  refused: Row[];
  /** Why the database refused the last refused row. */
  reason: unknown;
}

/**
 * Finds the rows the database refuses in a batch whose write failed with `error`, by writing
 * halves: k refused rows among n cost about 2·k·log2(n) writes, and every other row is written in
 * the same flush. Stops at the first failure that is no fault of the rows (a deadlock, a timeout,
 * or `reachable` says the database is gone): the rows from there on are left for a retry.
 */
export async function isolateRefusedRows<Row>(
  batch: Row[],
  error: unknown,
  write: (rows: Row[]) => Promise<void>,
  reachable: () => Promise<boolean>
): Promise<Isolation<Row>> {
  const result: Isolation<Row> = { processed: 0, written: [], refused: [], reason: undefined };

  const split = async (rows: Row[], failure: unknown): Promise<boolean> => {
    if (rows.length === 1) {
      result.refused.push(rows[0]);
      result.reason = failure;
      result.processed += 1;
      return true;
    }
    const middle = Math.ceil(rows.length / 2);
    return (await attempt(rows.slice(0, middle))) && attempt(rows.slice(middle));
  };

  const attempt = async (rows: Row[]): Promise<boolean> => {
    try {
      await write(rows);
    } catch (failure) {
      if (isTransientWriteError(failure) || !(await reachable())) return false;
      return split(rows, failure);
    }
    for (const row of rows) result.written.push(row);
    result.processed += rows.length;
    return true;
  };

  await split(batch, error);
  return result;
}
