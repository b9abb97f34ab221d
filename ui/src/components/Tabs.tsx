// A row of tabs (ARIA tablist) with arrow-key, Home and End navigation, and the panels they control, for the
// playground's and the OS page's panels.
import type { ComponentChildren } from "preact";
import { useRef } from "preact/hooks";

export function Tabs<T extends string>({ tabs, labels, active, onSelect }: { tabs: T[]; labels: Record<T, string>; active: T; onSelect: (tab: T) => void }) {
  const listRef = useRef<HTMLDivElement>(null);
  const move = (to: T) => {
    onSelect(to);
    listRef.current?.querySelector<HTMLElement>(`[data-tab="${to}"]`)?.focus();
  };
  return (
    <div
      class="tabs"
      role="tablist"
      aria-label="Panels"
      ref={listRef}
      onKeyDown={(event) => {
        const index = tabs.indexOf(active);
        const target =
          event.key === "ArrowRight" ? tabs[(index + 1) % tabs.length]
          : event.key === "ArrowLeft" ? tabs[(index - 1 + tabs.length) % tabs.length]
          : event.key === "Home" ? tabs[0]
          : event.key === "End" ? tabs.at(-1)
          : undefined;
        if (target) {
          event.preventDefault();
          move(target);
        }
      }}
    >
      {tabs.map((tab) => (
        <button
          key={tab}
          type="button"
          role="tab"
          id={`tab-${tab}`}
          data-tab={tab}
          aria-selected={tab === active}
          aria-controls={`panel-${tab}`}
          tabIndex={tab === active ? 0 : -1}
          onClick={() => onSelect(tab)}
        >
          {labels[tab]}
        </button>
      ))}
    </div>
  );
}

/** Every panel stays mounted (hidden when inactive) so typed inputs, history and output survive tab switches. */
export function TabPanels<T extends string>({ tabs, active, panel }: { tabs: T[]; active: T; panel: (tab: T) => ComponentChildren }) {
  return (
    <>
      {tabs.map((tab) => (
        <section key={tab} class="panel" role="tabpanel" id={`panel-${tab}`} data-panel={tab} aria-labelledby={`tab-${tab}`} hidden={tab !== active} tabIndex={0}>
          {panel(tab)}
        </section>
      ))}
    </>
  );
}
