// Instructions of the text format (spec 6.5), flat and folded, encoded as they are read. Folded instructions are
// unfolded with an explicit frame stack rather than recursion, so nesting is bounded by memory, not by the thread's
// stack: a folded operator's encoding waits on a pending stack until its operands have been written.
using System.Collections.Frozen;
using Wasmrun.Engine.Decode;

namespace Wasmrun.Engine.Text;

internal sealed partial class TextModuleParser
{
    private sealed class FunctionBodyParser
    {
        /// <summary>Every instruction's text name, from the opcode table (the untyped `select` wins its name).</summary>
        private static readonly FrozenDictionary<string, Opcode>.AlternateLookup<ReadOnlySpan<char>> Opcodes = BuildOpcodes();

        private readonly TextModuleParser module;
        private readonly TokenReader reader;
        private readonly Dictionary<string, uint> localIds = new(StringComparer.Ordinal);
        private readonly LabelStack labels = new();
        private readonly List<Frame> frames = [];
        private readonly WasmWriter pending = new(64);
        private readonly List<(uint Count, ValType Type)> localRuns = [];
        private uint localCount;

        /// <summary>For constant expressions: no locals.</summary>
        public FunctionBodyParser(TextModuleParser module)
        {
            this.module = module;
            reader = module.reader;
        }

        public FunctionBodyParser(TextModuleParser module, List<string?> parameterIds, int parameterCount)
            : this(module)
        {
            foreach (var id in parameterIds)
            {
                BindLocal(id, reader.Current.Start);
                localCount++;
            }
            localCount = (uint)parameterCount;
        }

        private enum LabelKind : byte
        {
            Block,
            If,
            Else,

            /// <summary>A legacy try before its first catch, then in a catch clause, then in its catch_all.</summary>
            Try,
            Catch,
            CatchAll,
        }

        private readonly record struct Label(string? Id, LabelKind Kind, bool Flat);

        /// <summary>The open blocks' labels, innermost last, with where each $id is: a branch finds its label in one
        /// lookup however deep the nesting (50,000 try_tables each naming the outermost label took 2.7 s by scanning).</summary>
        private sealed class LabelStack
        {
            private readonly List<Label> labels = [];
            private readonly Dictionary<string, List<int>> positions = new(StringComparer.Ordinal);

            public int Count => labels.Count;

            /// <summary>The innermost label; its id stays when it is replaced (an if becoming an else, a try a catch).</summary>
            public Label Top
            {
                get => labels[^1];
                set => labels[^1] = value;
            }

            public void Push(Label label)
            {
                if (label.Id is { } id)
                {
                    if (!positions.TryGetValue(id, out var at))
                    {
                        positions[id] = at = [];
                    }
                    at.Add(labels.Count);
                }
                labels.Add(label);
            }

            public void Pop()
            {
                if (labels[^1].Id is { } id)
                {
                    positions[id].RemoveAt(positions[id].Count - 1);
                }
                labels.RemoveAt(labels.Count - 1);
            }

            /// <summary>The branch depth of the innermost label with this id, or null.</summary>
            public uint? Depth(string id) =>
                positions.TryGetValue(id, out var at) && at.Count > 0 ? (uint)(labels.Count - 1 - at[^1]) : null;
        }

        private enum FrameKind : byte
        {
            /// <summary>`(op immediates operands...)`: op's encoding waits in `pending` from PendingStart.</summary>
            Plain,

            /// <summary>`(block ...)` or `(loop ...)`: written at once, `end` at the close.</summary>
            Block,

            /// <summary>`(if label bt conditions... (then ...) (else ...)?)`: the `if` and its block type wait in
            /// `pending` until `(then`.</summary>
            If,
            Then,
            Else,

            /// <summary>`(try label bt (do ...) (catch x ...)* (catch_all ...)?)` or `(try ... (do ...) (delegate l))`:
            /// the header is written at once; each clause is a frame of its own.</summary>
            Try,

            /// <summary>A legacy try's `(do ...)`, `(catch ...)` or `(catch_all ...)`.</summary>
            Clause,
        }

