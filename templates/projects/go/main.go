// {{name}}: a WebAssembly program in Go.
//
//	wasmrun compile                   builds dist/{{projectName}}.wasm, a WASI command (TinyGo, or Go 1.21 and later)
//	wasmrun exec dist/{{projectName}}.wasm Ada   runs it
//	wasmrun compile --target wasm     builds a js/wasm module with Go's dist/wasm_exec.js glue (the default with an
//	                                  older Go); node dist/{{projectName}}.cjs Ada runs it under Node.js
//	wasmrun compile --target web      builds dist/index.html, a page that runs it
package main

import (
	"fmt"
	"os"
)

// add is ordinary Go; the module's exports belong to the Go runtime.
func add(a, b int) int {
	return a + b
}

func main() {
	who := "world"
	if len(os.Args) > 1 {
		who = os.Args[1]
	}
	fmt.Printf("Hello, %s, from {{name}}! 2 + 3 = %d\n", who, add(2, 3))
	if who == "error" {
		os.Exit(1)
	}
}
