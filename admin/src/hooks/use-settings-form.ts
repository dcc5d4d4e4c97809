import { useCallback, useEffect, useState } from 'react';
import {
  EDITABLE_SETTINGS,
  type SettingKey,
  type SettingValues,
  type SettingsResponse,
  type SettingsUpdate,
} from '../../../shared/contracts/settings';

/** What the inputs hold: the settings, with each list edited as a textarea's lines. */
export type SettingsDraft = Omit<SettingValues, LineKey | NumberKey> & {
  [K in LineKey]: string;
} & { [K in NumberKey]: number | undefined };

type LineKey = 'excludePaths' | 'allowedHostnames';
const LINE_KEYS: readonly SettingKey[] = ['excludePaths', 'allowedHostnames'];

type NumberKey = 'sampleRate' | 'retention.rawDays' | 'retention.aggregateDays';

const NUMBER_KEYS: readonly SettingKey[] = [
  'sampleRate',
  'retention.rawDays',
  'retention.aggregateDays',
];

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function toDraft(values: SettingValues): SettingsDraft {
  return {
    ...values,
    excludePaths: values.excludePaths.join('\n'),
    allowedHostnames: values.allowedHostnames.join('\n'),
  };
}

function fromDraft(draft: SettingsDraft, key: SettingKey): unknown {
  if (LINE_KEYS.includes(key)) {
    return (draft[key] as string)
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  }
  return draft[key];
}

/**
 * The settings form: a draft of the effective values, what differs from them (the PUT body),
 * and the messages to show per key. A value put back to its config/plugins value is sent as
 * `null`, so the stored override is removed rather than kept equal to the file.
 */
export function useSettingsForm(data: SettingsResponse['data'] | undefined) {
  const [draft, setDraft] = useState<SettingsDraft | null>(data ? toDraft(data.effective) : null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  useEffect(() => {
    if (data) setDraft(toDraft(data.effective));
  }, [data]);

  const change = useCallback(<K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]) => {
    setDraft((current) => (current ? { ...current, [key]: value } : current));
    setErrors((current) => {
      const rest = { ...current };
      delete rest[key];
      delete rest[''];
      return rest;
    });
  }, []);

  const update: SettingsUpdate = {};
  const missing: SettingKey[] = [];
  if (draft && data) {
    for (const key of EDITABLE_SETTINGS) {
      const value = fromDraft(draft, key);
      if (NUMBER_KEYS.includes(key) && (value === undefined || Number.isNaN(value))) {
        missing.push(key);
        continue;
      }
      if (same(value, data.effective[key])) continue;
      const reset = data.overridden.includes(key) && same(value, data.file[key]);
      (update as Record<string, unknown>)[key] = reset ? null : value;
    }
  }

  return {
    draft,
    change,
    /** Puts a key's input back to its config/plugins value (saved with the rest). */
    resetToFile: (key: SettingKey) =>
      data && change(key, toDraft(data.file)[key] as SettingsDraft[typeof key]),
    /** The input holds something else than config/plugins says (offer a reset). */
    differsFromFile: (key: SettingKey) =>
      !!draft && !!data && !same(fromDraft(draft, key), data.file[key]),
    update,
    /** Number fields left empty: nothing to save for them. */
    missing,
    dirty: Object.keys(update).length > 0 || missing.length > 0,
    errors,
    setErrors,
  };
}