        /// <summary>How far an if or a legacy try has got.</summary>
        private enum Stage : byte
        {
            Conditions,
            AfterThen,
            AfterElse,
            BeforeDo,
            AfterDo,
            AfterCatch,
            AfterCatchAll,
            Delegated,
        }

        /// <summary>A folded instruction being read; Hint: a branch hint for its if or br_if, recorded where its
        /// opcode lands once the pending bytes are written out.</summary>
        private record struct Frame(FrameKind Kind, int PendingStart, int LabelCount, string? Label, Stage Stage, byte? Hint = null);

        /// <summary>The function being encoded (branch hints name it).</summary>
        private uint function;

        /// <summary>A function: `(local ...)*` then instructions up to the func's `)`, written as a code entry.</summary>
        public void Encode(WasmWriter code, uint function)
        {
            this.function = function;
            while (reader.IsOpen("local"))
            {
                reader.Position += 2;
                if (reader.IsId)
                {
                    BindLocal(reader.OptionalId(), reader.Tokens[reader.Position - 1].Start);
                    AddLocals(1, module.ValueType());
                }
                else
                {
                    while (module.StartsValueType)
                    {
                        AddLocals(1, module.ValueType());
                    }
                }
                reader.Expect(TokenKind.RightParen);
            }
            var body = new WasmWriter(256);
            body.U32((uint)localRuns.Count);
            foreach (var (count, type) in localRuns)
            {
                body.U32(count);
                body.Type(type);
            }
            Expression(body, single: false);
            body.Byte(0x0B);
            code.Vector(body.Written);
            module.NameLocals(function, localIds);
        }

        // Binds an $id to the next local's index (the caller counts the local).
        private void BindLocal(string? id, int at)
        {
            if (id is not null && !localIds.TryAdd(id, localCount))
            {
                throw new TextFormatException("duplicate local", reader.Text, at);
            }
        }

        private void AddLocals(uint count, ValType type)
        {
            if (localRuns.Count > 0 && localRuns[^1].Type == type)
            {
                localRuns[^1] = (localRuns[^1].Count + count, type);
            }
            else
            {
                localRuns.Add((count, type));
            }
            localCount += count;
        }

        /// <summary>Instructions up to the `)` that closes their context (not taken), or with <paramref name="single"/>
        /// exactly one folded instruction.</summary>
        public void Expression(WasmWriter output, bool single)
        {
            if (single && reader.Kind != TokenKind.LeftParen)
            {
                throw reader.Unexpected();
            }
            var labelBase = labels.Count;
            while (true)
            {
                switch (reader.Kind)
                {
                    case TokenKind.RightParen when frames.Count == 0:
                        if (labels.Count != labelBase)
                        {
                            throw reader.Unexpected();
                        }
                        return;
                    case TokenKind.RightParen:
                        Close(output);
                        if (single && frames.Count == 0)
                        {
                            return;
                        }
                        break;
                    case TokenKind.LeftParen:
                        Open(output);
                        break;
                    case TokenKind.Atom:
                        if (frames.Count > 0 && frames[^1].Kind is FrameKind.Plain or FrameKind.If or FrameKind.Try)
                        {
                            throw reader.Unexpected();
                        }
                        Flat(output);
                        break;
                    default:
                        throw reader.Unexpected();
                }
            }
        }

