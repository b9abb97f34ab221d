// Reads one module of the text format (spec 6.6) and encodes it in the binary format (spec 5), which the decoder and
// validator then check like any .wasm: the text adds names and abbreviations, never other semantics. Two passes over
// the module's fields: the first gives every $id its index (definitions may be used before they appear) and reads the
// explicit types; the second encodes each field into its section, appending the types that inline type uses imply.
using System.Collections.Immutable;

namespace Wasmrun.Engine.Text;

internal sealed partial class TextModuleParser
{
    private readonly TokenReader reader;
    private readonly IndexSpace typeSpace = new("type", "type"), functionSpace = new("func", "function"), tableSpace = new("table", "table"),
        memorySpace = new("memory", "memory"), globalSpace = new("global", "global"), elemSpace = new("elem", "elem segment"),
        dataSpace = new("data", "data segment"), tagSpace = new("tag", "tag");

    private readonly List<FuncType> types = [];
    private readonly List<TypeDeclaration> declarations = [];
    private readonly Dictionary<FuncType, int> firstTypeIndex = [];

    private readonly WasmWriter imports = new(), functions = new(), tables = new(), memories = new(), tags = new(), globals = new(),
        exports = new(), elements = new(), code = new(), data = new();

    private uint importCount, functionCount, tableCount, memoryCount, tagCount, globalCount, exportCount, elementCount, dataCount;
    private uint? start;
    private bool usesDataIndex;

    // The `name` section (spec 7.4): the module's, the functions' and the locals' $ids, so backtraces, inspect and the
    // printer show the names the text gave.
    private string? moduleName;
    private TextAnnotations annotations = null!;

    // Function names from @name annotations, over their $ids; branch hints by function: (offset in its body, hint).
    private readonly Dictionary<uint, string> annotatedFunctionNames = [];
    private readonly SortedDictionary<uint, List<(int Offset, byte Hint)>> branchHints = [];
    private readonly SortedDictionary<uint, List<(uint Index, string Name)>> localNames = [];

    /// <summary>Which language the text is read as: 3.0's numbers and wording where 2.0's differ (the 2.0 suite calls
    /// some 3.0 text malformed).</summary>
    private readonly WasmFeatures features;

    /// <summary>The width of limits, memarg offsets and alignments: 64 bits with memory64 (3.0), 32 in 2.0.</summary>
    private int MemArgBits => features.HasFlag(WasmFeatures.Memory64) ? 64 : 32;

    private TextModuleParser(TokenReader reader, WasmFeatures features)
    {
        this.reader = reader;
        this.features = features;
    }

    /// <summary>A whole .wat file: one `(module ...)`, or the module's fields alone (spec 6.6.14 abbreviation).</summary>
    public static byte[] ParseFile(string text, WasmFeatures features = WasmFeatures.Wasm30)
    {
        var reader = TokenReader.Of(text);
        byte[] bytes;
        if (reader.IsOpen("module"))
        {
            reader.Position += 2;
            bytes = ParseFields(reader, reader.OptionalId(), features);
            reader.Expect(TokenKind.RightParen);
        }
        else
        {
            bytes = ParseFields(reader, features: features);
        }
        if (reader.Kind != TokenKind.End)
        {
            throw reader.Unexpected();
        }
        return bytes;
    }

    /// <summary>The fields from the reader's position to the `)` or end that closes them (not taken); the module's
    /// $id, when it has one, names it in the name section.</summary>
    public static byte[] ParseFields(TokenReader reader, string? moduleId = null, WasmFeatures features = WasmFeatures.Wasm30)
    {
        var parser = new TextModuleParser(reader, features) { moduleName = moduleId };
        var fieldsStart = reader.Position;
        parser.Declare();
        parser.annotations = TextAnnotations.Read(reader, fieldsStart, reader.Position);
        parser.moduleName = parser.annotations.ModuleName ?? parser.moduleName;
        reader.Position = fieldsStart;
        parser.Encode();
        if (parser.annotations.BranchHints.Count > 0)
        {
            // A hint that no if or br_if took.
            throw new TextFormatException("@metadata.code.branch_hint annotation: invalid target", reader.Text,
                reader.Annotations.First(a => parser.annotations.BranchHints.ContainsKey(a.TokenIndex) && a.Id == "metadata.code.branch_hint").Start);
        }
        return parser.Assemble();
    }

    // --- Pass 1: ids and explicit types ---

