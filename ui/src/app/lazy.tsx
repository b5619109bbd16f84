// Parts of the window loaded on first use (pages, dialogs, the detail drawer, the palette): each is
// its own chunk, so the start-up bundle holds only the list and the shell. Every lazy part has its
// own Suspense boundary right around it, so loading it never blanks anything else.
import { type ComponentType, lazy, type ReactNode, Suspense, useEffect, useState } from "react";

/** `lazy()` for a named export: `lazyNamed(() => import("./JournalPage"), "JournalPage")`. */
export function lazyNamed<M, K extends keyof M>(load: () => Promise<M>, name: K): M[K] {
  return lazy(() => load().then((m) => ({ default: m[name] as ComponentType<unknown> }))) as M[K];
}

/**
 * A dialog or drawer whose code loads the first time it opens. It first mounts closed and opens one
 * render later, so Mantine sees a real closed-to-open change: focus moves in, and goes back to
 * where it was on close, exactly as when the code was in the bundle. Until then it renders nothing;
 * nothing else waits for it (no fallback flashes).
 */
export function lazyOnFirstOpen<P extends object>(
  load: () => Promise<ComponentType<P>>,
  isOpen: (props: P) => boolean,
  closed: (props: P) => P,
): ComponentType<P> {
  const Lazy = lazy(() => load().then((component) => ({ default: component })));
  // biome-ignore lint/correctness/noComponentHookFactories: called once per dialog, at module level
  function OnFirstOpen(props: P) {
    const open = isOpen(props);
    const [used, setUsed] = useState(open);
    const [mounted, setMounted] = useState(false);
    if (open && !used) setUsed(true);
    if (!used) return null;
    return (
      <Suspense fallback={null}>
        <Lazy {...(mounted ? props : closed(props))} />
        <OnMount onMount={() => setMounted(true)} />
      </Suspense>
    );
  }
  return OnFirstOpen;
}

/** Calls `onMount` once its Suspense boundary has shown its content (the lazy part included). */
function OnMount({ onMount }: { onMount: () => void }): ReactNode {
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when first shown
  useEffect(() => onMount(), []);
  return null;
}
