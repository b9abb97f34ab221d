# {{name}}: Python compiled to WebAssembly by waspy, which compiles a typed subset of Python: each function with
# type annotations (int, float, bool, str) becomes an export of the module.
#   wasmrun compile                                        builds dist/{{projectName}}.wasm (needs the waspy compiler)
#   wasmrun exec --invoke fibonacci dist/{{projectName}}.wasm 10   calls an export


def add(a: int, b: int) -> int:
    return a + b


def fibonacci(n: int) -> int:
    a = 0
    b = 1
    i = 0
    while i < n:
        temp = a + b
        a = b
        b = temp
        i = i + 1
    return a


def is_even(n: int) -> bool:
    return n % 2 == 0
