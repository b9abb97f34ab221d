// npm's packing of a first-party plugin (`npm pack` or `npm publish` in its folder): its templates live in the
// repository's templates/projects/NAME (templates/README.md), and its package carries each at its [[templates]] path,
// as the copy bundled in wasmrun does. package.json's prepack runs `copy`, its postpack `remove`.
import { cpSync, readFileSync, readdirSync, rmSync, rmdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const starters = fileURLToPath(new URL("../templates/projects/", import.meta.url));

/** The [[templates]] entries of ./wasmrun.toml: each one's name and path (the keys are one per line, quoted). */
function templates() {
  const tables = readFileSync("wasmrun.toml", "utf8").split(/^\[\[templates\]\]$/m).slice(1);
  return tables.map((table) => {
    const body = table.split(/^\[/m)[0];
    const value = (key) => body.match(new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, "m"))?.[1];
    return { name: value("name"), path: value("path") };
  });
}

for (const { name, path } of templates()) {
  if (!name || !path || path.startsWith("/") || path.split("/").includes("..")) {
    throw new Error(`wasmrun.toml: a [[templates]] entry without a name or a path inside the package (${name}, ${path})`);
  }
  rmSync(path, { recursive: true, force: true });
  if (process.argv[2] === "copy") {
    cpSync(join(starters, name), path, { recursive: true });
  } else {
    // the folders that held only the copy go too (templates/ itself)
    for (let folder = dirname(path); folder !== "." && readdirSync(folder).length === 0; folder = dirname(folder)) {
      rmdirSync(folder);
    }
  }
}
