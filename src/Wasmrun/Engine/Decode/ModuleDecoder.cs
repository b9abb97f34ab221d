// Decodes a binary module (spec 5.5) into a Module: sections in order, sizes checked, constant expressions parsed for
// syntax (opcodes, immediates, block nesting). Function bodies are only delimited: the validator reads them once, and
// asks CheckBodies for the reference decoder's error when one fails. Typing is the validator's job.
// Reading follows the reference decoder: section contents are read from the one stream and their sizes checked
// after, so the first error found, and its wording, match the spec tests.
using System.Collections.Immutable;

namespace Wasmrun.Engine.Decode;

internal sealed class ModuleDecoder
{
    private const uint Magic = 0x6D736100;
    private const uint Version = 1;

    private readonly byte[] bytes;
    private readonly WasmReader reader;
    private readonly InstructionReader instructions;
    private Instruction instruction;

    private readonly List<SectionInfo> sections = [];
    private ImmutableArray<FuncType> types = [];
    private ImmutableArray<TypeDeclaration> declarations = [];
    private readonly List<Import> imports = [];
    private readonly List<ConstExpr?> tableInitializers = [];
    private readonly List<uint> functionTypes = [];
    private readonly List<TableType> tables = [];
    private readonly List<MemoryType> memories = [];
    private readonly List<GlobalType> globals = [];
    private ImmutableArray<ConstExpr> globalInitializers = [];
    private ImmutableArray<Export> exports = [];
    private uint? start;
    private ImmutableArray<ElementSegment> elements = [];
    private uint? dataCount;
    private ImmutableArray<FunctionBody> bodies = [];
    private ImmutableArray<DataSegment> data = [];
    private readonly List<CustomSection> customSections = [];
    private NameSection names = NameSection.None;
    private int importedFunctions, importedTables, importedMemories, importedGlobals, importedTags;
    private readonly List<uint> tags = [];

    /// <summary>Where the section being read ends.</summary>
    private int sectionEnd;
    private readonly WasmFeatures features;

    private ModuleDecoder(byte[] bytes, WasmFeatures features = WasmFeatures.Wasm30)
    {
        this.bytes = bytes;
        this.features = features;
        reader = new WasmReader(bytes) { TypedReferences = features.HasFlag(WasmFeatures.TypedReferences) };
        instructions = new InstructionReader(reader, features);
    }

    /// <summary>Decodes the module as <paramref name="features"/> encode it. The array becomes the module's: the caller
    /// must not change it afterwards.</summary>
    public static Module Decode(byte[] bytes, WasmFeatures features = WasmFeatures.Wasm30)
    {
        try
        {
            return new ModuleDecoder(bytes, features).DecodeModule();
        }
        catch (ModuleFormatException error)
        {
            throw error.In(input: bytes);
        }
    }

    /// <summary>The reference decoder's errors in function bodies (instruction syntax, block nesting, a body's end
    /// past its size, a data index without the data count section), which come before any validation error. The
    /// validator calls it when it fails, so a module malformed in a body reports that, whatever it found first.
    /// Bodies are read as <paramref name="features"/> encode instructions.</summary>
    public static void CheckBodies(Module module, WasmFeatures features)
    {
        var bytes = WasmReader.ArrayOf(module);
        try
        {
            new ModuleDecoder(bytes, features).CheckBodySyntax(module.Bodies, module.ImportedFunctionCount, module.DataCount);
        }
        catch (ModuleFormatException error)
        {
            throw error.In(input: bytes);
        }
    }