        private void Open(WasmWriter output)
        {
            var top = frames.Count > 0 ? frames[^1] : default;
            var inIf = frames.Count > 0 && top.Kind == FrameKind.If;
            var keyword = reader.OpenKeyword();
            if (keyword.IsEmpty)
            {
                reader.Position++;
                throw reader.Unexpected();
            }
            if (frames.Count > 0 && top.Kind == FrameKind.Try)
            {
                OpenTryClause(output, top, keyword);
                return;
            }
            if (inIf && top.Stage != Stage.Conditions && keyword is not "else")
            {
                throw reader.Unexpected();
            }
            switch (keyword)
            {
                case "then" when inIf && top.Stage == Stage.Conditions:
                    reader.Position += 2;
                    AddHint(top.Hint, output);
                    output.Bytes(pending.Written[top.PendingStart..]);
                    pending.Truncate(top.PendingStart);
                    labels.Push(new Label(top.Label, LabelKind.If, Flat: false));
                    frames[^1] = top with { Stage = Stage.AfterThen };
                    frames.Add(new Frame(FrameKind.Then, pending.Length, labels.Count, null, default));
                    return;
                case "else" when inIf && top.Stage == Stage.AfterThen:
                    reader.Position += 2;
                    output.Byte(0x05);
                    frames[^1] = top with { Stage = Stage.AfterElse };
                    frames.Add(new Frame(FrameKind.Else, pending.Length, labels.Count, null, default));
                    return;
                case "block" or "loop":
                    reader.Position += 2;
                    var blockLabel = reader.OptionalId();
                    output.Byte(keyword is "block" ? (byte)0x02 : (byte)0x03);
                    BlockType(output);
                    labels.Push(new Label(blockLabel, LabelKind.Block, Flat: false));
                    frames.Add(new Frame(FrameKind.Block, pending.Length, labels.Count, blockLabel, default));
                    return;
                case "try_table":
                    reader.Position += 2;
                    var tableLabel = reader.OptionalId();
                    TryTableHeader(output);
                    labels.Push(new Label(tableLabel, LabelKind.Block, Flat: false));
                    frames.Add(new Frame(FrameKind.Block, pending.Length, labels.Count, tableLabel, default));
                    return;
                case "try":
                    reader.Position += 2;
                    var tryLabel = reader.OptionalId();
                    output.Byte(0x06);
                    BlockType(output);
                    labels.Push(new Label(tryLabel, LabelKind.Try, Flat: false));
                    frames.Add(new Frame(FrameKind.Try, pending.Length, labels.Count, tryLabel, Stage.BeforeDo));
                    return;
                case "if":
                    var ifHint = module.TakeBranchHint(reader.Position + 1);
                    reader.Position += 2;
                    var ifLabel = reader.OptionalId();
                    var headerStart = pending.Length;
                    pending.Byte(0x04);
                    BlockType(pending);
                    frames.Add(new Frame(FrameKind.If, headerStart, labels.Count, ifLabel, Stage.Conditions, ifHint));
                    return;
                case "do" or "catch" or "catch_all" or "delegate":
                    // Clauses of a folded try only.
                    throw Unexpected();
                default:
                    reader.Position++;
                    var pendingStart = pending.Length;
                    var hint = Plain(pending);
                    frames.Add(new Frame(FrameKind.Plain, pendingStart, labels.Count, null, default, hint));
                    return;
            }
        }

        private void Close(WasmWriter output)
        {
            var frame = frames[^1];
            switch (frame.Kind)
            {
                case FrameKind.Plain:
                    AddHint(frame.Hint, output);
                    output.Bytes(pending.Written[frame.PendingStart..]);
                    pending.Truncate(frame.PendingStart);
                    break;
                case FrameKind.Block:
                    CheckNoOpenFlatBlock(frame);
                    output.Byte(0x0B);
                    labels.Pop();
                    break;
                case FrameKind.Then or FrameKind.Else or FrameKind.Clause:
                    CheckNoOpenFlatBlock(frame);
                    break;
                case FrameKind.Try:
                    if (frame.Stage == Stage.BeforeDo)
                    {
                        throw reader.Unexpected();
                    }
                    if (frame.Stage != Stage.Delegated)
                    {
                        output.Byte(0x0B);
                        labels.Pop();
                    }
                    break;
                default:
                    if (frame.Stage == Stage.Conditions)
                    {
                        throw reader.Unexpected();
                    }
                    output.Byte(0x0B);
                    labels.Pop();
                    break;
            }
            frames.RemoveAt(frames.Count - 1);
            reader.Position++;
        }

