// Instantiation in the spec's order (4.5.4): resolve and type-check imports, allocate functions, tables, memories and
// globals, evaluate segments, then initialise tables from active element segments and memories from active data
// segments, each in order, then run the start function. A trap stops there and earlier writes stay, as the spec
// says (a shared table or memory keeps them).
using Wasmrun.Engine.Decode;

namespace Wasmrun.Engine.Runtime;

internal static class Instantiator
{
    public static Instance Instantiate(Store store, Module module, Linker linker)
    {
        var instance = new Instance(store, module) { Name = module.Names.ModuleName };
        ResolveImports(module, linker, instance);

        for (var i = module.ImportedFunctionCount; i < module.FunctionCount; i++)
        {
            instance.Functions[i] = FunctionInstance.Wasm(store, instance, (uint)i);
        }
        for (var i = module.ImportedTableCount; i < module.Tables.Length; i++)
        {
            var type = module.Tables[i];
            if (type.Limits.Min > Table.EngineLimit)
            {
                throw new EngineLimitException(EngineLimit.TableSize, $"table {i} needs {type.Limits.Min} entries: more than the {Table.EngineLimit} a table may have");
            }
            var initial = module.TableInitializers[i - module.ImportedTableCount] is { } initializer ? Evaluate(instance, initializer).Low : 0;
            instance.Tables[i] = new Table(type with { ElementType = module.Canonical(type.ElementType) }, initial);
        }
        for (var i = module.ImportedMemoryCount; i < module.Memories.Length; i++)
        {
            var type = module.Memories[i];
            var memory = Memory.Create(type, store.Options.MaxMemoryBytes)
                ?? throw new EngineLimitException(EngineLimit.MemorySize,
                    $"memory {i} needs {type.Limits.Min} pages ({(ulong)type.Limits.Min * MemoryType.PageSize} bytes): more than the memory limit");
            instance.Memories[i] = store.Track(memory);
        }
        for (var i = module.ImportedTagCount; i < module.Tags.Length; i++)
        {
            instance.Tags[i] = new Tag(module.Types[(int)module.Tags[i]], module.TypeIds[(int)module.Tags[i]]);
        }
        for (var i = module.ImportedGlobalCount; i < module.Globals.Length; i++)
        {
            var (value, high) = Evaluate(instance, module.GlobalInitializers[i - module.ImportedGlobalCount]);
            instance.Globals[i] = new Global(module.Globals[i] with { Type = module.Canonical(module.Globals[i].Type) }, value, high);
        }
        foreach (var export in module.Exports)
        {
            instance.Exports[export.Name] = export.Kind switch
            {
                ExternalKind.Function => Extern.Of(instance.Functions[export.Index]),
                ExternalKind.Table => Extern.Of(instance.Tables[export.Index]),
                ExternalKind.Memory => Extern.Of(instance.Memories[export.Index]),
                ExternalKind.Tag => Extern.Of(instance.Tags[export.Index]),
                _ => Extern.Of(instance.Globals[export.Index]),
            };
        }
        for (var i = 0; i < module.Elements.Length; i++)
        {
            instance.SetElements(i, [.. module.Elements[i].Items.Select(item => Evaluate(instance, item).Low)]);
        }

        for (var i = 0; i < module.Elements.Length; i++)
        {
            var segment = module.Elements[i];
            if (segment.Mode == SegmentMode.Active)
            {
                var table = instance.Tables[segment.TableIndex];
                // A 64-bit table's offset is an i64: compared whole, it cannot wrap into range.
                var offset = Evaluate(instance, segment.Offset).Low;
                var items = instance.ElementSegment(i);
                if (offset > table.Size || (ulong)items.Length > table.Size - offset)
                {
                    throw new TrapException(TrapCode.TableOutOfBounds, [], $"element segment {i} does not fit table {segment.TableIndex}");
                }
                items.CopyTo(table.Elements.AsSpan((int)offset));
            }
            if (segment.Mode != SegmentMode.Passive)
            {
                instance.DropElements(i);
            }
        }
        for (var i = 0; i < module.Data.Length; i++)
        {
            var segment = module.Data[i];
            if (segment.Mode != SegmentMode.Active)
            {
                continue;
            }
            var memory = instance.Memories[segment.MemoryIndex];
            var offset = Evaluate(instance, segment.Offset).Low;
            if (offset > memory.Length || (ulong)segment.DataLength > memory.Length - offset)
            {
                throw new TrapException(TrapCode.MemoryOutOfBounds, [], $"data segment {i} does not fit memory {segment.MemoryIndex}");
            }
            instance.DataSegment(i).CopyTo(memory.Slice(offset, segment.DataLength));
            instance.DropData(i);
        }

        if (module.StartFunction is { } start)
        {
            store.Invoke(instance.Functions[start], []);
        }
        return instance;
    }