    /// <summary>Reads each body's instructions to its `end`, past the body's size if it must (as the reference
    /// decoder does: a body missing its `end` then reports the section size).</summary>
    private void CheckBodySyntax(ImmutableArray<FunctionBody> functionBodies, int importedFunctionCount, uint? declaredDataCount)
    {
        reader.End = bytes.Length;
        var usesDataIndex = false;
        for (var i = 0; i < functionBodies.Length; i++)
        {
            var body = functionBodies[i];
            try
            {
                reader.Position = body.CodeStart;
                usesDataIndex |= SkipExpression();
                if (reader.Position != body.End)
                {
                    throw ModuleFormatException.Malformed("section size mismatch", body.Offset);
                }
            }
            catch (ModuleFormatException error)
            {
                throw error.In(SectionId.Code, (uint)(importedFunctionCount + i));
            }
        }
        if (usesDataIndex && declaredDataCount is null)
        {
            throw ModuleFormatException.Malformed("data count section required", bytes.Length);
        }
    }

    private Module DecodeModule()
    {
        ReadHeader();
        var lastRank = 0;
        var section = SectionId.Custom;
        try
        {
            while (!reader.AtEnd)
            {
                var idOffset = reader.Position;
                var id = reader.ReadByte();
                if (id > SectionIds.Max || (id == (byte)SectionId.Tag && !features.HasFlag(WasmFeatures.Exceptions)))
                {
                    throw ModuleFormatException.Malformed("malformed section id", idOffset);
                }
                section = (SectionId)id;
                if (section == SectionId.Custom)
                {
                    ReadCustomSection(idOffset);
                    continue;
                }
                if (section.Rank() <= lastRank)
                {
                    // The reference decoder reads sections in their one order and stops at the first it does not expect.
                    throw ModuleFormatException.Malformed("unexpected content after last section", idOffset);
                }
                lastRank = section.Rank();
                var size = reader.ReadLength();
                var contentStart = reader.Position;
                sections.Add(new SectionInfo(section, null, idOffset, contentStart, size));
                sectionEnd = contentStart + size;
                ReadSection(section);
                if (reader.Position != contentStart + size)
                {
                    throw ModuleFormatException.Malformed("section size mismatch", contentStart);
                }
            }
        }
        catch (ModuleFormatException error)
        {
            // The reference decoder reads each body as the code section comes: a malformed body is the error, not a
            // problem found later in the data section.
            if (!bodies.IsEmpty)
            {
                CheckBodySyntax(bodies, importedFunctions, dataCount);
            }
            throw error.In(section);
        }

        if (functionTypes.Count - importedFunctions != bodies.Length)
        {
            throw ModuleFormatException.Malformed("function and code section have inconsistent lengths", bytes.Length);
        }
        if (dataCount is { } count && count != data.Length)
        {
            throw ModuleFormatException.Malformed("data count and data section have inconsistent lengths", bytes.Length);
        }
        return Build();
    }

    private void ReadHeader()
    {
        const string end = "unexpected end of file: a WebAssembly module starts with 8 header bytes";
        if (bytes.Length < 4)
        {
            throw ModuleFormatException.Malformed(end, bytes.Length);
        }
        if (reader.ReadFixedU32() != Magic)
        {
            throw ModuleFormatException.Malformed("magic header not detected", 0);
        }
        if (bytes.Length < 8)
        {
            throw ModuleFormatException.Malformed(end, bytes.Length);
        }
        if (reader.ReadFixedU32() != Version)
        {
            throw ModuleFormatException.Malformed("unknown binary version", 4);
        }
    }

    private void ReadSection(SectionId section)
    {
        switch (section)
        {
            case SectionId.Type:
                ReadTypeSection();
                break;
            case SectionId.Import:
                ReadVector(ReadImport);
                break;
            case SectionId.Function:
                ReadVector(() => { functionTypes.Add(reader.ReadU32()); return 0; });
                break;
            case SectionId.Table:
                ReadVector(() => { ReadTable(); return 0; });
                break;
            case SectionId.Memory:
                ReadVector(() => { memories.Add(new MemoryType(ReadLimits())); return 0; });
                break;
            case SectionId.Tag:
                ReadVector(() => { tags.Add(ReadTagType()); return 0; });
                break;
            case SectionId.Global:
                globalInitializers = ReadVector(() =>
                {
                    globals.Add(ReadGlobalType());
                    return ReadConstExpr();
                });
                break;
            case SectionId.Export:
                exports = ReadVector(ReadExport);
                break;
            case SectionId.Start:
                start = reader.ReadU32();
                break;
            case SectionId.Element:
                elements = ReadVector(ReadElementSegment);
                break;
            case SectionId.DataCount:
                dataCount = reader.ReadU32();
                break;
            case SectionId.Code:
                bodies = ReadVector(ReadBody);
                break;
            case SectionId.Data:
                data = ReadVector(ReadDataSegment);
                break;
        }
    }