    private void Declare()
    {
        DeclareTypeIds();
        var defined = new bool[5];
        while (reader.Kind == TokenKind.LeftParen)
        {
            var open = reader.Position;
            var keyword = reader.OpenKeyword();
            if (keyword.IsEmpty)
            {
                reader.Position++;
                throw reader.Unexpected();
            }
            reader.Position += 2;
            switch (keyword)
            {
                case "type":
                    DeclareType(types.Count, 1);
                    break;
                case "rec" when TypedReferences:
                    DeclareRecursiveGroup();
                    break;
                case "import":
                    reader.Name();
                    reader.Name();
                    var descriptor = reader.OpenKeyword();
                    if (reader.Kind != TokenKind.LeftParen)
                    {
                        throw reader.Unexpected();
                    }
                    var kind = KindOf(descriptor);
                    reader.Position += 2;
                    DeclareImport(kind, defined, reader.Tokens[open].Start);
                    break;
                case "func" or "table" or "memory" or "global" or "tag":
                    var space = KindOf(keyword);
                    var at = reader.Current.Start;
                    var id = reader.OptionalId();
                    Space(space).Define(id, reader.Text, at);
                    while (reader.IsOpen("export"))
                    {
                        reader.SkipTo(reader.Position);
                    }
                    if (reader.IsOpen("import"))
                    {
                        CheckImportOrder(defined, reader.Current.Start);
                    }
                    else
                    {
                        defined[(int)space] = true;
                        DeclareInlineSegment(space);
                    }
                    break;
                case "elem":
                    elemSpace.Define(reader.OptionalId(), reader.Text, reader.Tokens[open + 2].Start);
                    break;
                case "data":
                    dataSpace.Define(reader.OptionalId(), reader.Text, reader.Tokens[open + 2].Start);
                    break;
                case "export" or "start":
                    break;
                default:
                    // A word that names no field: the spec's lexer knows no such keyword.
                    throw new TextFormatException($"unknown operator {keyword}", reader.Text, reader.Tokens[open + 1].Start);
            }
            reader.SkipTo(open);
        }
        if (reader.Kind != TokenKind.RightParen && reader.Kind != TokenKind.End)
        {
            throw reader.Unexpected();
        }
    }

    /// <summary>Pass 0: every type's $id, so that a type may name any other (the members of a recursive group name
    /// each other, 3.0).</summary>
    private void DeclareTypeIds()
    {
        var start = reader.Position;
        while (reader.Kind == TokenKind.LeftParen)
        {
            var open = reader.Position;
            if (reader.IsOpen("type"))
            {
                reader.Position += 2;
                typeSpace.Define(reader.OptionalId(), reader.Text, reader.Tokens[open + 2].Start);
            }
            else if (reader.IsOpen("rec"))
            {
                reader.Position += 2;
                while (reader.IsOpen("type"))
                {
                    var member = reader.Position;
                    reader.Position += 2;
                    typeSpace.Define(reader.OptionalId(), reader.Text, reader.Tokens[member + 2].Start);
                    reader.SkipTo(member);
                }
            }
            else if (reader.OpenKeyword().IsEmpty)
            {
                break;
            }
            reader.SkipTo(open);
        }
        reader.Position = start;
    }

    /// <summary>`(type $id? (func ...))`, or (3.0) `(type $id? (sub final? $super* (func ...)))`, as a recursive
    /// group of its own or as a member of the group of <paramref name="groupSize"/> types from <paramref name="groupStart"/>.</summary>
    private void DeclareType(int groupStart, int groupSize)
    {
        reader.OptionalId();
        var final = true;
        uint? super = null;
        var subtype = TypedReferences && reader.IsOpen("sub");
        if (subtype)
        {
            reader.Position += 2;
            final = reader.IsAtom("final");
            if (final)
            {
                reader.Position++;
            }
            if (reader.IsId || reader.IsNatural)
            {
                super = typeSpace.Resolve(reader);
            }
            if (reader.IsId || reader.IsNatural)
            {
                throw new TextFormatException("multiple supertypes", reader.Text, reader.Current.Start);
            }
        }
        reader.ExpectOpen("func");
        var (parameters, results, _) = Signature(allowNames: true);
        reader.Expect(TokenKind.RightParen);
        if (subtype)
        {
            reader.Expect(TokenKind.RightParen);
        }
        reader.Expect(TokenKind.RightParen);
        var type = new FuncType(parameters, results);
        // A type use without `(type x)` means the first plain definition: final, no supertype, alone in its group.
        if (final && super is null && groupSize == 1)
        {
            firstTypeIndex.TryAdd(type, types.Count);
        }
        types.Add(type);
        declarations.Add(new TypeDeclaration(groupStart, groupSize, final, super));
    }

    /// <summary>`(rec (type ...)*)` (3.0): one recursive type group.</summary>
    private void DeclareRecursiveGroup()
    {
        var groupStart = types.Count;
        var first = reader.Position;
        var size = 0;
        while (reader.IsOpen("type"))
        {
            reader.SkipTo(reader.Position);
            size++;
        }
        reader.Position = first;
        for (var i = 0; i < size; i++)
        {
            reader.ExpectOpen("type");
            DeclareType(groupStart, size);
        }
        reader.Expect(TokenKind.RightParen);
    }

    private void DeclareImport(ExternalKind kind, bool[] defined, int importAt)
    {
        var at = reader.Current.Start;
        Space(kind).Define(reader.OptionalId(), reader.Text, at);
        CheckImportOrder(defined, importAt);
    }

    // All imports come before every definition (spec 6.6.13: imports open each index space); the reference
    // interpreter names the first of function, global, table, memory that was defined.
    private void CheckImportOrder(bool[] defined, int importAt)
    {
        foreach (var (kind, word) in ImportOrderWords)
        {
            if (defined[(int)kind])
            {
                throw new TextFormatException($"import after {word}", reader.Text, importAt);
            }
        }
    }

    private static readonly (ExternalKind Kind, string Word)[] ImportOrderWords =
        [(ExternalKind.Function, "function"), (ExternalKind.Global, "global"), (ExternalKind.Table, "table"), (ExternalKind.Memory, "memory"),
            (ExternalKind.Tag, "tag")];

