// Validates a decoded module (spec 3.4.10) in the reference interpreter's order, so a module with several
// problems reports the same first one: imports and types, globals, tables, memories, element and data segments,
// function bodies, start function, exports, and last the one-memory rule of 2.0.
using Wasmrun.Engine.Decode;

namespace Wasmrun.Engine.Validate;

internal static class ModuleValidator
{
    /// <summary>Checks the module against WebAssembly 2.0 and the 3.0 changes in <paramref name="features"/>.</summary>
    public static void Validate(Module module, WasmFeatures features = WasmFeatures.Wasm30)
    {
        SectionId? section = null;
        uint? function = null;
        try
        {
            section = SectionId.Type;
            CheckTypes(module);

            section = SectionId.Import;
            foreach (var import in module.Imports)
            {
                switch (import.Kind)
                {
                    case ExternalKind.Function:
                        RequireType(module, import.TypeIndex, import.Offset);
                        break;
                    case ExternalKind.Table:
                        CheckValueType(module, import.Table.ElementType, import.Offset);
                        CheckTableLimits(import.Table.Limits, import.Offset);
                        break;
                    case ExternalKind.Global:
                        CheckValueType(module, import.Global.Type, import.Offset);
                        break;
                    case ExternalKind.Memory:
                        CheckMemoryLimits(import.Memory.Limits, import.Offset);
                        break;
                    case ExternalKind.Tag:
                        CheckTagType(module, import.TypeIndex, import.Offset);
                        break;
                }
            }

            section = SectionId.Function;
            var functionSection = module.Sections.FirstOrDefault(s => s.Id == SectionId.Function);
            for (var i = module.ImportedFunctionCount; i < module.FunctionTypeIndices.Length; i++)
            {
                RequireType(module, module.FunctionTypeIndices[i], functionSection.ContentOffset);
            }

            var context = ModuleContext.For(module, features);
            var validator = new FunctionValidator(module, context);

            section = SectionId.Global;
            for (var i = 0; i < module.GlobalInitializers.Length; i++)
            {
                var index = module.ImportedGlobalCount + i;
                CheckValueType(module, module.Globals[index].Type, module.GlobalInitializers[i].Start);
                validator.ValidateConstExpr(module.GlobalInitializers[i], module.Globals[index].Type, initialising: index);
            }

            section = SectionId.Table;
            var tableSection = module.Sections.FirstOrDefault(s => s.Id == SectionId.Table);
            for (var i = module.ImportedTableCount; i < module.Tables.Length; i++)
            {
                var table = module.Tables[i];
                CheckValueType(module, table.ElementType, tableSection.ContentOffset);
                CheckTableLimits(table.Limits, tableSection.ContentOffset);
                if (module.TableInitializers[i - module.ImportedTableCount] is { } initializer)
                {
                    // The table section precedes the global section: only imported globals are visible.
                    validator.ValidateConstExpr(initializer, table.ElementType, initialising: module.ImportedGlobalCount);
                }
                else if (!table.ElementType.IsDefaultable)
                {
                    throw ModuleFormatException.Invalid($"type mismatch: table {i} of {table.ElementType.Name()} needs an initialiser (its elements cannot start null)", tableSection.ContentOffset);
                }
            }

            section = SectionId.Memory;
            var memorySection = module.Sections.FirstOrDefault(s => s.Id == SectionId.Memory);
            for (var i = module.ImportedMemoryCount; i < module.Memories.Length; i++)
            {
                CheckMemoryLimits(module.Memories[i].Limits, memorySection.ContentOffset);
            }

            section = SectionId.Tag;
            var tagSection = module.Sections.FirstOrDefault(s => s.Id == SectionId.Tag);
            for (var i = module.ImportedTagCount; i < module.Tags.Length; i++)
            {
                CheckTagType(module, module.Tags[i], tagSection.ContentOffset);
            }

            section = SectionId.Element;
            foreach (var segment in module.Elements)
            {
                CheckElementSegment(module, validator, segment);
            }

            section = SectionId.Data;
            foreach (var segment in module.Data)
            {
                if (segment.Mode == SegmentMode.Active)
                {
                    if (segment.MemoryIndex >= (uint)module.Memories.Length)
                    {
                        throw ModuleFormatException.Invalid($"unknown memory {segment.MemoryIndex}", segment.Position);
                    }
                    validator.ValidateConstExpr(segment.Offset, module.Memories[(int)segment.MemoryIndex].Limits.AddressType);
                }
            }

            section = SectionId.Code;
            if (ValidateBodies(module, context, validator) is { } failed)
            {
                function = failed.Function;
                throw failed.Error;
            }

            section = SectionId.Start;
            if (module.StartFunction is { } start)
            {
                var startOffset = module.Sections.FirstOrDefault(s => s.Id == SectionId.Start).ContentOffset;
                var type = module.FunctionType(start) ?? throw ModuleFormatException.Invalid($"unknown function {start}", startOffset);
                if (type.Parameters.Length != 0 || type.Results.Length != 0)
                {
                    throw ModuleFormatException.Invalid($"start function must take no parameters and return nothing, but function {start} has type {type}", startOffset);
                }
            }

            section = SectionId.Export;
            CheckExports(module);

            section = null;
            if (module.Memories.Length > 1 && !features.HasFlag(WasmFeatures.MultiMemory))
            {
                throw ModuleFormatException.Invalid($"multiple memories: the module has {module.Memories.Length}, WebAssembly 2.0 allows one", 0);
            }
        }
        catch (ModuleFormatException error)
        {
            // The reference decoder parses every body before anything is validated: a malformed body is the error.
            ModuleDecoder.CheckBodies(module, features);
            throw error.In(section, function, function is { } index ? module.Names.FunctionName(index) : null);
        }
    }