    private static void ResolveImports(Module module, Linker linker, Instance instance)
    {
        if (linker.Unresolved(module) is { Length: > 0 } unresolved)
        {
            throw LinkException.Unknown(module, unresolved);
        }
        int functions = 0, tables = 0, memories = 0, globals = 0, tags = 0;
        foreach (var import in module.Imports)
        {
            linker.TryResolve(import.ModuleName, import.Name, out var value);
            if (value.Kind != import.Kind)
            {
                throw Incompatible(module, import, $"it is a {value.Kind.Name()}");
            }
            switch (import.Kind)
            {
                case ExternalKind.Function:
                    var function = value.Function;
                    if (!TypeRegistry.IsSubtype(function.TypeId, module.TypeIds[(int)import.TypeIndex]))
                    {
                        throw Incompatible(module, import, $"it has type {function.Type}");
                    }
                    instance.Functions[functions++] = function;
                    break;
                case ExternalKind.Table:
                    var table = value.Table;
                    if (table.ElementType != module.Canonical(import.Table.ElementType) || !Matches(table.Type.Limits with { Min = table.Size }, import.Table.Limits))
                    {
                        throw Incompatible(module, import, $"it is a table of {table.ElementType.Name()} {table.Type.Limits with { Min = table.Size }}");
                    }
                    instance.Tables[tables++] = table;
                    break;
                case ExternalKind.Memory:
                    var memory = value.Memory;
                    if (!Matches(memory.Type.Limits with { Min = memory.Pages }, import.Memory.Limits))
                    {
                        throw Incompatible(module, import, $"it is a memory of {memory.Type.Limits with { Min = memory.Pages }} pages");
                    }
                    instance.Memories[memories++] = memory;
                    break;
                case ExternalKind.Tag:
                    var tag = value.Tag;
                    if (tag.TypeId != module.TypeIds[(int)import.TypeIndex])
                    {
                        throw Incompatible(module, import, $"it is a tag of type {tag.Type}");
                    }
                    instance.Tags[tags++] = tag;
                    break;
                default:
                    var global = value.Global;
                    // A mutable global's type is exactly the import's; an immutable one's may be a subtype.
                    var wanted = module.Canonical(import.Global.Type);
                    if (global.Type.Mutable != import.Global.Mutable
                        || (import.Global.Mutable ? global.Type.Type != wanted : !TypeRegistry.Matches(global.Type.Type, wanted)))
                    {
                        throw Incompatible(module, import, $"it is a global {global.Type}");
                    }
                    instance.Globals[globals++] = global;
                    break;
            }
        }
    }

    /// <summary>Import subtyping of limits (spec 4.5.3): the same address type, at least the minimum, and a maximum
    /// within the maximum.</summary>
    private static bool Matches(Limits actual, Limits imported) =>
        actual.Is64 == imported.Is64 && actual.Min >= imported.Min && (imported.Max is not { } max || (actual.Max is { } actualMax && actualMax <= max));

    private static LinkException Incompatible(Module module, Import import, string actual) =>
        new($"incompatible import type: {module.Describe(import)} does not match: {actual}");

    /// <summary>A validated constant expression (spec 4.4.10): one instruction, or integer arithmetic run on a small
    /// stack.</summary>
    private static (ulong Low, ulong High) Evaluate(Instance instance, ConstExpr expr) => expr.Extended ? EvaluateExtended(instance, expr) : expr.Opcode switch
    {
        Opcode.I32Const => ((uint)expr.Bits, 0),
        Opcode.I64Const or Opcode.F32Const or Opcode.F64Const => (expr.Bits, 0),
        Opcode.V128Const => (expr.Vector.Low, expr.Vector.High),
        Opcode.RefNull => (0, 0),
        Opcode.RefFunc => (instance.Functions[expr.Index].Reference, 0),
        Opcode.GlobalGet => (instance.Globals[expr.Index].Value, instance.Globals[expr.Index].High),
        _ => throw new InvalidOperationException($"not a constant expression: {OpcodeInfo.Name(expr.Opcode)}"),
    };

    // Validation has checked the types and the depth: only constants, immutable globals, the six arithmetic
    // instructions and GC's ref.i31 and conversions are here, and exactly one value is left.
    private static (ulong Low, ulong High) EvaluateExtended(Instance instance, ConstExpr expr)
    {
        var stack = new Stack<ulong>();
        var reader = new InstructionReader(WasmReader.Over(instance.Module, expr.Start, expr.End));
        var instruction = default(Instruction);
        while (!reader.Reader.AtEnd)
        {
            reader.Read(ref instruction);
            switch (instruction.Opcode)
            {
                case Opcode.I32Const:
                    stack.Push((uint)instruction.Bits);
                    break;
                case Opcode.I64Const:
                    stack.Push(instruction.Bits);
                    break;
                case Opcode.GlobalGet:
                    stack.Push(instance.Globals[instruction.Index].Value);
                    break;
                case Opcode.End:
                    break;
                case Opcode.RefNull:
                    stack.Push(0);
                    break;
                case Opcode.RefFunc:
                    stack.Push(instance.Functions[instruction.Index].Reference);
                    break;
                case Opcode.RefI31:
                    stack.Push(AnyReferences.I31((int)stack.Pop()));
                    break;
                case Opcode.AnyConvertExtern:
                    stack.Push(AnyReferences.FromExtern(stack.Pop()));
                    break;
                case Opcode.ExternConvertAny:
                    stack.Push(AnyReferences.ToExtern(stack.Pop()));
                    break;
                default:
                    var right = stack.Pop();
                    var left = stack.Pop();
                    stack.Push(instruction.Opcode switch
                    {
                        Opcode.I32Add => (uint)(left + right),
                        Opcode.I32Sub => (uint)(left - right),
                        Opcode.I32Mul => (uint)(left * right),
                        Opcode.I64Add => left + right,
                        Opcode.I64Sub => left - right,
                        Opcode.I64Mul => left * right,
                        _ => throw new InvalidOperationException($"not a constant instruction: {OpcodeInfo.Name(instruction.Opcode)}"),
                    });
                    break;
            }
        }
        return (stack.Pop(), 0);
    }
}