    // `(table ... reftype (elem ...))` and `(memory ... (data ...))` also define a segment.
    private void DeclareInlineSegment(ExternalKind kind)
    {
        if (kind == ExternalKind.Table)
        {
            if (reader.Kind == TokenKind.Atom && !reader.IsNatural)
            {
                reader.Position++;
                if (reader.IsOpen("elem"))
                {
                    elemSpace.Define(null, reader.Text, reader.Current.Start);
                }
            }
        }
        else if (kind == ExternalKind.Memory && reader.IsOpen("data"))
        {
            dataSpace.Define(null, reader.Text, reader.Current.Start);
        }
    }

    private ExternalKind KindOf(ReadOnlySpan<char> keyword) => keyword switch
    {
        "func" => ExternalKind.Function,
        "table" => ExternalKind.Table,
        "memory" => ExternalKind.Memory,
        "global" => ExternalKind.Global,
        "tag" => ExternalKind.Tag,
        _ => throw reader.Unexpected(),
    };

    private IndexSpace Space(ExternalKind kind) => kind switch
    {
        ExternalKind.Function => functionSpace,
        ExternalKind.Table => tableSpace,
        ExternalKind.Memory => memorySpace,
        ExternalKind.Tag => tagSpace,
        _ => globalSpace,
    };

    // --- Pass 2: encoding ---

    private void Encode()
    {
        var startCount = 0;
        while (reader.Kind == TokenKind.LeftParen)
        {
            var open = reader.Position;
            var keyword = reader.OpenKeyword();
            reader.Position += 2;
            switch (keyword)
            {
                case "type" or "rec":
                    reader.SkipTo(open);
                    continue;
                case "import":
                    Import();
                    break;
                case "func":
                    Function();
                    break;
                case "table":
                    Table();
                    break;
                case "memory":
                    Memory();
                    break;
                case "global":
                    Global();
                    break;
                case "tag":
                    DefineTag();
                    break;
                case "export":
                    Export();
                    break;
                case "start":
                    if (++startCount > 1)
                    {
                        throw new TextFormatException("multiple start sections", reader.Text, reader.Tokens[open].Start);
                    }
                    start = functionSpace.Resolve(reader);
                    break;
                case "elem":
                    Element();
                    break;
                default:
                    Data();
                    break;
            }
            reader.Expect(TokenKind.RightParen);
        }
    }

    private byte[] Assemble()
    {
        var module = new WasmWriter(64 + code.Length + data.Length);
        module.Bytes([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00]);
        // Recursive groups (3.0): `0x4E` and the members for a `rec`, a subtype header (`0x50`/`0x4F` and the
        // supertypes) for a type that is open or has one; a plain type is its function type alone, as in 2.0.
        var typeSection = new WasmWriter();
        uint groups = 0;
        for (var i = 0; i < types.Count; i++)
        {
            var declaration = declarations[i];
            if (declaration.GroupStart == i)
            {
                groups++;
                if (declaration.GroupSize != 1)
                {
                    typeSection.Byte(0x4E);
                    typeSection.U32((uint)declaration.GroupSize);
                }
            }
            if (!declaration.Final || declaration.Super is not null)
            {
                typeSection.Byte(declaration.Final ? (byte)0x4F : (byte)0x50);
                typeSection.U32(declaration.Super is null ? 0u : 1u);
                if (declaration.Super is { } super)
                {
                    typeSection.U32(super);
                }
            }
            typeSection.Byte(0x60);
            ValueTypes(typeSection, types[i].Parameters);
            ValueTypes(typeSection, types[i].Results);
        }
        // @custom sections go where their annotations place them: at the start, before or after a section (written
        // or not), or at the end.
        void Customs(SectionId? anchor, bool after)
        {
            foreach (var custom in annotations.CustomSections.Where(c => c.Anchor == anchor && c.After == after))
            {
                module.CustomSection(System.Text.Encoding.UTF8.GetBytes(custom.Name), custom.Content);
            }
        }
        void Place(SectionId id, Action write)
        {
            Customs(id, after: false);
            write();
            Customs(id, after: true);
        }
        Customs(null, after: false);
        Place(SectionId.Type, () => module.Section(SectionId.Type, typeSection, groups));
        Place(SectionId.Import, () => module.Section(SectionId.Import, imports, importCount));
        Place(SectionId.Function, () => module.Section(SectionId.Function, functions, functionCount));
        Place(SectionId.Table, () => module.Section(SectionId.Table, tables, tableCount));
        Place(SectionId.Memory, () => module.Section(SectionId.Memory, memories, memoryCount));
        Place(SectionId.Tag, () => module.Section(SectionId.Tag, tags, tagCount));
        Place(SectionId.Global, () => module.Section(SectionId.Global, globals, globalCount));
        Place(SectionId.Export, () => module.Section(SectionId.Export, exports, exportCount));
        Place(SectionId.Start, () =>
        {
            if (start is { } function)
            {
                module.IndexSection(SectionId.Start, function);
            }
        });
        Place(SectionId.Element, () => module.Section(SectionId.Element, elements, elementCount));
        // The data count section is required by memory.init and data.drop (spec 5.5.16); as other encoders, it is
        // written only for them.
        Place(SectionId.DataCount, () =>
        {
            if (usesDataIndex)
            {
                module.IndexSection(SectionId.DataCount, dataCount);
            }
        });
        BranchHintSection(module);
        Place(SectionId.Code, () => module.Section(SectionId.Code, code, functionCount));
        Place(SectionId.Data, () => module.Section(SectionId.Data, data, dataCount));
        NameSection(module);
        Customs(null, after: true);
        return module.ToArray();
    }