    /// <summary>A vector (spec 5.1.3): its length is checked against the remaining bytes before anything is allocated.</summary>
    private ImmutableArray<T> ReadVector<T>(Func<T> readItem)
    {
        var count = reader.ReadLength();
        // Start small: the length is only known to fit the remaining bytes, and an item takes at least one of them.
        var items = ImmutableArray.CreateBuilder<T>(Math.Min(count, 1024));
        for (var i = 0; i < count; i++)
        {
            items.Add(readItem());
        }
        return items.DrainToImmutable();
    }

    /// <summary>The type section: a vector of recursive type groups (3.0; in 2.0 each entry is one function type).
    /// A group is `0x4E vec(subtype)` or one subtype; a subtype is `0x50`/`0x4F` (open/final) with its supertypes and
    /// a composite type, or a composite type alone (final, no supertype).</summary>
    private void ReadTypeSection()
    {
        var groups = reader.ReadLength();
        var typeList = ImmutableArray.CreateBuilder<FuncType>(Math.Min(groups, 1024));
        var declarationList = ImmutableArray.CreateBuilder<TypeDeclaration>(Math.Min(groups, 1024));
        for (var group = 0; group < groups; group++)
        {
            var start = typeList.Count;
            var size = 1;
            if (features.HasFlag(WasmFeatures.TypedReferences) && reader.PeekByte() == 0x4E)
            {
                reader.Position++;
                size = reader.ReadLength();
            }
            for (var i = 0; i < size; i++)
            {
                var (final, super) = ReadSubtypeHeader();
                typeList.Add(ReadFuncType());
                declarationList.Add(new TypeDeclaration(start, size, final, super));
            }
        }
        types = typeList.DrainToImmutable();
        declarations = declarationList.DrainToImmutable();
    }

    private (bool Final, uint? Super) ReadSubtypeHeader()
    {
        var code = reader.PeekByte();
        if (!features.HasFlag(WasmFeatures.TypedReferences) || code is not (0x50 or 0x4F))
        {
            return (true, null);
        }
        reader.Position++;
        var at = reader.Position;
        var supers = ReadVector(reader.ReadU32);
        return supers.Length switch
        {
            0 => (code == 0x4F, null),
            1 => (code == 0x4F, supers[0]),
            _ => throw ModuleFormatException.Invalid("multiple supertypes", at),
        };
    }

    private FuncType ReadFuncType()
    {
        var at = reader.Position;
        if (reader.ReadTypeCode() != 0x60)
        {
            throw ModuleFormatException.Malformed("malformed function type", at);
        }
        var parameters = ReadVector(reader.ReadValType);
        var results = ReadVector(reader.ReadValType);
        return parameters.IsEmpty && results.IsEmpty ? FuncType.Empty : new FuncType(parameters, results);
    }

