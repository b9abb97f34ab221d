// Compiles the Node layer to QuickJS bytecode (build.sh runs it): qjs --std compile-layer.js DIR GUEST writes
// DIR/main.qbc and DIR/lib/NAME.qbc beside the sources, compiled under their guest names (GUEST/...) so stacks name
// those files. Built-ins get the CommonJS wrapper main.js's requireBuiltin gives a source.
const [, dir, guest] = scriptArgs;
function write(path, bytes) {
  const f = std.open(path, "wb");
  if (!f) throw new Error(`cannot write ${path}`);
  f.write(bytes, 0, bytes.byteLength);
  f.close();
}
write(`${dir}/main.qbc`, std.compileScript(std.loadFile(`${dir}/main.js`), `${guest}/main.js`));
const [names, err] = os.readdir(`${dir}/lib`);
if (err) throw new Error(`cannot list ${dir}/lib: errno ${err}`);
for (const name of names.filter((n) => n.endsWith(".js")).sort()) {
  const src = std.loadFile(`${dir}/lib/${name}`);
  write(`${dir}/lib/${name.slice(0, -3)}.qbc`, std.compileScript(
    "(function (exports, require, module, __filename, __dirname, internal) {" + src.replace(/^#!.*/, "") + "\n})",
    `${guest}/lib/${name}`));
}
