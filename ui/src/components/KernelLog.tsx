// The kernel log: boot, spawn, exit, kill, limits, errors and stdin from the page, newest last, filtered by kind and pid.
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { KernelEventKind } from "../api";
import { KERNEL_EVENT_KINDS, type OsModel } from "../os";

export function KernelLog({ os }: { os: OsModel }) {
  const [kind, setKind] = useState<KernelEventKind | "">("");
  const [pid, setPid] = useState("");
  const listRef = useRef<HTMLDivElement>(null);
  const entries = os.log.filter((entry) => (kind === "" || entry.kind === kind) && (pid === "" || String(entry.pid ?? "") === pid));
  const last = entries.at(-1)?.sequence;

  useLayoutEffect(() => {
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [last]);

  const pids = [...new Set(os.log.map((entry) => entry.pid).filter((p): p is number => p !== null))].sort((a, b) => a - b);
  return (
    <div class="kernel-log">
      <div class="log-filters">
        <label>
          Kind{" "}
          <select data-role="log-kind" value={kind} onChange={(event) => setKind(event.currentTarget.value as KernelEventKind | "")}>
            <option value="">all</option>
            {KERNEL_EVENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          PID{" "}
          <select data-role="log-pid" value={pid} onChange={(event) => setPid(event.currentTarget.value)}>
            <option value="">all</option>
            {pids.map((p) => (
              <option key={p} value={String(p)}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <span class="muted">
          {entries.length} of {os.log.length} entries
        </span>
      </div>
      <div class="console-log log-entries mono" role="log" aria-label="Kernel log" data-role="kernel-log" tabIndex={0} ref={listRef}>
        {entries.map((entry) => (
          <div key={entry.sequence} class="log-entry" data-kind={entry.kind} data-pid={entry.pid ?? undefined}>
            <time class="muted" dateTime={entry.time}>
              {new Date(entry.time).toLocaleTimeString()}
            </time>{" "}
            <span class="kind" data-kind={entry.kind}>
              {entry.kind}
            </span>{" "}
            {entry.pid !== null && <span class="muted">pid {entry.pid} </span>}
            {entry.message}
          </div>
        ))}
      </div>
    </div>
  );
}
