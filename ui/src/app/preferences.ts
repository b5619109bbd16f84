// The window's own preferences (how a list is sorted, which columns it shows), kept in the
// webview's local storage so they survive a restart. Only layout choices go here, never a
// credential or anything read from the server: secrets live in the OS keychain alone.
import { useLocalStorage } from "@mantine/hooks";

/** Every preference's key: the users lists' order and hidden columns. */
export type PreferenceKey = "users.sort" | "users.hiddenColumns";

const PREFIX = "amorphic-su.";

/**
 * A preference and its setter. A stored value `valid` refuses (an older version's, or edited by
 * hand) reads as the default rather than breaking the screen.
 */
export function usePreference<T>(
  key: PreferenceKey,
  defaultValue: T,
  valid: (value: unknown) => value is T,
): [T, (value: T) => void] {
  const [value, setValue] = useLocalStorage<T>({
    key: PREFIX + key,
    defaultValue,
    getInitialValueInEffect: false,
    deserialize: (raw) => {
      if (raw === undefined || raw === null) return defaultValue;
      try {
        const parsed: unknown = JSON.parse(raw);
        return valid(parsed) ? parsed : defaultValue;
      } catch {
        return defaultValue;
      }
    },
  });
  return [value, setValue];
}
