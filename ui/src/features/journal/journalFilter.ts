// The journal page's filter as the backend takes it, and an action's words.
import type { JournalFilter } from "../../ipc";

export type JournalFilterInput = {
  action: string | null;
  serviceUser: string;
  search: string;
};

export const EMPTY_FILTER: JournalFilterInput = { action: null, serviceUser: "", search: "" };

/** The backend's filter: blank fields select everything. */
export function toBackendFilter(f: JournalFilterInput): JournalFilter {
  const text = (s: string) => (s.trim() === "" ? null : s.trim());
  return {
    action: f.action,
    serviceUser: text(f.serviceUser),
    search: text(f.search),
    since: null,
    limit: null,
  };
}

/** `roles_attached` as "roles attached". */
export function actionWords(action: string): string {
  return action.replaceAll("_", " ");
}
