// An AssemblyScript WASI command (built with asc and @assemblyscript/wasi-shim): counts the lines, words and bytes of
// a file in a preopened directory, writes the counts beside it, and exits with the number of lines.
// usage: wc.wasm PREOPEN FILE [NOTE...]   (GREETING from the environment is printed when set)
import {
  errno,
  errnoToString,
  fd,
  fd_close,
  fd_prestat_dir_name,
  fd_prestat_get,
  fd_read,
  fd_write,
  oflags,
  path_open,
  prestat,
  rights,
} from "bindings/wasi_snapshot_preview1";

const scratch = memory.data(64);

function fail(message: string): void {
  process.stderr.write(message + "\n");
  process.exit(2);
}

/** The descriptor of the preopened directory the runtime named `name`, or -1. */
function findPreopen(name: string): i32 {
  for (let descriptor: u32 = 3; descriptor < 64; descriptor++) {
    if (fd_prestat_get(descriptor, changetype<prestat>(scratch)) != errno.SUCCESS) continue;
    if (load<u8>(scratch) != 0) continue;
    const length = load<u32>(scratch, 4);
    const buffer = new ArrayBuffer(<i32>length);
    if (fd_prestat_dir_name(descriptor, changetype<usize>(buffer), length) != errno.SUCCESS) continue;
    if (String.UTF8.decode(buffer) == name) return <i32>descriptor;
  }
  return -1;
}

function openAt(directory: fd, path: string, flags: oflags, access: rights): fd {
  const encoded = String.UTF8.encode(path);
  const error = path_open(directory, 0, changetype<usize>(encoded), encoded.byteLength, flags, access, 0, 0, scratch);
  if (error != errno.SUCCESS) fail("cannot open " + path + ": " + errnoToString(error));
  return load<u32>(scratch);
}

function readAll(file: fd): Uint8Array {
  let content = new Uint8Array(0);
  const chunk = new Uint8Array(4096);
  while (true) {
    store<usize>(scratch, chunk.dataStart);
    store<usize>(scratch, chunk.length, sizeof<usize>());
    const error = fd_read(file, scratch, 1, scratch + 16);
    if (error != errno.SUCCESS) fail("read: " + errnoToString(error));
    const count = <i32>load<usize>(scratch, 16);
    if (count == 0) return content;
    const grown = new Uint8Array(content.length + count);
    grown.set(content);
    grown.set(chunk.subarray(0, count), content.length);
    content = grown;
  }
}

function writeAll(file: fd, text: string): void {
  const encoded = String.UTF8.encode(text);
  store<usize>(scratch, changetype<usize>(encoded));
  store<usize>(scratch, encoded.byteLength, sizeof<usize>());
  const error = fd_write(file, scratch, 1, scratch + 16);
  if (error != errno.SUCCESS) fail("write: " + errnoToString(error));
}

const argv = process.argv;
console.log("argc=" + argv.length.toString() + " argv[0]=" + argv[0]);
if (argv.length < 3) fail("usage: wc PREOPEN FILE [NOTE...]");
if (argv.length > 3) console.log("notes: " + argv.slice(3).join("|"));
console.log("GREETING=" + (process.env.has("GREETING") ? process.env.get("GREETING") : "(unset)"));
console.log("clock ok=" + (Date.now() > 1600000000000 ? "true" : "false"));

const preopen = findPreopen(argv[1]);
if (preopen < 0) fail("no preopened directory named " + argv[1]);
const input = openAt(preopen, argv[2], 0, rights.FD_READ);
const content = readAll(input);
fd_close(input);

let lines = 0, words = 0, inWord = false;
for (let i = 0; i < content.length; i++) {
  const c = content[i];
  if (c == 10) lines++;
  const space = c == 32 || c == 9 || c == 10 || c == 13;
  if (!space && !inWord) words++;
  inWord = !space;
}
const counts = lines.toString() + " " + words.toString() + " " + content.length.toString();
console.log("counts " + counts);

const output = openAt(preopen, argv[2] + ".count", oflags.CREAT | oflags.TRUNC, rights.FD_WRITE);
writeAll(output, counts + "\n");
fd_close(output);
console.log("wrote " + argv[2] + ".count");
process.exit(lines);