    /// <summary>Bodies past this many bytes of code are validated on two threads (Python's 3.2 MB: 35 ms on one).</summary>
    internal const int ParallelCodeBytes = 1 << 18;

    /// <summary>Validates every function body; returns the first that fails in index order, or null. Bodies are
    /// independent, so a large module's are split at half its code between this thread and another.</summary>
    private static (uint Function, ModuleFormatException Error)? ValidateBodies(Module module, ModuleContext context, FunctionValidator validator)
    {
        var bodies = module.Bodies;
        var codeBytes = bodies.IsEmpty ? 0 : bodies[^1].End - bodies[0].CodeStart;
        var split = bodies.Length;
        if (codeBytes > ParallelCodeBytes && Environment.ProcessorCount > 1)
        {
            var middle = bodies[0].CodeStart + codeBytes / 2;
            split = 1;
            while (split < bodies.Length - 1 && bodies[split].End <= middle)
            {
                split++;
            }
        }
        var stop = false;
        var second = split < bodies.Length
            ? Task.Run(() => ValidateRange(module, new FunctionValidator(module, context), split, bodies.Length, ref stop))
            : null;
        var failure = ValidateRange(module, validator, 0, split, ref stop);
        if (failure is not null)
        {
            Volatile.Write(ref stop, true);
        }
        // A failure other than a module error (a defect) comes out of the worker as it is.
        var secondFailure = second?.GetAwaiter().GetResult();
        return failure ?? secondFailure;
    }

    private static (uint Function, ModuleFormatException Error)? ValidateRange(Module module, FunctionValidator validator, int start, int end, ref bool stop)
    {
        for (var i = start; i < end && !Volatile.Read(ref stop); i++)
        {
            var function = (uint)(module.ImportedFunctionCount + i);
            try
            {
                validator.ValidateFunction(function, module.FunctionType(function)!, module.Bodies[i]);
            }
            catch (ModuleFormatException error)
            {
                return (function, error);
            }
        }
        return null;
    }

    /// <summary>The type section (3.0): a type names only types of its own group or earlier ones; its supertype is
    /// an earlier, open type of the same kind, which it matches (parameters contravariant, results covariant).</summary>
    private static void CheckTypes(Module module)
    {
        var offset = module.Sections.FirstOrDefault(s => s.Id == SectionId.Type).ContentOffset;
        for (var i = 0; i < module.Types.Length; i++)
        {
            var declaration = module.Declarations[i];
            var groupEnd = (uint)(declaration.GroupStart + declaration.GroupSize);
            foreach (var type in module.Types[i].Parameters.Concat(module.Types[i].Results))
            {
                if (type.Heap == HeapKind.TypeIndex && type.TypeIndex >= groupEnd)
                {
                    throw ModuleFormatException.Invalid($"unknown type {type.TypeIndex}", offset);
                }
            }
            if (declaration.Super is { } super && super >= (uint)i)
            {
                throw ModuleFormatException.Invalid($"unknown type {super}", offset);
            }
        }
        for (var i = 0; i < module.Types.Length; i++)
        {
            if (module.Declarations[i].Super is not { } super)
            {
                continue;
            }
            FuncType sub = module.Types[i], parent = module.Types[(int)super];
            if (module.Declarations[(int)super].Final || sub.Parameters.Length != parent.Parameters.Length || sub.Results.Length != parent.Results.Length
                || !parent.Parameters.Zip(sub.Parameters).All(pair => module.Matches(pair.First, pair.Second))
                || !sub.Results.Zip(parent.Results).All(pair => module.Matches(pair.First, pair.Second)))
            {
                throw ModuleFormatException.Invalid($"sub type {i} does not match super type {super}", offset);
            }
        }
    }