        // A clause of a folded legacy try: `(do ...)`, then `(catch x ...)*` and `(catch_all ...)?`, or `(delegate l)`.
        private void OpenTryClause(WasmWriter output, Frame top, ReadOnlySpan<char> keyword)
        {
            var afterDo = top.Stage is Stage.AfterDo or Stage.AfterCatch;
            var next = keyword switch
            {
                "do" when top.Stage == Stage.BeforeDo => Stage.AfterDo,
                "catch" when afterDo => Stage.AfterCatch,
                "catch_all" when afterDo => Stage.AfterCatchAll,
                "delegate" when top.Stage == Stage.AfterDo => Stage.Delegated,
                _ => throw Unexpected(),
            };
            reader.Position += 2;
            frames[^1] = top with { Stage = next };
            switch (next)
            {
                case Stage.AfterCatch:
                    output.Byte(0x07);
                    output.U32(module.tagSpace.Resolve(reader));
                    labels.Top = labels.Top with { Kind = LabelKind.Catch };
                    break;
                case Stage.AfterCatchAll:
                    output.Byte(0x19);
                    labels.Top = labels.Top with { Kind = LabelKind.CatchAll };
                    break;
                case Stage.Delegated:
                    // The label counts from outside the try.
                    labels.Pop();
                    output.Byte(0x18);
                    output.U32(LabelIndex());
                    reader.Expect(TokenKind.RightParen);
                    reader.Position--;
                    frames.Add(new Frame(FrameKind.Clause, pending.Length, labels.Count, null, default));
                    return;
            }
            frames.Add(new Frame(FrameKind.Clause, pending.Length, labels.Count, null, default));
        }

        private TextFormatException Unexpected()
        {
            reader.Position++;
            return reader.Unexpected();
        }

        // try_table's header: the opcode, block type and catch clauses, whose labels count from outside the try_table.
        private void TryTableHeader(WasmWriter output)
        {
            output.Byte(0x1F);
            BlockType(output);
            var clauses = new WasmWriter(16);
            uint count = 0;
            while (reader.OpenKeyword() is var word && word is "catch" or "catch_ref" or "catch_all" or "catch_all_ref")
            {
                var kind = word switch
                {
                    "catch" => CatchKind.Catch,
                    "catch_ref" => CatchKind.CatchRef,
                    "catch_all" => CatchKind.CatchAll,
                    _ => CatchKind.CatchAllRef,
                };
                reader.Position += 2;
                clauses.Byte((byte)kind);
                if (kind is CatchKind.Catch or CatchKind.CatchRef)
                {
                    clauses.U32(module.tagSpace.Resolve(reader));
                }
                clauses.U32(LabelIndex());
                reader.Expect(TokenKind.RightParen);
                count++;
            }
            output.U32(count);
            output.Bytes(clauses.Written);
        }

        private void CheckNoOpenFlatBlock(Frame frame)
        {
            if (labels.Count != frame.LabelCount)
            {
                throw reader.Unexpected();
            }
        }

