// A failed build: each compiler error as FILE:LINE:COL: MESSAGE with its code frame (or the build's message when
// it has none). A panel above the tabs, not a dialog over them: the last good module keeps running and stays usable.
import { failureItems, type BuildState } from "../api";

export function BuildFailure({ build, live, onDismiss }: { build: BuildState; live: boolean; onDismiss: () => void }) {
  const hasErrors = (build.errors ?? []).length > 0;
  return (
    <section class="failure" role="alert" aria-labelledby="failure-title" data-role="build-failure">
      <header class="failure-head">
        <h2 id="failure-title">Build failed</h2>
        <button type="button" class="icon-button" data-action="dismiss" aria-label="Dismiss" title="Hide until the next failure" onClick={onDismiss}>
          <span aria-hidden="true">✕</span>
        </button>
      </header>
      {hasErrors && build.message && <p class="failure-message">{build.message}</p>}
      <ol class="errors mono">
        {failureItems(build).map((item, index) => (
          <li key={index} data-role="error" data-severity={item.severity}>
            {item.line}
            {item.frame && (
              <pre class="code-frame" data-role="code-frame">
                {item.frame}
              </pre>
            )}
          </li>
        ))}
      </ol>
      <p class="muted">
        {live ? "The last good build keeps running below. Fix the error and save: the next build closes this." : "Fix the error and save: the page loads the module once it builds."}
      </p>
    </section>
  );
}