    /// <summary>A value type that names a type must name one of the module's.</summary>
    public static void CheckValueType(Module module, ValType type, int offset)
    {
        if (type.Heap == HeapKind.TypeIndex && type.TypeIndex >= (uint)module.Types.Length)
        {
            throw ModuleFormatException.Invalid($"unknown type {type.TypeIndex}", offset);
        }
    }

    private static void RequireType(Module module, uint index, int offset)
    {
        if (index >= (uint)module.Types.Length)
        {
            throw ModuleFormatException.Invalid($"unknown type {index}", offset);
        }
    }

    /// <summary>A tag's type is a function type with no results (an exception's arguments).</summary>
    private static void CheckTagType(Module module, uint typeIndex, int offset)
    {
        RequireType(module, typeIndex, offset);
        if (module.Types[(int)typeIndex].Results.Length != 0)
        {
            throw ModuleFormatException.Invalid($"non-empty tag result type: type {typeIndex} is {module.Types[(int)typeIndex]}", offset);
        }
    }

    private static void CheckTableLimits(Limits limits, int offset)
    {
        if (!limits.Is64 && (limits.Min > uint.MaxValue || limits.Max > uint.MaxValue))
        {
            throw ModuleFormatException.Invalid($"table size must be at most 2^32-1 entries, found {Math.Max(limits.Min, limits.Max ?? 0)}", offset);
        }
        if (limits.Max is { } max && limits.Min > max)
        {
            throw ModuleFormatException.Invalid($"size minimum must not be greater than maximum: table limits {limits.Min} > {max}", offset);
        }
    }

    private static void CheckMemoryLimits(Limits limits, int offset)
    {
        var most = limits.Is64 ? MemoryType.MaxPages64 : MemoryType.MaxPages;
        if (limits.Min > most || limits.Max > most)
        {
            var bound = limits.Is64 ? "2^48 pages (a 64-bit memory)" : "65536 pages (4GiB)";
            throw ModuleFormatException.Invalid($"memory size must be at most {bound}, found {Math.Max(limits.Min, limits.Max ?? 0)}", offset);
        }
        if (limits.Max is { } max && limits.Min > max)
        {
            throw ModuleFormatException.Invalid($"size minimum must not be greater than maximum: memory limits {limits.Min} > {max}", offset);
        }
    }

    private static void CheckElementSegment(Module module, FunctionValidator validator, ElementSegment segment)
    {
        CheckValueType(module, segment.Type, segment.Position);
        foreach (var item in segment.Items)
        {
            validator.ValidateConstExpr(item, segment.Type);
        }
        if (segment.Mode != SegmentMode.Active)
        {
            return;
        }
        if (segment.TableIndex >= (uint)module.Tables.Length)
        {
            throw ModuleFormatException.Invalid($"unknown table {segment.TableIndex}", segment.Position);
        }
        validator.ValidateConstExpr(segment.Offset, module.Tables[(int)segment.TableIndex].Limits.AddressType);
        var tableType = module.Tables[(int)segment.TableIndex].ElementType;
        if (!module.Matches(segment.Type, tableType))
        {
            throw ModuleFormatException.Invalid($"type mismatch: segment of {segment.Type.Name()} for a table of {tableType.Name()}", segment.Position);
        }
    }

    private static void CheckExports(Module module)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var export in module.Exports)
        {
            var (space, count) = export.Kind switch
            {
                ExternalKind.Function => ("function", module.FunctionTypeIndices.Length),
                ExternalKind.Table => ("table", module.Tables.Length),
                ExternalKind.Memory => ("memory", module.Memories.Length),
                ExternalKind.Tag => ("tag", module.Tags.Length),
                _ => ("global", module.Globals.Length),
            };
            if (export.Index >= (uint)count)
            {
                throw ModuleFormatException.Invalid($"unknown {space} {export.Index}", export.Offset);
            }
            if (!names.Add(export.Name))
            {
                throw ModuleFormatException.Invalid($"duplicate export name \"{export.Name}\"", export.Offset);
            }
        }
    }
}