    /// <summary>The branch hints (`metadata.code.branch_hint`, before the code it describes): per function in index
    /// order, each hinted if or br_if by its offset in the function's body, a one-byte value (0 unlikely, 1 likely).</summary>
    private void BranchHintSection(WasmWriter module)
    {
        if (branchHints.Count == 0)
        {
            return;
        }
        var content = new WasmWriter();
        content.U32((uint)branchHints.Count);
        foreach (var (function, hints) in branchHints)
        {
            content.U32(function);
            content.U32((uint)hints.Count);
            foreach (var (offset, hint) in hints.OrderBy(h => h.Offset))
            {
                content.U32((uint)offset);
                content.U32(1);
                content.Byte(hint);
            }
        }
        module.CustomSection(System.Text.Encoding.UTF8.GetBytes(TextAnnotations.BranchHintSection), content.Written);
    }

    /// <summary>Takes the branch hint that precedes the if or br_if at token <paramref name="keyword"/> (`if` or
    /// `br_if`; when folded, the hint is before its `(`).</summary>
    internal byte? TakeBranchHint(int keyword)
    {
        var hints = annotations.BranchHints;
        if (hints.Count == 0)
        {
            return null;
        }
        if (hints.Remove(keyword, out var hint) || (reader.Tokens[keyword - 1].Kind == TokenKind.LeftParen && hints.Remove(keyword - 1, out hint)))
        {
            return hint;
        }
        return null;
    }

    /// <summary>Records a hinted instruction at <paramref name="offset"/> of function <paramref name="function"/>'s body.</summary>
    internal void AddBranchHint(uint function, int offset, byte hint)
    {
        if (!branchHints.TryGetValue(function, out var hints))
        {
            branchHints[function] = hints = [];
        }
        hints.Add((offset, hint));
    }

    private void NameSection(WasmWriter module)
    {
        var functionNames = functionSpace.Names().Where(entry => !annotatedFunctionNames.ContainsKey(entry.Index))
            .Concat(annotatedFunctionNames.Select(entry => (entry.Key, entry.Value))).ToList();
        if (moduleName is null && functionNames.Count == 0 && localNames.Count == 0)
        {
            return;
        }
        var content = new WasmWriter();
        content.Vector("name"u8);
        var subsection = new WasmWriter();
        void Subsection(byte id)
        {
            content.Byte(id);
            content.Vector(subsection.Written);
            subsection.Truncate(0);
        }
        if (moduleName is not null)
        {
            subsection.Vector(System.Text.Encoding.UTF8.GetBytes(moduleName));
            Subsection(0);
        }
        if (functionNames.Count > 0)
        {
            NameMap(subsection, functionNames);
            Subsection(1);
        }
        if (localNames.Count > 0)
        {
            subsection.U32((uint)localNames.Count);
            foreach (var (function, locals) in localNames)
            {
                subsection.U32(function);
                NameMap(subsection, locals);
            }
            Subsection(2);
        }
        module.Byte((byte)SectionId.Custom);
        module.Vector(content.Written);
    }

    private static void NameMap(WasmWriter writer, List<(uint Index, string Name)> names)
    {
        writer.U32((uint)names.Count);
        foreach (var (index, name) in names.OrderBy(entry => entry.Index))
        {
            writer.U32(index);
            writer.Vector(System.Text.Encoding.UTF8.GetBytes(name));
        }
    }

    /// <summary>A function's named parameters and locals, for the name section.</summary>
    private void NameLocals(uint function, Dictionary<string, uint> ids)
    {
        if (ids.Count > 0)
        {
            localNames[function] = [.. ids.Select(entry => (entry.Value, entry.Key))];
        }
    }

    private static void ValueTypes(WasmWriter writer, ImmutableArray<ValType> valueTypes)
    {
        writer.U32((uint)valueTypes.Length);
        foreach (var type in valueTypes)
        {
            writer.Type(type);
        }
    }

    private void Import()
    {
        var module = reader.Name();
        var name = reader.Name();
        if (reader.Kind != TokenKind.LeftParen)
        {
            throw reader.Unexpected();
        }
        var kind = KindOf(reader.OpenKeyword());
        reader.Position += 2;
        reader.OptionalId();
        Space(kind).Next();
        ImportDescriptor(module, name, kind);
        reader.Expect(TokenKind.RightParen);
    }

    // What follows the kind keyword and id of an import, in either form (`(import "m" "n" (func ...))` or inline).
    private void ImportDescriptor(byte[] module, byte[] name, ExternalKind kind)
    {
        imports.Vector(module);
        imports.Vector(name);
        imports.Byte((byte)kind);
        importCount++;
        switch (kind)
        {
            case ExternalKind.Function:
                imports.U32((uint)TypeUse(out _));
                break;
            case ExternalKind.Table:
                TableType(imports);
                break;
            case ExternalKind.Memory:
                Limits(imports);
                break;
            case ExternalKind.Tag:
                TagType(imports);
                break;
            default:
                GlobalType(imports);
                break;
        }
    }