    private Import ReadImport()
    {
        var at = reader.Position;
        var moduleName = reader.ReadName();
        var name = reader.ReadName();
        var kindOffset = reader.Position;
        var kind = reader.ReadByte();
        switch (kind)
        {
            case (byte)ExternalKind.Function:
                importedFunctions++;
                var typeIndex = reader.ReadU32();
                functionTypes.Add(typeIndex);
                return Add(new Import(moduleName, name, ExternalKind.Function, at) { TypeIndex = typeIndex });
            case (byte)ExternalKind.Table:
                importedTables++;
                var table = ReadTableType();
                tables.Add(table);
                return Add(new Import(moduleName, name, ExternalKind.Table, at) { Table = table });
            case (byte)ExternalKind.Memory:
                importedMemories++;
                var memory = new MemoryType(ReadLimits());
                memories.Add(memory);
                return Add(new Import(moduleName, name, ExternalKind.Memory, at) { Memory = memory });
            case (byte)ExternalKind.Global:
                importedGlobals++;
                var global = ReadGlobalType();
                globals.Add(global);
                return Add(new Import(moduleName, name, ExternalKind.Global, at) { Global = global });
            case (byte)ExternalKind.Tag when features.HasFlag(WasmFeatures.Exceptions):
                importedTags++;
                var tagType = ReadTagType();
                tags.Add(tagType);
                return Add(new Import(moduleName, name, ExternalKind.Tag, at) { TypeIndex = tagType });
            default:
                throw ModuleFormatException.Malformed("malformed import kind", kindOffset);
        }

        Import Add(Import import)
        {
            imports.Add(import);
            return import;
        }
    }

    /// <summary>A table of the table section: its type, or (3.0) `0x40 0x00`, its type and an initialiser expression
    /// every element starts as (a table of non-nullable references needs one).</summary>
    private void ReadTable()
    {
        ConstExpr? initializer = null;
        if (features.HasFlag(WasmFeatures.TypedReferences) && reader.PeekByte() == 0x40)
        {
            reader.Position++;
            var at = reader.Position;
            if (reader.ReadByte() != 0x00)
            {
                throw ModuleFormatException.Malformed("malformed table", at);
            }
            var type = ReadTableType();
            tables.Add(type);
            initializer = ReadConstExpr();
        }
        else
        {
            tables.Add(ReadTableType());
        }
        tableInitializers.Add(initializer);
    }

    private TableType ReadTableType()
    {
        var elementType = reader.ReadRefType();
        return new TableType(elementType, ReadLimits());
    }

    /// <summary>Limits (spec 5.3.7): in 2.0 a one-bit flag (max present) and u32 bounds; in 3.0 a flags byte, bit 0 for
    /// the max and bit 2 for 64-bit limits (memory64), and u64 bounds, which validation checks against the address
    /// type.</summary>
    private Limits ReadLimits()
    {
        if (!features.HasFlag(WasmFeatures.Memory64))
        {
            var hasMax = reader.ReadFlag();
            var min = reader.ReadU32();
            return new Limits(min, hasMax ? reader.ReadU32() : null);
        }
        var at = reader.Position;
        var flags = reader.ReadByte();
        if (flags is not (0 or 1 or 4 or 5))
        {
            throw ModuleFormatException.Malformed("malformed limits flags", at);
        }
        var minimum = reader.ReadU64();
        return new Limits(minimum, (flags & 1) != 0 ? reader.ReadU64() : null, (flags & 4) != 0);
    }

    /// <summary>A tag type (spec 5.5.7): attribute 0 (an exception), then the type index of its parameters.</summary>
    private uint ReadTagType()
    {
        var at = reader.Position;
        if (reader.ReadByte() != 0)
        {
            throw ModuleFormatException.Malformed("malformed tag attribute", at);
        }
        return reader.ReadU32();
    }

    private GlobalType ReadGlobalType()
    {
        var type = reader.ReadValType();
        var at = reader.Position;
        return reader.ReadByte() switch
        {
            0 => new GlobalType(type, false),
            1 => new GlobalType(type, true),
            _ => throw ModuleFormatException.Malformed("malformed mutability", at),
        };
    }

    private Export ReadExport()
    {
        var at = reader.Position;
        var name = reader.ReadName();
        var kindOffset = reader.Position;
        var kind = reader.ReadByte();
        if (kind > (byte)(features.HasFlag(WasmFeatures.Exceptions) ? ExternalKind.Tag : ExternalKind.Global))
        {
            throw ModuleFormatException.Malformed("malformed export kind", kindOffset);
        }
        return new Export(name, (ExternalKind)kind, reader.ReadU32(), at);
    }

