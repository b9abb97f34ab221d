// Module info from the inspector: entry kind, sections, imports, exports with signatures, memories, tables,
// globals and types.
import type { ComponentChildren } from "preact";
import type { InspectReport } from "../api";
import { formatBytes, limitsText } from "../playground";

function Table({ caption, head, rows, role, wide }: { caption: string; head: string[]; rows: ComponentChildren[][]; role: string; wide?: boolean }) {
  return (
    <section class={wide ? "info-block wide" : "info-block"} data-role={role}>
      <h3>
        {caption} <span class="count">{rows.length}</span>
      </h3>
      {rows.length === 0 ? (
        <p class="muted">none</p>
      ) : (
        <div class="table-scroll">
          <table class="grid-table">
            <thead>
              <tr>
                {head.map((cell) => (
                  <th scope="col" key={cell}>
                    {cell}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, index) => (
                <tr key={index}>
                  {row.map((cell, column) => (
                    <td key={column}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function exportType(info: InspectReport, kind: string, index: number): string {
  switch (kind) {
    case "func":
      return info.functions.find((fn) => fn.index === index)?.signature ?? "";
    case "memory": {
      const memory = info.memories[index];
      return memory ? limitsText(memory.min, memory.max) : "";
    }
    case "table": {
      const table = info.tables[index];
      return table ? `${table.element_type}, ${limitsText(table.min, table.max).replace("pages", "elements")}` : "";
    }
    default: {
      const global = info.globals[index];
      return global ? `${global.mutable ? "mut " : ""}${global.type}` : "";
    }
  }
}

const code = (text: string | number) => <code>{text}</code>;

export function Info({ info }: { info: InspectReport }) {
  return (
    <div class="info" data-role="info">
      <section class="info-block summary">
        <dl class="stats">
          <div>
            <dt>entry</dt>
            <dd data-role="entry-kind">{info.entry.kind}</dd>
          </div>
          <div>
            <dt>size</dt>
            <dd>{formatBytes(info.size)}</dd>
          </div>
          <div>
            <dt>valid</dt>
            <dd>{info.valid ? "yes" : `no: ${info.validation_error?.message ?? "invalid"}`}</dd>
          </div>
        </dl>
        <p class="muted">{info.entry.description}</p>
      </section>
      <Table
        caption="Exports"
        role="info-exports"
        wide
        head={["name", "kind", "index", "type"]}
        rows={info.exports.map((e) => [code(e.name), e.kind, e.index, code(exportType(info, e.kind, e.index))])}
      />
      <Table
        caption="Imports"
        role="info-imports"
        wide
        head={["module", "name", "kind", "type"]}
        rows={info.imports.map((i) => [code(i.module), code(i.name), i.kind, code(i.type)])}
      />
      <Table
        caption="Memories"
        role="info-memories"
        head={["index", "limits", "bytes at start", "imported"]}
        rows={info.memories.map((m) => [m.index, limitsText(m.min, m.max), formatBytes(m.min * 65536), m.imported ? "yes" : "no"])}
      />
      <Table caption="Types" role="info-types" head={["index", "signature"]} rows={info.types.map((t) => [t.index, code(t.signature)])} />
      <Table
        caption="Sections"
        role="info-sections"
        head={["section", "offset", "size"]}
        rows={info.sections.map((s) => [s.name ? `${s.id} "${s.name}"` : s.id, code(`0x${s.offset.toString(16)}`), formatBytes(s.size)])}
      />
      <Table
        caption="Tables"
        role="info-tables"
        head={["index", "element", "limits", "imported"]}
        rows={info.tables.map((t) => [t.index, t.element_type, limitsText(t.min, t.max).replace("pages", "elements"), t.imported ? "yes" : "no"])}
      />
      <Table
        caption="Globals"
        role="info-globals"
        head={["index", "type", "init", "imported"]}
        rows={info.globals.map((g) => [g.index, `${g.mutable ? "mut " : ""}${g.type}`, g.init ? code(g.init) : "", g.imported ? "yes" : "no"])}
      />
    </div>
  );
}