        // A flat instruction: structured ones manage labels; the rest are written as they are.
        private void Flat(WasmWriter output)
        {
            var keyword = reader.CurrentSpan;
            switch (keyword)
            {
                case "try_table":
                    reader.Position++;
                    var tableLabel = reader.OptionalId();
                    TryTableHeader(output);
                    labels.Push(new Label(tableLabel, LabelKind.Block, Flat: true));
                    return;
                case "try":
                    reader.Position++;
                    var tryLabel = reader.OptionalId();
                    output.Byte(0x06);
                    BlockType(output);
                    labels.Push(new Label(tryLabel, LabelKind.Try, Flat: true));
                    return;
                case "catch" or "catch_all":
                    var clauseOf = OpenFlatLabel();
                    if (clauseOf.Kind is not (LabelKind.Try or LabelKind.Catch))
                    {
                        throw reader.Unexpected();
                    }
                    reader.Position++;
                    if (keyword is "catch")
                    {
                        output.Byte(0x07);
                        output.U32(module.tagSpace.Resolve(reader));
                    }
                    else
                    {
                        output.Byte(0x19);
                    }
                    labels.Top = clauseOf with { Kind = keyword is "catch" ? LabelKind.Catch : LabelKind.CatchAll };
                    return;
                case "delegate":
                    if (OpenFlatLabel().Kind != LabelKind.Try)
                    {
                        throw reader.Unexpected();
                    }
                    reader.Position++;
                    labels.Pop();
                    output.Byte(0x18);
                    output.U32(LabelIndex());
                    return;
                case "block" or "loop" or "if":
                    AddHint(keyword is "if" ? module.TakeBranchHint(reader.Position) : null, output);
                    reader.Position++;
                    var id = reader.OptionalId();
                    output.Byte(keyword switch { "block" => 0x02, "loop" => 0x03, _ => 0x04 });
                    BlockType(output);
                    labels.Push(new Label(id, keyword is "if" ? LabelKind.If : LabelKind.Block, Flat: true));
                    return;
                case "else":
                    var ifLabel = OpenFlatLabel();
                    if (ifLabel.Kind != LabelKind.If)
                    {
                        throw reader.Unexpected();
                    }
                    reader.Position++;
                    CheckEndLabel(ifLabel);
                    labels.Top = ifLabel with { Kind = LabelKind.Else };
                    output.Byte(0x05);
                    return;
                case "end":
                    var label = OpenFlatLabel();
                    reader.Position++;
                    CheckEndLabel(label);
                    labels.Pop();
                    output.Byte(0x0B);
                    return;
                default:
                    var at = output.Length;
                    if (Plain(output) is { } plainHint)
                    {
                        module.AddBranchHint(function, at, plainHint);
                    }
                    return;
            }
        }

        /// <summary>Records a branch hint for the instruction whose opcode is written next to the body.</summary>
        private void AddHint(byte? hint, WasmWriter output)
        {
            if (hint is { } value)
            {
                module.AddBranchHint(function, output.Length, value);
            }
        }

        private Label OpenFlatLabel()
        {
            var frameLabels = frames.Count > 0 ? frames[^1].LabelCount : 0;
            if (labels.Count == 0 || labels.Count <= frameLabels || !labels.Top.Flat)
            {
                throw reader.Unexpected();
            }
            return labels.Top;
        }

        // `end $l` / `else $l` must repeat the block's own label.
        private void CheckEndLabel(Label label)
        {
            if (!reader.IsId)
            {
                return;
            }
            var at = reader.Current.Start;
            var id = reader.OptionalId();
            if (id != label.Id)
            {
                throw new TextFormatException("mismatching label", reader.Text, at);
            }
        }

        private void BlockType(WasmWriter output)
        {
            if (reader.IsOpen("type") || reader.IsOpen("param"))
            {
                output.S64(module.TypeUse(out _, allowNames: false));
                return;
            }
            var resultsStart = reader.Position;
            var (_, results, _) = module.Signature(allowNames: false);
            if (results.Length > 1)
            {
                reader.Position = resultsStart;
                output.S64(module.TypeUse(out _, allowNames: false));
                return;
            }
            if (results.Length == 0)
            {
                output.Byte(0x40);
            }
            else
            {
                output.Type(results[0]);
            }
        }

        // --- Plain instructions (spec 6.5.2-6.5.7) ---