    /// <summary>`(export "name")*` of a definition, exporting index <paramref name="index"/>; then an inline import.</summary>
    private bool InlineExportsAndImport(ExternalKind kind, uint index)
    {
        while (reader.IsOpen("export"))
        {
            reader.Position += 2;
            exports.Vector(reader.Name());
            exports.Byte((byte)kind);
            exports.U32(index);
            exportCount++;
            reader.Expect(TokenKind.RightParen);
        }
        if (!reader.IsOpen("import"))
        {
            return false;
        }
        reader.Position += 2;
        var module = reader.Name();
        var name = reader.Name();
        reader.Expect(TokenKind.RightParen);
        ImportDescriptor(module, name, kind);
        return true;
    }

    private void Export()
    {
        var name = reader.Name();
        if (reader.Kind != TokenKind.LeftParen)
        {
            throw reader.Unexpected();
        }
        var kind = KindOf(reader.OpenKeyword());
        reader.Position += 2;
        var index = Space(kind).Resolve(reader);
        reader.Expect(TokenKind.RightParen);
        exports.Vector(name);
        exports.Byte((byte)kind);
        exports.U32(index);
        exportCount++;
    }

    private void Function()
    {
        if (annotations.FieldNames.TryGetValue(reader.Position - 2, out var annotatedName))
        {
            annotatedFunctionNames[functionSpace.Peek()] = annotatedName;
        }
        reader.OptionalId();
        var index = functionSpace.Next();
        if (InlineExportsAndImport(ExternalKind.Function, index))
        {
            return;
        }
        var typeIndex = TypeUse(out var parameterIds);
        functions.U32((uint)typeIndex);
        functionCount++;
        new FunctionBodyParser(this, parameterIds, typeIndex < types.Count ? types[typeIndex].Parameters.Length : parameterIds.Count).Encode(code, index);
    }

    private void Table()
    {
        reader.OptionalId();
        var index = tableSpace.Next();
        if (InlineExportsAndImport(ExternalKind.Table, index))
        {
            return;
        }
        var start = reader.Position;
        var is64 = AddressType();
        if ((reader.Kind == TokenKind.Atom && !reader.IsNatural) || (TypedReferences && reader.IsOpen("ref")))
        {
            // `at? reftype (elem ...)`: a table exactly as large as the segment, and the segment.
            var type = ReferenceType();
            reader.ExpectOpen("elem");
            var segment = new WasmWriter();
            var count = ElementItems(segment, type, allowBareIndices: true, out var functionIndices);
            reader.Expect(TokenKind.RightParen);
            tables.Type(type);
            tables.Byte(is64 ? (byte)0x05 : (byte)0x01);
            tables.U32(count);
            tables.U32(count);
            tableCount++;
            elemSpace.Next();
            var withTable = ActiveElementHeader(index, type, functionIndices);
            ZeroOffset(elements, is64);
            ElementTail(type, functionIndices, count, segment, withTable);
            return;
        }
        reader.Position = start;
        var tableType = new WasmWriter(16);
        TableType(tableType);
        if (reader.Kind == TokenKind.LeftParen)
        {
            // `tabletype expr` (3.0): every element starts as the expression's value.
            tables.Byte(0x40);
            tables.Byte(0x00);
            tables.Bytes(tableType.Written);
            new FunctionBodyParser(this).Expression(tables, single: false);
            tables.Byte(0x0B);
        }
        else
        {
            tables.Bytes(tableType.Written);
        }
        tableCount++;
    }

    private void Memory()
    {
        reader.OptionalId();
        var index = memorySpace.Next();
        if (InlineExportsAndImport(ExternalKind.Memory, index))
        {
            return;
        }
        var start = reader.Position;
        var is64 = AddressType();
        if (reader.IsOpen("data"))
        {
            // `at? (data "...")`: a memory of just enough pages for the bytes, and an active segment at 0.
            reader.Position += 2;
            var bytes = reader.Strings();
            reader.Expect(TokenKind.RightParen);
            var pages = (uint)((bytes.Length + MemoryType.PageSize - 1) / MemoryType.PageSize);
            memories.Byte(is64 ? (byte)0x05 : (byte)0x01);
            memories.U32(pages);
            memories.U32(pages);
            memoryCount++;
            dataSpace.Next();
            DataHeader(active: true, index, memoryNamed: false);
            ZeroOffset(data, is64);
            data.Vector(bytes);
            dataCount++;
            return;
        }
        reader.Position = start;
        Limits(memories);
        memoryCount++;
    }

    private void Global()
    {
        reader.OptionalId();
        var index = globalSpace.Next();
        if (InlineExportsAndImport(ExternalKind.Global, index))
        {
            return;
        }
        GlobalType(globals);
        ConstantExpression(globals);
        globalCount++;
    }

    // `(tag id? (export ..)* (import ..)? typeuse)` (3.0 exception handling).
    private void DefineTag()
    {
        reader.OptionalId();
        var index = tagSpace.Next();
        if (InlineExportsAndImport(ExternalKind.Tag, index))
        {
            return;
        }
        TagType(tags);
        tagCount++;
    }

    // An exception tag's type: attribute 0, then the type index of its parameters.
    private void TagType(WasmWriter writer)
    {
        writer.Byte(0x00);
        writer.U32((uint)TypeUse(out _));
    }

