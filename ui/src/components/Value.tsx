// A typed WebAssembly value as text; its type is drawn by CSS (::after) so the element's text is the value alone.
import type { TypedValue } from "../values";

export function Value({ value }: { value: TypedValue }) {
  return (
    <span class="value" data-role="value" data-type={value.type}>
      {value.text}
    </span>
  );
}

export function Values({ values }: { values: TypedValue[] }) {
  if (values.length === 1) return <Value value={values[0]!} />;
  return (
    <ol class="values">
      {values.map((value, index) => (
        <li key={index}>
          <Value value={value} />
        </li>
      ))}
    </ol>
  );
}
