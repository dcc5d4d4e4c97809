import { BoundedMap } from './bounded-map';

/** Of `documentIds` (all of content type `uid`), the ones that exist, in one query. */
export type ExistingEntries = (uid: string, documentIds: string[]) => Promise<Set<string>>;

interface EntryFields {
  source: string;
  content_type: string | null;
  document_id: string | null;
  locale: string | null;
}

export interface KnownEntriesOptions {
  /** How long an entry found is trusted (it may be deleted meanwhile). */
  foundTtlMs?: number;
  /** How long an entry not found stays unknown (it may be created meanwhile). */
  missingTtlMs?: number;
  /** Entries remembered at most. */
  maxEntries?: number;
}

// Well under every database's limit of bound parameters per statement.
const IDS_PER_QUERY = 500;

/**
 * Checks, at write time, that the entries tracker events name exist; an event naming one that
 * does not stays a path view without the entry. A batch costs one query per content type for
 * the entries not already known (found or missing) — never one per event, and never on the
 * request path. Only tracker rows are checked: Content API reads name what Strapi just returned.
 */
export class KnownEntries {
  private readonly cache: BoundedMap<string, { exists: boolean; until: number }>;
  private readonly foundTtlMs: number;
  private readonly missingTtlMs: number;

  constructor(
    private readonly existing: ExistingEntries,
    options: KnownEntriesOptions = {}
  ) {
    this.cache = new BoundedMap(options.maxEntries ?? 50_000);
    this.foundTtlMs = options.foundTtlMs ?? 10 * 60_000;
    this.missingTtlMs = options.missingTtlMs ?? 60_000;
  }

  /** The rows to write: the same rows, except tracker rows naming a missing entry, copied without it. */
  async resolve<Row extends EntryFields>(rows: Row[], now = Date.now()): Promise<Row[]> {
    const unknown = new Map<string, Set<string>>();
    for (const row of rows) {
      if (!this.needsCheck(row)) continue;
      const known = this.cache.get(key(row.content_type, row.document_id));
      if (known && known.until > now) continue;
      let ids = unknown.get(row.content_type);
      if (!ids) unknown.set(row.content_type, (ids = new Set()));
      ids.add(row.document_id);
    }
    for (const [uid, ids] of unknown) {
      const all = [...ids];
      for (let i = 0; i < all.length; i += IDS_PER_QUERY) {
        const chunk = all.slice(i, i + IDS_PER_QUERY);
        const found = await this.existing(uid, chunk);
        for (const id of chunk) {
          const exists = found.has(id);
          const until = now + (exists ? this.foundTtlMs : this.missingTtlMs);
          this.cache.set(key(uid, id), { exists, until });
        }
      }
    }
    let changed = false;
    const resolved = rows.map((row) => {
      if (!this.needsCheck(row)) return row;
      if (this.cache.get(key(row.content_type, row.document_id))?.exists !== false) return row;
      changed = true;
      return { ...row, content_type: null, document_id: null, locale: null };
    });
    return changed ? resolved : rows;
  }

  private needsCheck(
    row: EntryFields
  ): row is EntryFields & { content_type: string; document_id: string } {
    return row.source === 'tracker' && row.content_type !== null && row.document_id !== null;
  }
}

const key = (uid: string, documentId: string) => `${uid}\u0000${documentId}`;
