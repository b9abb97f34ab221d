#!/usr/bin/env bash
# Keeps the interpreter's dispatch sequence (the block every IR instruction ends in: load the opcode, bounds check,
# table load, indirect jump; ~37 bytes) inside one 64-byte line of the binary. RyuJIT places that block after the
# handlers, so its offset in Interpreter.Run moves with every handler's size; across a line it cost the kernels
# 13-15% (docs/performance.md). Two uses, one way of finding the block (the target most of Run's jumps go to, up to
# the first indirect jump after it):
#   place-dispatch.sh place OBJECT ORDER    the build (Wasmrun.csproj, AlignManagedCode): the first method of the
#       order file ORDER (HotMethods.order) opens ILC's __managedcode section in OBJECT. When the block would cross a
#       line, a padding object is linked in before the section (ld -r), shifting the whole section by 16, 32 or 48
#       bytes; the section itself starts at a 64-byte boundary either way. Safe to repeat on an object it placed.
#   place-dispatch.sh show FILE START STOP  the tests (HotMethodsTests): prints the block's first and end address
#       in the code between START and STOP of a linked FILE, in hex.
set -euo pipefail

# Prints "FIRST END" (hex, without 0x) of the dispatch block in `objdump -d` output read from stdin.
dispatch_block() {
  awk '
    /^ *[0-9a-f]+:\t/ {
      address = $1; sub(":", "", address)
      order[++count] = address
      text[address] = $0
      if ($2 == "jmp" && $3 ~ /^[0-9a-f]+$/) { jumps[$3]++ }
    }
    END {
      for (target in jumps) if (jumps[target] > best) { best = jumps[target]; first = target }
      if (best < 16) { exit 1 }
      started = 0
      for (i = 1; i <= count; i++) {
        if (order[i] == first) { started = 1 }
        if (started && text[order[i]] ~ /\tjmp +\*%/) {
          if (i == count) { exit 1 }
          print first, order[i + 1]
          exit 0
        }
      }
      exit 1
    }'
}

fits_in_line() { # FIRST END SHIFT (decimal)
  (( ($1 + $3) / 64 == ($2 - 1 + $3) / 64 ))
}

verb="${1:-}"
case "$verb" in
  show)
    [[ $# -eq 4 ]] || { echo "usage: $0 show FILE START STOP" >&2; exit 2; }
    objdump -d --no-show-raw-insn --start-address="$3" --stop-address="$4" "$2" | dispatch_block \
      || { echo "error: no dispatch block found in $2 between $3 and $4" >&2; exit 1; }
    ;;
  place)
    [[ $# -eq 3 ]] || { echo "usage: $0 place OBJECT ORDER" >&2; exit 2; }
    object="$2" symbol="$(head -n 1 "$3")"
    offset=$(nm --defined-only "$object" | awk -v s="$symbol" '$3 == s && !found { print $1; found = 1 }')
    [[ -n "$offset" ]] || { echo "error: $symbol not found in $object (HotMethods.order renamed?)" >&2; exit 1; }
    read -r first end < <(objdump -d --no-show-raw-insn --disassemble="$symbol" "$object" | dispatch_block) \
      || { echo "error: no dispatch block found in $symbol ($object)" >&2; exit 1; }
    first=$((16#$first)) end=$((16#$end))
    if ((16#$offset != 0)); then
      # placed by an earlier run on this object (ILC did not run again): the shift is already in the offsets
      fits_in_line "$first" "$end" 0 \
        || { echo "error: $object was padded but its dispatch block crosses a 64-byte line" >&2; exit 1; }
      exit 0
    fi
    objcopy --set-section-alignment __managedcode=64 "$object"
    # 32 first: ILC aligns its methods (and the loops RyuJIT aligns) to 32 bytes
    for shift in 0 32 16 48; do
      fits_in_line "$first" "$end" "$shift" && break
    done
    fits_in_line "$first" "$end" "$shift" \
      || { echo "error: no shift puts the dispatch block inside a 64-byte line" >&2; exit 1; }
    ((shift == 0)) && exit 0
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    printf '.section __managedcode,"ax",@progbits\n.p2align 6\n.fill %d,1,0xcc\n' "$shift" > "$work/pad.s"
    printf '.section .note.GNU-stack,"",@progbits\n' >> "$work/pad.s"
    as "$work/pad.s" -o "$work/pad.o"
    # the section's own alignment drops to 16 so it starts right after the padding, not at the next 32 or 64
    objcopy --set-section-alignment __managedcode=16 "$object"
    ld -r -o "$work/placed.o" "$work/pad.o" "$object"
    mv "$work/placed.o" "$object"
    echo "place-dispatch: dispatch block at $first-$end of $symbol, section shifted by $shift bytes"
    ;;
  *)
    echo "usage: $0 place OBJECT ORDER | show FILE START STOP" >&2
    exit 2
    ;;
esac
