// Which rows of the service-users list are ticked for a bulk change: single ticks, shift-click
// ranges (from the last ticked row, as in a file manager) and "all N matching this filter".
import { useCallback, useMemo, useState } from "react";

export type RowSelection = {
  /** Ticked ids (ignored while `allMatching`). */
  ids: ReadonlySet<string>;
  /** Every row matching the filters, including those not loaded yet. */
  allMatching: boolean;
  isSelected: (id: string) => boolean;
  /** A tick on row `index`; with shift, every row from the last ticked one takes its state. */
  toggle: (id: string, index: number, shift: boolean, rowAt: (i: number) => string | undefined) => void;
  selectAllMatching: () => void;
  clear: () => void;
};

type State = { ids: ReadonlySet<string>; anchor: number | null; allMatching: boolean; key: string };

const empty = (key: string): State => ({ ids: new Set(), anchor: null, allMatching: false, key });

/** The selection of one list; new filters (`resetKey`) start it empty. */
export function useRowSelection(resetKey: string): RowSelection {
  const [state, setState] = useState<State>(() => empty(resetKey));
  const current = state.key === resetKey ? state : empty(resetKey);
  if (state.key !== resetKey) setState(current);

  const toggle = useCallback<RowSelection["toggle"]>(
    (id, index, shift, rowAt) =>
      setState((s) => {
        const base = s.key === resetKey ? s : empty(resetKey);
        const ids = new Set(base.ids);
        const on = !ids.has(id);
        if (shift && base.anchor !== null) {
          const [from, to] = base.anchor < index ? [base.anchor, index] : [index, base.anchor];
          for (let i = from; i <= to; i++) {
            const rowId = rowAt(i);
            if (rowId === undefined) continue;
            if (on) ids.add(rowId);
            else ids.delete(rowId);
          }
        } else if (on) ids.add(id);
        else ids.delete(id);
        return { ids, anchor: index, allMatching: false, key: resetKey };
      }),
    [resetKey],
  );
  const selectAllMatching = useCallback(
    () => setState((s) => ({ ...s, allMatching: true, key: resetKey })),
    [resetKey],
  );
  const clear = useCallback(() => setState(empty(resetKey)), [resetKey]);

  return useMemo(
    () => ({
      ids: current.ids,
      allMatching: current.allMatching,
      isSelected: (id: string) => current.allMatching || current.ids.has(id),
      toggle,
      selectAllMatching,
      clear,
    }),
    [current, toggle, selectAllMatching, clear],
  );
}