    // spec 6.6.9: `(elem id? (table x)? (offset e) | e  elemlist)`, `(elem id? declare elemlist)`, `(elem id? elemlist)`.
    private void Element()
    {
        reader.OptionalId();
        elemSpace.Next();
        var mode = SegmentMode.Passive;
        uint table = 0;
        var explicitTable = false;
        var offset = new WasmWriter(16);
        if (reader.IsAtom("declare"))
        {
            reader.Position++;
            mode = SegmentMode.Declarative;
        }
        else
        {
            if (reader.IsOpen("table"))
            {
                reader.Position += 2;
                table = tableSpace.Resolve(reader);
                explicitTable = true;
                reader.Expect(TokenKind.RightParen);
            }
            if (Offset(offset))
            {
                mode = SegmentMode.Active;
            }
            else if (explicitTable)
            {
                throw reader.Unexpected();
            }
        }
        // An active segment may list bare function indices (the 1.0 form); the others name their element type.
        var items = new WasmWriter();
        ValType type;
        bool functionIndices;
        uint count;
        if (reader.IsAtom("func"))
        {
            reader.Position++;
            type = ValType.FuncRef;
            functionIndices = true;
            count = FunctionIndices(items);
        }
        else if ((reader.Kind == TokenKind.Atom && !reader.IsNatural && !reader.IsId) || (TypedReferences && reader.IsOpen("ref")))
        {
            type = ReferenceType();
            count = ElementItems(items, type, allowBareIndices: false, out functionIndices);
        }
        else if (mode == SegmentMode.Active)
        {
            type = ValType.FuncRef;
            functionIndices = true;
            count = FunctionIndices(items);
        }
        else
        {
            throw reader.Unexpected();
        }
        switch (mode)
        {
            case SegmentMode.Active:
                var withTable = ActiveElementHeader(table, type, functionIndices, explicitTable);
                elements.Bytes(offset.Written);
                ElementTail(type, functionIndices, count, items, withTable);
                break;
            case SegmentMode.Passive:
                elements.Byte(functionIndices ? (byte)0x01 : (byte)0x05);
                ElementTail(type, functionIndices, count, items, explicitType: true);
                break;
            default:
                elements.Byte(functionIndices ? (byte)0x03 : (byte)0x07);
                ElementTail(type, functionIndices, count, items, explicitType: true);
                break;
        }
    }

    // Flags 0/2 (function indices) and 4/6 (expressions); 2 and 6 carry a table index and the element type: written
    // when the text names a table (even table 0, so printed text keeps a binary's choice) or another type than funcref.
    private bool ActiveElementHeader(uint table, ValType type, bool functionIndices, bool tableNamed = false)
    {
        var withTable = tableNamed || table != 0 || type != ValType.FuncRef;
        elements.Byte((byte)((functionIndices ? 0x00 : 0x04) | (withTable ? 0x02 : 0x00)));
        if (withTable)
        {
            elements.U32(table);
        }
        return withTable;
    }

    private void ElementTail(ValType type, bool functionIndices, uint count, WasmWriter items, bool explicitType)
    {
        if (explicitType)
        {
            // elemkind 0x00 (funcref) for index lists, the reference type for expression lists.
            if (functionIndices)
            {
                elements.Byte(0x00);
            }
            else
            {
                elements.Type(type);
            }
        }
        elements.U32(count);
        elements.Bytes(items.Written);
        elementCount++;
    }

    private uint FunctionIndices(WasmWriter items)
    {
        uint count = 0;
        while (reader.Kind == TokenKind.Atom)
        {
            items.U32(functionSpace.Resolve(reader));
            count++;
        }
        return count;
    }

    // `reftype elemexpr*` where elemexpr is `(item instr*)` or one folded instruction; in a table's inline segment
    // also a list of function indices.
    private uint ElementItems(WasmWriter items, ValType type, bool allowBareIndices, out bool functionIndices)
    {
        functionIndices = allowBareIndices && type == ValType.FuncRef && reader.Kind == TokenKind.Atom;
        if (functionIndices)
        {
            return FunctionIndices(items);
        }
        uint count = 0;
        if (allowBareIndices && reader.Kind == TokenKind.Atom)
        {
            // Function indices in a segment of typed function references (3.0): each is its ref.func expression.
            while (reader.Kind == TokenKind.Atom)
            {
                items.Byte(0xD2);
                items.U32(functionSpace.Resolve(reader));
                items.Byte(0x0B);
                count++;
            }
            return count;
        }
        while (reader.Kind == TokenKind.LeftParen)
        {
            if (reader.IsOpen("item"))
            {
                reader.Position += 2;
                new FunctionBodyParser(this).Expression(items, single: false);
                reader.Expect(TokenKind.RightParen);
            }
            else
            {
                new FunctionBodyParser(this).Expression(items, single: true);
            }
            items.Byte(0x0B);
            count++;
        }
        return count;
    }

    // spec 6.6.10: `(data id? (memory x)? (offset e) | e  string*)` or passive `(data id? string*)`.
    private void Data()
    {
        reader.OptionalId();
        dataSpace.Next();
        uint memory = 0;
        var explicitMemory = false;
        if (reader.IsOpen("memory"))
        {
            reader.Position += 2;
            memory = memorySpace.Resolve(reader);
            explicitMemory = true;
            reader.Expect(TokenKind.RightParen);
        }
        var offset = new WasmWriter(16);
        var active = Offset(offset);
        if (!active && explicitMemory)
        {
            throw reader.Unexpected();
        }
        DataHeader(active, memory, explicitMemory);
        data.Bytes(offset.Written);
        data.Vector(reader.Strings());
        dataCount++;
    }

