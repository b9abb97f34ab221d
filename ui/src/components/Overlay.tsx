// The failed-build overlay: each compiler error as FILE:LINE:COL: MESSAGE (or the build's message when it has
// none), dismissable with its button or Escape; the last good module keeps working underneath.
import { useEffect, useRef } from "preact/hooks";
import { failureLines, type BuildInfo } from "../api";

export function Overlay({ build, onDismiss }: { build: BuildInfo; onDismiss: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onDismiss();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      before?.focus();
    };
  }, []);

  const hasErrors = (build.errors ?? []).length > 0;
  return (
    <div class="overlay-backdrop">
      <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="overlay-title" data-role="overlay">
        <header class="overlay-head">
          <h2 id="overlay-title">Build failed</h2>
          <button type="button" class="icon-button" data-action="dismiss" aria-label="Dismiss" ref={closeRef} onClick={onDismiss}>
            <span aria-hidden="true">✕</span>
          </button>
        </header>
        {hasErrors && build.message && <p class="overlay-message">{build.message}</p>}
        <ol class="errors mono">
          {failureLines(build).map((line, index) => (
            <li key={index} data-role="error" data-severity={build.errors?.[index]?.severity}>
              {line}
            </li>
          ))}
        </ol>
        <p class="muted">The last good build keeps running. Fix the error and save: the next build closes this.</p>
      </div>
    </div>
  );
}