        /// <summary>Writes one plain instruction; returns the branch hint of a br_if that has one.</summary>
        private byte? Plain(WasmWriter output)
        {
            var at = reader.Current.Start;
            var keyword = reader.Position;
            var name = reader.Atom();
            if (!Opcodes.TryGetValue(name, out var opcode))
            {
                throw new TextFormatException(name is "param" or "result" or "local" or "type" or "export" or "import" or "then" or "else" or "item" or "offset"
                    ? "unexpected token" : $"unknown operator {name}", reader.Text, at);
            }
            var hint = opcode == Opcode.BrIf ? module.TakeBranchHint(keyword) : null;
            // `ref.test rt` (3.0 GC): the reference type, read before the opcode, whose nullability picks the encoding.
            ValType? cast = null;
            if (opcode is Opcode.RefTest or Opcode.RefCast)
            {
                var type = module.ReferenceType();
                cast = type;
                if (type.Nullable)
                {
                    opcode = opcode == Opcode.RefTest ? Opcode.RefTestNull : Opcode.RefCastNull;
                }
            }
            if (opcode == Opcode.Select && reader.IsOpen("result"))
            {
                var types = new List<ValType>();
                while (reader.IsOpen("result"))
                {
                    reader.Position += 2;
                    while (module.StartsValueType)
                    {
                        types.Add(module.ValueType());
                    }
                    reader.Expect(TokenKind.RightParen);
                }
                output.Byte(0x1C);
                output.U32((uint)types.Count);
                foreach (var type in types)
                {
                    output.Type(type);
                }
                return null;
            }
            var code = (int)opcode;
            if (code >> 16 != 0)
            {
                output.Byte((byte)(code >> 16));
                output.U32((uint)(code & 0xFFFF));
            }
            else
            {
                output.Byte((byte)code);
            }
            if (cast is { } target)
            {
                output.HeapType(target);
                return hint;
            }
            Immediates(output, opcode, OpcodeInfo.Immediates(opcode));
            return hint;
        }

        private void Immediates(WasmWriter output, Opcode opcode, ImmediateKind kind)
        {
            switch (kind)
            {
                case ImmediateKind.None or ImmediateKind.SelectTypes:
                    break;
                case ImmediateKind.BrOnCast:
                    {
                        var label = LabelIndex();
                        var from = module.ReferenceType();
                        var to = module.ReferenceType();
                        output.Byte((byte)((from.Nullable ? 1 : 0) | (to.Nullable ? 2 : 0)));
                        output.U32(label);
                        output.HeapType(from);
                        output.HeapType(to);
                        break;
                    }
                case ImmediateKind.Label:
                    output.U32(LabelIndex());
                    break;
                case ImmediateKind.BrTable:
                    var targets = new List<uint>();
                    do
                    {
                        targets.Add(LabelIndex());
                    }
                    while (reader.IsIndex);
                    output.U32((uint)targets.Count - 1);
                    foreach (var target in targets)
                    {
                        output.U32(target);
                    }
                    break;
                case ImmediateKind.Function:
                    output.U32(module.functionSpace.Resolve(reader));
                    break;
                case ImmediateKind.CallIndirect:
                    var table = OptionalIndex(module.tableSpace);
                    output.U32((uint)module.TypeUse(out _, allowNames: false));
                    output.U32(table);
                    break;
                case ImmediateKind.Local:
                    output.U32(LocalIndex());
                    break;
                case ImmediateKind.Global:
                    output.U32(module.globalSpace.Resolve(reader));
                    break;
                case ImmediateKind.Table:
                    output.U32(OptionalIndex(module.tableSpace));
                    break;
                case ImmediateKind.TableTable:
                    var destination = OptionalIndex(module.tableSpace);
                    var source = reader.IsIndex ? module.tableSpace.Resolve(reader) : destination;
                    output.U32(destination);
                    output.U32(source);
                    break;
                case ImmediateKind.ElemTable:
                    // `table.init x? y`: with two indices the first is the table.
                    var tableIndex = reader.IsIndexAt(reader.Position + 1) ? module.tableSpace.Resolve(reader) : 0;
                    output.U32(module.elemSpace.Resolve(reader));
                    output.U32(tableIndex);
                    break;
                case ImmediateKind.Elem:
                    output.U32(module.elemSpace.Resolve(reader));
                    break;
                case ImmediateKind.Tag:
                    output.U32(module.tagSpace.Resolve(reader));
                    break;
                case ImmediateKind.Type:
                    output.U32(module.typeSpace.Resolve(reader));
                    break;
                case ImmediateKind.Data:
                    module.usesDataIndex = true;
                    output.U32(module.dataSpace.Resolve(reader));
                    break;
                case ImmediateKind.DataMemory:
                    // `memory.init x? y`: with two indices the first is the memory.
                    module.usesDataIndex = true;
                    var memoryIndex = reader.IsIndexAt(reader.Position + 1) ? module.memorySpace.Resolve(reader) : 0;
                    output.U32(module.dataSpace.Resolve(reader));
                    output.U32(memoryIndex);
                    break;
                case ImmediateKind.Memory:
                    output.U32(OptionalIndex(module.memorySpace));
                    break;
                case ImmediateKind.MemoryMemory:
                    var destinationMemory = OptionalIndex(module.memorySpace);
                    output.U32(destinationMemory);
                    output.U32(reader.IsIndex ? module.memorySpace.Resolve(reader) : destinationMemory);
                    break;
                case ImmediateKind.MemArg:
                    MemArg(output, opcode);
                    break;
                case ImmediateKind.MemArgLane:
                    MemArg(output, opcode, laneFollows: true);
                    output.Byte(LaneIndex());
                    break;
                case ImmediateKind.Lane:
                    output.Byte(LaneIndex());
                    break;
                case ImmediateKind.Shuffle:
                    if (NumbersAhead() != 16)
                    {
                        throw reader.Error("invalid lane length");
                    }
                    for (var i = 0; i < 16; i++)
                    {
                        // A shuffle's lanes are all "malformed lane index" when not natural numbers (-1, 0.5, inf),
                        // where an extract_lane's signed or float index is "unexpected token": the spec tests' words
                        // (3.0's: "i8 constant out of range", as for a lane past 255).
                        output.Byte(reader.IsNatural ? LaneIndex() : throw reader.Error(LaneOutOfRange));
                    }
                    break;
                case ImmediateKind.I32:
                    output.S32((int)(uint)reader.Number(32, isFloat: false));
                    break;
                case ImmediateKind.I64:
                    output.S64((long)reader.Number(64, isFloat: false));
                    break;
                case ImmediateKind.F32:
                    output.F32((uint)reader.Number(32, isFloat: true));
                    break;
                case ImmediateKind.F64:
                    output.F64(reader.Number(64, isFloat: true));
                    break;
                case ImmediateKind.V128:
                    VectorConstant(output);
                    break;
                case ImmediateKind.RefType:
                    output.HeapType(module.HeapType());
                    break;
                default:
                    throw new InvalidOperationException($"no text form for immediates {kind}");
            }
        }

