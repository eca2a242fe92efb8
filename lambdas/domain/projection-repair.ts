/**
 * Finishing the projections a crash interrupted: a committed event whose notice item was never brought up to
 * date. Run on a schedule; see the README's "Data design and consistency".
 */
export interface ProjectionRepair {
  /**
   * Repairs up to `limit` notices whose events have waited for their projection longer than `olderThanMs`, and
   * gives up to `limit` projections written before a derived list attribute existed that attribute (`backfilled`).
   */
  repair(options: {
    olderThanMs: number;
    limit: number;
  }): Promise<{ examined: number; repaired: string[]; backfilled: string[] }>;
}
