import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../../../shared/permissions';

/**
 * The settings page's overrides as Strapi's plugin store keeps them (`strapi.store({ type:
 * 'plugin', name, key: 'settings' })`, one row of the core store table), with a version that
 * every write increments.
 */
export interface StoredSettings {
  overrides: Record<string, unknown>;
  /** 0 until the first save. */
  version: number;
  updatedAt: string | null;
}

export type CompareAndSetResult =
  | { ok: true; saved: StoredSettings }
  | { ok: false; current: StoredSettings };

const CORE_STORE = 'strapi::core-store';
/** The row `strapi.store()` reads and writes for this key. */
const ROW = { key: `plugin_${PLUGIN_ID}_settings`, environment: null, tag: null };
const EMPTY: StoredSettings = { overrides: {}, version: 0, updatedAt: null };

interface Row {
  id: number;
  value: string | null;
}

function parse(row: Row | null): StoredSettings {
  if (!row?.value) return EMPTY;
  try {
    const value = JSON.parse(row.value) as Partial<StoredSettings> | null;
    return {
      overrides: value?.overrides ?? {},
      version: Number.isInteger(value?.version) ? (value!.version as number) : 0,
      updatedAt: value?.updatedAt ?? null,
    };
  } catch {
    return EMPTY;
  }
}

export function createStoredSettings(strapi: Core.Strapi) {
  const query = () => strapi.db.query(CORE_STORE);
  const rows = async (): Promise<Row[]> =>
    (await query().findMany({
      where: ROW,
      select: ['id', 'value'],
      orderBy: { id: 'asc' },
    })) as Row[];

  /** The store's row, created when there is none yet. */
  async function ensureRow(): Promise<Row> {
    const found = await rows();
    if (found.length) return found[0];
    await query().create({ data: { ...ROW, value: JSON.stringify(EMPTY), type: 'object' } });
    // Two instances may both have created one: all keep the oldest and drop the others.
    const created = await rows();
    if (created.length > 1) {
      await query().deleteMany({ where: { id: { $in: created.slice(1).map((r) => r.id) } } });
    }
    return created[0];
  }

  return {
    async read(): Promise<StoredSettings> {
      return parse((await rows())[0] ?? null);
    },

    /**
     * Stores `overrides` as the next version if the stored settings are still at `version`.
     * The write is one UPDATE conditional on the row's whole stored text, so of two writers
     * that read the same version — on this instance or on another sharing the database — one
     * succeeds and the other gets the current settings back.
     */
    async compareAndSet(
      version: number,
      overrides: Record<string, unknown>
    ): Promise<CompareAndSetResult> {
      const row = await ensureRow();
      const current = parse(row);
      if (current.version !== version) return { ok: false, current };
      const saved: StoredSettings = {
        overrides,
        version: version + 1,
        updatedAt: new Date().toISOString(),
      };
      const { count } = (await query().updateMany({
        where: { id: row.id, value: row.value },
        data: { value: JSON.stringify(saved), type: 'object' },
      })) as { count: number };
      if (count === 1) return { ok: true, saved };
      return { ok: false, current: parse((await rows())[0] ?? null) };
    },
  };
}

export type StoredSettingsStore = ReturnType<typeof createStoredSettings>;