        // How many words follow up to the next instruction: a vector's lanes, badly written ones included (in flat code
        // the next instruction's keyword is an atom too).
        private int NumbersAhead()
        {
            var count = 0;
            while (reader.Tokens[reader.Position + count] is { Kind: TokenKind.Atom } token
                && !Opcodes.ContainsKey(reader.Span(token)) && reader.Span(token) is not ("block" or "loop" or "if" or "else" or "end"))
            {
                count++;
            }
            return count;
        }

        private uint OptionalIndex(IndexSpace space) => reader.IsIndex ? space.Resolve(reader) : 0;

        private uint LabelIndex()
        {
            if (!reader.IsId)
            {
                return reader.U32();
            }
            var at = reader.Current.Start;
            var id = reader.OptionalId()!;
            return labels.Depth(id) ?? throw new TextFormatException($"unknown label ${id}", reader.Text, at);
        }

        private uint LocalIndex()
        {
            if (!reader.IsId)
            {
                return reader.U32();
            }
            var at = reader.Current.Start;
            var id = reader.OptionalId()!;
            return localIds.TryGetValue(id, out var index) ? index : throw new TextFormatException($"unknown local ${id}", reader.Text, at);
        }

        // `memory? offset=N? align=N?` (spec 6.5.6); the alignment is written as its exponent, with flag bit 6 when a
        // memory index follows it (a memory other than 0). Before a lane index a lone number is the lane, so a number
        // is the memory only when another index comes after the memarg.
        private void MemArg(WasmWriter output, Opcode opcode, bool laneFollows = false)
        {
            var hasMemory = reader.IsId || (reader.IsIndex && (!laneFollows || reader.IsIndexAt(AfterMemArg(reader.Position + 1))));
            var memory = hasMemory ? module.memorySpace.Resolve(reader) : 0;
            ulong offset = 0;
            var alignment = (uint)OpcodeInfo.NaturalAlignment(opcode);
            if (reader.Kind == TokenKind.Atom && reader.CurrentSpan.StartsWith("offset="))
            {
                var at = reader.Current.Start;
                // 3.0 offsets are 64-bit: one too large for a 32-bit memory is then invalid, not malformed.
                offset = TextNumbers.Natural(reader.Atom()["offset=".Length..], module.MemArgBits, out var value) switch
                {
                    NumberProblem.None => value,
                    NumberProblem.OutOfRange => throw new TextFormatException($"i{module.MemArgBits} constant out of range", reader.Text, at),
                    _ => throw new TextFormatException("unknown operator", reader.Text, at),
                };
            }
            if (reader.Kind == TokenKind.Atom && reader.CurrentSpan.StartsWith("align="))
            {
                var at = reader.Current.Start;
                var problem = TextNumbers.Natural(reader.Atom()["align=".Length..], module.MemArgBits, out var value);
                if (problem == NumberProblem.Malformed)
                {
                    throw new TextFormatException("unknown operator", reader.Text, at);
                }
                if (problem != NumberProblem.None || value == 0 || (value & (value - 1)) != 0)
                {
                    throw new TextFormatException("alignment must be a power of two", reader.Text, at);
                }
                alignment = (uint)System.Numerics.BitOperations.Log2(value);
            }
            if (memory == 0)
            {
                output.U32(alignment);
            }
            else
            {
                output.U32(alignment | 64);
                output.U32(memory);
            }
            output.U64(offset);
        }