    private ElementSegment ReadElementSegment()
    {
        // spec 5.5.10: bit 0 = passive or declarative, bit 1 = explicit table index (active) or declarative,
        // bit 2 = element expressions instead of function indices.
        var at = reader.Position;
        var flags = reader.ReadU32();
        if (flags > 7)
        {
            throw ModuleFormatException.Malformed("malformed elements segment kind", at);
        }
        var mode = (flags & 1) == 0 ? SegmentMode.Active : (flags & 2) == 0 ? SegmentMode.Passive : SegmentMode.Declarative;
        var tableIndex = mode == SegmentMode.Active && (flags & 2) != 0 ? reader.ReadU32() : 0;
        var offset = mode == SegmentMode.Active ? ReadConstExpr() : default;
        var usesExpressions = (flags & 4) != 0;
        // Function indices are never null: in 3.0 their segment holds (ref func).
        var type = !usesExpressions && features.HasFlag(WasmFeatures.TypedReferences) ? ValType.Ref(HeapKind.Func, nullable: false) : ValType.FuncRef;
        if (flags is not (0 or 4))
        {
            if (usesExpressions)
            {
                type = reader.ReadRefType();
            }
            else
            {
                var kindOffset = reader.Position;
                if (reader.ReadByte() != 0)
                {
                    throw ModuleFormatException.Malformed("malformed element kind", kindOffset);
                }
            }
        }
        var items = usesExpressions ? ReadVector(ReadConstExpr) : ReadVector(ReadFunctionIndexItem);
        return new ElementSegment(mode, tableIndex, offset, type, items, at);
    }

    private ConstExpr ReadFunctionIndexItem()
    {
        var at = reader.Position;
        return ConstExpr.FunctionIndex(reader.ReadU32(), at);
    }

    private DataSegment ReadDataSegment()
    {
        var at = reader.Position;
        var flags = reader.ReadU32();
        if (flags > 2)
        {
            throw ModuleFormatException.Malformed("malformed data segment kind", at);
        }
        var memoryIndex = flags == 2 ? reader.ReadU32() : 0;
        var offset = flags != 1 ? ReadConstExpr() : default;
        var length = reader.ReadLength();
        var dataStart = reader.Position;
        reader.ReadBytes(length);
        return new DataSegment(flags == 1 ? SegmentMode.Passive : SegmentMode.Active, memoryIndex, offset, dataStart, length, at);
    }

    private FunctionBody ReadBody()
    {
        var size = reader.ReadLength();
        var bodyStart = reader.Position;
        var function = (uint)(importedFunctions + bodies.Length);
        try
        {
            var localsOffset = reader.Position;
            var locals = ReadVector(() => new LocalRun(reader.ReadU32(), reader.ReadValType()));
            ulong localCount = 0;
            foreach (var run in locals)
            {
                localCount += run.Count;
            }
            if (localCount > uint.MaxValue)
            {
                throw ModuleFormatException.Malformed("too many locals", localsOffset);
            }
            // The instructions are read once, by the validator; CheckBodies reads them here only when it fails (a
            // pass on every load cost Python's start-up 8% of its decoding, validation and translation time).
            var codeStart = reader.Position;
            var end = bodyStart + size;
            if (codeStart > end)
            {
                throw ModuleFormatException.Malformed("section size mismatch", bodyStart);
            }
            if (end > reader.End)
            {
                throw ModuleFormatException.Malformed(WasmReader.UnexpectedEnd, reader.End);
            }
            reader.Position = end;
            return new FunctionBody(bodyStart, locals, localCount, codeStart, end);
        }
        catch (ModuleFormatException error)
        {
            throw error.In(SectionId.Code, function);
        }
    }

    /// <summary>A constant expression: decoded for syntax here; whether it is constant and well-typed is validation.</summary>
    private ConstExpr ReadConstExpr()
    {
        // A constant expression that runs past its section lacks its `end` (the reference decoder's words:
        // "unexpected end of section or function"); other reads past a section's end report what they find there.
        // A section's size may claim more bytes than the module has; the module's end is then the end.
        reader.End = Math.Min(sectionEnd, bytes.Length);
        try
        {
            return ReadBoundedConstExpr();
        }
        finally
        {
            reader.End = bytes.Length;
        }
    }