    // Flags 1 (passive), 0 (active in memory 0) or 2 (active in a named memory: `(memory 0)` written in the text keeps
    // flag 2, as a printed binary had it).
    private void DataHeader(bool active, uint memory, bool memoryNamed)
    {
        if (!active)
        {
            data.Byte(0x01);
        }
        else if (memory == 0 && !memoryNamed)
        {
            data.Byte(0x00);
        }
        else
        {
            data.Byte(0x02);
            data.U32(memory);
        }
    }

    /// <summary>A segment's offset, `(offset instr*)` or one folded instruction, with its `end`; false (nothing
    /// written) when the segment has none.</summary>
    private bool Offset(WasmWriter offset)
    {
        if (reader.IsOpen("offset"))
        {
            reader.Position += 2;
            ConstantExpression(offset);
            reader.Expect(TokenKind.RightParen);
            return true;
        }
        // `(ref ...)` is a segment's element type (3.0), not an offset.
        if (reader.Kind != TokenKind.LeftParen || (TypedReferences && reader.IsOpen("ref")))
        {
            return false;
        }
        new FunctionBodyParser(this).Expression(offset, single: true);
        offset.Byte(0x0B);
        return true;
    }

    // The offset of a table's or memory's inline segment: `i32.const 0` (`i64.const 0` for a 64-bit one), `end`.
    private static void ZeroOffset(WasmWriter writer, bool is64 = false)
    {
        writer.Byte(is64 ? (byte)0x42 : (byte)0x41);
        writer.Byte(0);
        writer.Byte(0x0B);
    }

    private void ConstantExpression(WasmWriter writer)
    {
        new FunctionBodyParser(this).Expression(writer, single: false);
        writer.Byte(0x0B);
    }

    // --- Types ---

    private bool TypedReferences => features.HasFlag(WasmFeatures.TypedReferences);

    /// <summary>Whether a value type starts here: a keyword, or `(ref ...)` (3.0).</summary>
    public bool StartsValueType => reader.Kind == TokenKind.Atom || (TypedReferences && reader.IsOpen("ref"));

    /// <summary>A value type: a keyword, or `(ref null? heaptype)` (3.0).</summary>
    public ValType ValueType()
    {
        var at = reader.Current.Start;
        if (TypedReferences && reader.IsOpen("ref"))
        {
            reader.Position += 2;
            var nullable = reader.Kind == TokenKind.Atom && reader.CurrentSpan is "null";
            if (nullable)
            {
                reader.Position++;
            }
            var type = HeapType(nullable);
            reader.Expect(TokenKind.RightParen);
            return type;
        }
        if (reader.Kind != TokenKind.Atom)
        {
            throw reader.Unexpected();
        }
        var word = reader.Atom();
        return word switch
        {
            "i32" => ValType.I32,
            "i64" => ValType.I64,
            "f32" => ValType.F32,
            "f64" => ValType.F64,
            "v128" => ValType.V128,
            "funcref" => ValType.FuncRef,
            "externref" => ValType.ExternRef,
            "exnref" => ValType.ExnRef,
            _ when TypedReferences && ShorthandHeap(word) is { } heap => ValType.Ref(heap, nullable: true),
            _ => throw new TextFormatException(char.IsAsciiLetterLower(word[0]) ? $"unknown operator {word}" : "unexpected token", reader.Text, at),
        };
    }

    /// <summary>The short names of nullable abstract reference types that 3.0 adds.</summary>
    private static HeapKind? ShorthandHeap(ReadOnlySpan<char> word) => word switch
    {
        "anyref" => HeapKind.Any,
        "eqref" => HeapKind.Eq,
        "i31ref" => HeapKind.I31,
        "structref" => HeapKind.Struct,
        "arrayref" => HeapKind.Array,
        "nullref" => HeapKind.None,
        "nullfuncref" => HeapKind.NoFunc,
        "nullexternref" => HeapKind.NoExtern,
        "nullexnref" => HeapKind.NoExn,
        _ => null,
    };

    public ValType ReferenceType()
    {
        var at = reader.Current.Start;
        var type = ValueType();
        return type.IsReference() ? type : throw new TextFormatException("unexpected token", reader.Text, at);
    }

    /// <summary>A heap type (ref.null's immediate, or inside `(ref ...)`): an abstract one's keyword, or a type by
    /// $id or index (3.0); the result is its reference type.</summary>
    public ValType HeapType(bool nullable = true)
    {
        var at = reader.Current.Start;
        if (TypedReferences && (reader.IsId || reader.IsNatural))
        {
            return ValType.Ref(HeapKind.TypeIndex, typeSpace.Resolve(reader), nullable);
        }
        var heap = reader.Kind == TokenKind.Atom ? ValTypes.AbstractHeap(reader.Atom()) : null;
        return heap is { } known && (TypedReferences || known is HeapKind.Func or HeapKind.Extern or HeapKind.Exn)
            ? ValType.Ref(known, nullable)
            : throw new TextFormatException("unexpected token", reader.Text, at);
    }

    /// <summary>`i32` or `i64` before a memory's or table's limits (3.0): whether it is 64-bit (i32 when absent).</summary>
    private bool AddressType()
    {
        if (reader.Kind == TokenKind.Atom && reader.CurrentSpan is "i32" or "i64")
        {
            return reader.Atom() is "i64";
        }
        return false;
    }

