// The memory viewer: size and limits of an exported memory, a hex dump of a 256-byte window at a typed address,
// and Grow (+1 page). The memory lives in the session's worker: the window is read from there after every change.
import { useEffect, useState } from "preact/hooks";
import { formatBytes, limitsText, PAGE_BYTES, type Playground } from "../playground";
import type { InspectReport } from "../api";

const ROW = 16;
const ROWS = 16;
const WINDOW = ROW * ROWS;

const hex = (value: number, width: number): string => value.toString(16).padStart(width, "0");

const ascii = (byte: number): string => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ".");

/** Where the first active data segment of the memory starts: the bytes most worth a first look. */
function firstDataAddress(info: InspectReport, memoryIndex: number): number {
  const segment = info.data.find((data) => data.mode === "active" && data.memory === memoryIndex && /^i32\.const -?\d+$/.test(data.offset ?? ""));
  const offset = segment ? Number(segment.offset!.slice("i32.const ".length)) >>> 0 : 0;
  return offset - (offset % ROW);
}

function parseAddress(text: string): number | null {
  const trimmed = text.trim();
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(trimmed)) return null;
  return Number(trimmed);
}

export function Memory({ pg }: { pg: Playground }) {
  const program = pg.program;
  const names = program?.memories ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const [address, setAddress] = useState<number | null>(null);
  const [addressText, setAddressText] = useState("");
  const [addressError, setAddressError] = useState<string | null>(null);
  const [growText, setGrowText] = useState<string | null>(null);

  const name = chosen !== null && names.includes(chosen) ? chosen : (names[0] ?? null);
  const exported = program?.info.exports.find((e) => e.kind === "memory" && e.name === name);
  const target = program && exported ? (address ?? firstDataAddress(program.info, exported.index)) : 0;
  useEffect(() => {
    if (name !== null) pg.showMemory(name, target - (target % ROW), WINDOW);
  }, [name, target]);

  if (!program) return <p class="muted">No module loaded.</p>;
  if (name === null || !exported) return <p class="muted" data-role="memory">This module exports no memory.</p>;
  const limits = program.info.memories[exported.index];
  if (!pg.session) return <p class="muted" data-role="memory">The module is not instantiated, so its memory cannot be shown.</p>;
  const view = pg.memoryView?.name === name ? pg.memoryView : null;
  if (!view) return <p class="muted" data-role="memory">Reading the memory…</p>;

  const size = view.size;
  const start = view.start;
  const go = (next: number) => {
    setAddress(next);
    setAddressText(`0x${hex(next, 8)}`);
    setAddressError(null);
  };

  const rows = [];
  for (let row = start; row < start + view.bytes.length; row += ROW) {
    const slice = view.bytes.subarray(row - start, row - start + ROW);
    rows.push(
      <tr key={row}>
        <th scope="row">{hex(row, 8)}</th>
        {Array.from(slice, (byte, i) => (
          <td key={i} class={address !== null && row + i === target ? "hit" : byte === 0 ? "zero" : undefined}>
            {hex(byte, 2)}
          </td>
        ))}
        <td class="ascii">{Array.from(slice, ascii).join("")}</td>
      </tr>,
    );
  }

  return (
    <div class="memory" data-role="memory" data-memory={name}>
      <div class="memory-head">
        {names.length > 1 && (
          <label>
            Memory{" "}
            <select value={name} onChange={(event) => setChosen(event.currentTarget.value)}>
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        )}
        <dl class="stats">
          <div>
            <dt>pages</dt>
            <dd data-role="memory-pages">{size / PAGE_BYTES}</dd>
          </div>
          <div>
            <dt>size</dt>
            <dd data-role="memory-bytes">{formatBytes(size)}</dd>
          </div>
          {limits && (
            <div>
              <dt>limits</dt>
              <dd>{limitsText(limits.min, limits.max)}</dd>
            </div>
          )}
        </dl>
        <button type="button" data-action="grow" onClick={() => void pg.grow(name, 1).then((result) => setGrowText(result.text))}>
          Grow +1 page
        </button>
      </div>
      {growText && (
        <p class="grow-status" role="status" data-role="grow-status">
          {growText}
        </p>
      )}
      <form
        class="address-form"
        onSubmit={(event) => {
          event.preventDefault();
          const parsed = parseAddress(addressText);
          if (parsed === null) setAddressError(`"${addressText}" is not an address (decimal or 0x hex)`);
          else if (parsed >= size) setAddressError(`${addressText} is past the end of memory (${formatBytes(size)})`);
          else go(parsed);
        }}
      >
        <label for="memory-address">Address</label>
        <input
          id="memory-address"
          class="mono"
          data-role="address"
          value={addressText}
          placeholder={`0x${hex(target, 8)}`}
          autocomplete="off"
          spellcheck={false}
          aria-invalid={addressError !== null}
          aria-describedby={addressError ? "memory-address-error" : undefined}
          onInput={(event) => setAddressText(event.currentTarget.value)}
        />
        <button type="submit">Go</button>
        <button type="button" aria-label="Previous 256 bytes" disabled={start === 0} onClick={() => go(Math.max(0, start - WINDOW))}>
          ←
        </button>
        <button type="button" aria-label="Next 256 bytes" disabled={start + WINDOW >= size} onClick={() => go(start + WINDOW)}>
          →
        </button>
        {addressError && (
          <p id="memory-address-error" class="field-error">
            {addressError}
          </p>
        )}
      </form>
      <div class="hexdump-scroll">
        <table class="hexdump mono" data-role="hexdump">
          <thead>
            <tr>
              <th scope="col">offset</th>
              {Array.from({ length: ROW }, (_, i) => (
                <th scope="col" key={i}>
                  {hex(i, 2)}
                </th>
              ))}
              <th scope="col" class="ascii">
                ascii
              </th>
            </tr>
          </thead>
          <tbody>{rows}</tbody>
        </table>
      </div>
    </div>
  );
}