    private ConstExpr ReadBoundedConstExpr()
    {
        var exprStart = reader.Position;
        instructions.Read(ref instruction);
        var first = instruction;
        var afterFirst = reader.Position;
        if (first.Opcode != Opcode.End)
        {
            reader.Position = exprStart;
            SkipExpression();
        }
        return new ConstExpr(exprStart, reader.Position, first.Opcode, first.Bits, first.Vector, first.Index, first.Type)
        {
            Extended = first.Opcode != Opcode.End && reader.Position != afterFirst + 1,
        };
    }

    /// <summary>Reads instructions through the `end` that closes the expression, checking that blocks nest and that
    /// `else` only follows an `if` (as the reference decoder, "END opcode expected" otherwise). Returns whether a data
    /// index was used.</summary>
    private bool SkipExpression()
    {
        Span<byte> openBlocks = stackalloc byte[64];
        var depth = 0;
        var usesDataIndex = false;
        const byte plainBlock = 0, ifBlock = 1, elseBlock = 2;
        while (true)
        {
            instructions.Read(ref instruction);
            switch (instruction.Opcode)
            {
                case Opcode.Block or Opcode.Loop or Opcode.If or Opcode.TryTable or Opcode.Try:
                    if (depth == openBlocks.Length)
                    {
                        var larger = new byte[depth * 2];
                        openBlocks.CopyTo(larger);
                        openBlocks = larger;
                    }
                    openBlocks[depth++] = instruction.Opcode == Opcode.If ? ifBlock : plainBlock;
                    break;
                case Opcode.Else:
                    if (depth == 0 || openBlocks[depth - 1] != ifBlock)
                    {
                        throw ModuleFormatException.Malformed("END opcode expected", instruction.Offset);
                    }
                    openBlocks[depth - 1] = elseBlock;
                    break;
                case Opcode.End or Opcode.Delegate:
                    if (depth == 0)
                    {
                        return usesDataIndex;
                    }
                    depth--;
                    break;
                case Opcode.MemoryInit or Opcode.DataDrop:
                    usesDataIndex = true;
                    break;
            }
        }
    }

    private void ReadCustomSection(int idOffset)
    {
        var size = reader.ReadLength();
        var contentStart = reader.Position;
        var custom = reader.Slice(contentStart, contentStart + size, "unexpected end");
        var name = custom.ReadName();
        if (contentStart + size > reader.End)
        {
            throw ModuleFormatException.Malformed("unexpected end", reader.End);
        }
        sections.Add(new SectionInfo(SectionId.Custom, name, idOffset, contentStart, size));
        customSections.Add(new CustomSection(name, idOffset, custom.Position, contentStart + size - custom.Position));
        if (name == "name" && names == NameSection.None)
        {
            names = NameSectionReader.Read(custom);
        }
        reader.Position = contentStart + size;
    }

    private Module Build() => new()
    {
        Bytes = bytes,
        Sections = [.. sections],
        Types = types,
        Declarations = declarations,
        Imports = [.. imports],
        FunctionTypeIndices = [.. functionTypes],
        Tables = [.. tables],
        Memories = [.. memories],
        Globals = [.. globals],
        Tags = [.. tags],
        GlobalInitializers = globalInitializers,
        TableInitializers = [.. tableInitializers],
        Exports = exports,
        StartFunction = start,
        Elements = elements,
        DataCount = dataCount,
        Bodies = bodies,
        Data = data,
        CustomSections = [.. customSections],
        Names = names,
        ImportedFunctionCount = importedFunctions,
        ImportedTableCount = importedTables,
        ImportedMemoryCount = importedMemories,
        ImportedGlobalCount = importedGlobals,
        ImportedTagCount = importedTags,
    };
}