    /// <summary>`at? min max?`: flags (bit 0 a maximum, bit 2 64-bit), then the bounds. 3.0 takes 64-bit bounds for
    /// either address type (one too large for i32 is then invalid, not malformed); 2.0 32-bit ones.</summary>
    private void Limits(WasmWriter writer)
    {
        var is64 = AddressType();
        var wide = MemArgBits == 64;
        var min = wide ? reader.U64() : reader.U32();
        var flags = is64 ? 0x04 : 0x00;
        if (reader.IsNatural)
        {
            writer.Byte((byte)(flags | 0x01));
            writer.U64(min);
            writer.U64(wide ? reader.U64() : reader.U32());
        }
        else
        {
            writer.Byte((byte)flags);
            writer.U64(min);
        }
    }

    private void TableType(WasmWriter writer)
    {
        var limits = new WasmWriter(12);
        Limits(limits);
        writer.Type(ReferenceType());
        writer.Bytes(limits.Written);
    }

    private void GlobalType(WasmWriter writer)
    {
        if (reader.IsOpen("mut"))
        {
            reader.Position += 2;
            writer.Type(ValueType());
            writer.Byte(0x01);
            reader.Expect(TokenKind.RightParen);
            return;
        }
        writer.Type(ValueType());
        writer.Byte(0x00);
    }

    /// <summary>`(param ...)* (result ...)*` with the ids of named parameters (spec 6.4.7, 6.6.5).</summary>
    private (ImmutableArray<ValType> Parameters, ImmutableArray<ValType> Results, List<string?> ParameterIds) Signature(bool allowNames)
    {
        var parameters = ImmutableArray.CreateBuilder<ValType>();
        var results = ImmutableArray.CreateBuilder<ValType>();
        var ids = new List<string?>();
        while (reader.IsOpen("param"))
        {
            reader.Position += 2;
            if (reader.IsId)
            {
                if (!allowNames)
                {
                    throw reader.Unexpected();
                }
                ids.Add(reader.OptionalId());
                parameters.Add(ValueType());
            }
            else
            {
                while (StartsValueType)
                {
                    ids.Add(null);
                    parameters.Add(ValueType());
                }
            }
            reader.Expect(TokenKind.RightParen);
        }
        while (reader.IsOpen("result"))
        {
            reader.Position += 2;
            while (StartsValueType)
            {
                results.Add(ValueType());
            }
            reader.Expect(TokenKind.RightParen);
        }
        if (reader.IsOpen("param"))
        {
            throw reader.Unexpected();
        }
        return (parameters.ToImmutable(), results.ToImmutable(), ids);
    }

    /// <summary>A type use (spec 6.6.3): `(type x)`, its inline signature, or both, which must agree. Without
    /// `(type x)` the first type of that signature is used, appended when there is none.</summary>
    private int TypeUse(out List<string?> parameterIds, bool allowNames = true)
    {
        int? explicitIndex = null;
        if (reader.IsOpen("type"))
        {
            reader.Position += 2;
            explicitIndex = (int)typeSpace.Resolve(reader);
            reader.Expect(TokenKind.RightParen);
        }
        var at = reader.Current.Start;
        var (parameters, results, ids) = Signature(allowNames);
        parameterIds = ids;
        var signature = new FuncType(parameters, results);
        if (explicitIndex is { } index)
        {
            // With a signature written beside it the index must name a type already (a bare index is the validator's).
            if (!parameters.IsEmpty || !results.IsEmpty)
            {
                if (index >= types.Count)
                {
                    throw new TextFormatException("unknown type", reader.Text, at);
                }
                if (!types[index].Equals(signature))
                {
                    throw new TextFormatException("inline function type", reader.Text, at);
                }
            }
            return index;
        }
        return TypeIndexOf(signature);
    }

    /// <summary>The first type index of a signature, appending the signature when the module has none.</summary>
    private int TypeIndexOf(FuncType signature)
    {
        if (!firstTypeIndex.TryGetValue(signature, out var index))
        {
            index = types.Count;
            types.Add(signature);
            declarations.Add(TypeDeclaration.Single(index));
            firstTypeIndex[signature] = index;
        }
        return index;
    }
}

/// <summary>One index space of a module (spec 6.6.1 identifier contexts): the count so far and the $ids.</summary>
internal sealed class IndexSpace(string keyword, string noun)
{
    private readonly Dictionary<string, uint> ids = new(StringComparer.Ordinal);
    private uint declared;
    private uint encoded;

    /// <summary>Pass 1: the next index, bound to <paramref name="id"/> when there is one.</summary>
    public void Define(string? id, string text, int at)
    {
        if (id is not null && !ids.TryAdd(id, declared))
        {
            throw new TextFormatException($"duplicate {keyword}", text, at);
        }
        declared++;
    }

    /// <summary>Pass 2: the index of the next definition (the same order as pass 1).</summary>
    public uint Next() => encoded++;

    /// <summary>Pass 2: the index the next definition will get.</summary>
    public uint Peek() => encoded;

    /// <summary>Every $id with its index.</summary>
    public List<(uint Index, string Name)> Names() => [.. ids.Select(entry => (entry.Value, entry.Key))];

    /// <summary>Takes an index or an $id and returns the index.</summary>
    public uint Resolve(TokenReader reader)
    {
        if (reader.IsId)
        {
            var at = reader.Current.Start;
            var id = reader.OptionalId()!;
            return ids.TryGetValue(id, out var index)
                ? index
                : throw new TextFormatException($"unknown {noun} ${id}", reader.Text, at);
        }
        return reader.U32();
    }
}