        private int AfterMemArg(int position)
        {
            while (reader.Tokens[position] is { Kind: TokenKind.Atom } token
                && (reader.Span(token).StartsWith("offset=") || reader.Span(token).StartsWith("align=")))
            {
                position++;
            }
            return position;
        }

        /// <summary>A lane index that is no 8-bit number: 3.0 reads lane indices as such and says so.</summary>
        private string LaneOutOfRange => module.features == WasmFeatures.Wasm20 ? "malformed lane index" : "i8 constant out of range";

        private byte LaneIndex()
        {
            if (!reader.IsNatural)
            {
                throw reader.Kind == TokenKind.Atom && TextNumbers.Classify(reader.CurrentSpan) == LiteralClass.Other
                    ? reader.Error("malformed lane index") : reader.Unexpected();
            }
            var at = reader.Current.Start;
            var problem = TextNumbers.Natural(reader.Atom(), 8, out var value);
            var reason = problem == NumberProblem.OutOfRange ? LaneOutOfRange : "malformed lane index";
            return problem == NumberProblem.None ? (byte)value : throw new TextFormatException(reason, reader.Text, at);
        }

        // `v128.const SHAPE lane*` (spec 6.5.9): lanes of the shape's type, little-endian.
        private void VectorConstant(WasmWriter output)
        {
            var at = reader.Current.Start;
            if (reader.Kind != TokenKind.Atom)
            {
                throw reader.Unexpected();
            }
            var (lanes, bits, isFloat) = TextNumbers.VectorShape(reader.Atom()) ?? throw new TextFormatException("unexpected token", reader.Text, at);
            if (NumbersAhead() != lanes)
            {
                throw reader.Error("wrong number of lane literals");
            }
            Span<ulong> values = stackalloc ulong[lanes];
            for (var lane = 0; lane < lanes; lane++)
            {
                values[lane] = reader.Number(bits, isFloat);
            }
            output.V128(TextNumbers.PackLanes(values, bits));
        }

        private static FrozenDictionary<string, Opcode>.AlternateLookup<ReadOnlySpan<char>> BuildOpcodes()
        {
            var names = new Dictionary<string, Opcode>(StringComparer.Ordinal);
            foreach (var opcode in OpcodeInfo.All)
            {
                names.TryAdd(OpcodeInfo.Name(opcode), opcode);
            }
            return names.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }
}
