// The state of running code (the abstract machine): the value stack (unmanaged, so frames are raw pointers), the
// explicit frame stack (no host recursion per Wasm call), the fuel budget, the interrupt flag and the last trap.
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Wasmrun.Engine.Runtime;
using Wasmrun.Engine.Translate;

namespace Wasmrun.Engine.Execute;

/// <summary>A caller's frame on the frame stack: where to continue, its frame pointer and function.</summary>
internal unsafe struct Frame(Inst* returnIp, ulong* fp, FunctionInstance function)
{
    public Inst* ReturnIp = returnIp;
    public ulong* Fp = fp;
    public FunctionInstance Function = function;
}

internal sealed unsafe class Machine : IDisposable
{
    /// <summary>Fuel units handed to the dispatch loop at a time: the interrupt flag is checked when a slice runs out.</summary>
    private const long Slice = 1 << 20;

    private readonly ulong* stackBase;
    private Frame[] frames = new Frame[256];
    private long fuel;
    // Never disposed: Interrupt may come from a timer thread after the machine is done, and a source with no timer
    // of its own holds nothing to free.
    private readonly CancellationTokenSource interruption = new();
    private volatile bool interruptRequested;
    private ImmutableArray<TrapFrame> backtrace = [];

    public Machine(EngineOptions options, FunctionReferences functions)
    {
        Functions = functions;
        MaxDepth = Math.Clamp(options.MaxCallDepth, 1, EngineOptions.MaxCallDepthCeiling);
        stackBase = (ulong*)NativeMemory.Alloc((nuint)options.StackSlots, sizeof(ulong));
        StackEnd = stackBase + options.StackSlots;
        Top = stackBase;
        fuel = options.Fuel ?? long.MaxValue / 2;
    }

    ~Machine() => NativeMemory.Free(stackBase);

    /// <summary>The functions funcrefs name: call_indirect resolves a table's element here.</summary>
    public FunctionReferences Functions { get; }

    /// <summary>The exceptions exnrefs name.</summary>
    public ExceptionReferences Exceptions { get; } = new();

    /// <summary>The exception each legacy catch clause caught, by the address of its try's hidden slot: rethrow
    /// reads it there. A later catch at the same address replaces it, so this holds at most one exception per
    /// slot address however many are caught (Lua catches one per error), where an exnref would keep each.</summary>
    private readonly Dictionary<nint, ExceptionInstance> caughtBySlot = [];

    /// <summary>The exception the legacy catch clause owning <paramref name="slot"/> caught.</summary>
    public ExceptionInstance Caught(ulong* slot) => caughtBySlot[(nint)slot];

    /// <summary>The exception a throw instruction raises, for the dispatch loop to unwind (Interpreter.Unwinding).</summary>
    public ExceptionInstance? Thrown { get; set; }

    /// <summary>The memory SelectMemory made current, for the dispatch loop's view (Interpreter.ViewChanged).</summary>
    public Memory? SelectedMemory { get; set; }

    /// <summary>The exception that ended the last run uncaught (TrapCode.UncaughtException).</summary>
    public ExceptionInstance? PendingException { get; private set; }

    /// <summary>The instance whose code runs now (cold handlers read its memory and tables).</summary>
    public Instance? Instance { get; set; }

    public ulong* StackEnd { get; }

    /// <summary>The first free slot: where the next invocation's frame starts (above a host call's arguments).</summary>
    public ulong* Top { get; private set; }

    public int FrameCount { get; private set; }

    public int MaxDepth { get; }

    public TrapCode PendingTrap { get; private set; }

    /// <summary>The table index of an uninitialized element, for the trap message (as the spec interpreter words it).</summary>
    public uint? TrapElement { get; set; }

    /// <summary>Cancelled by Interrupt: host functions that can block (WASI's poll, reads and writes of pipes,
    /// terminals and sockets) wait on it too, and trap with "interrupted" when it fires.</summary>
    public CancellationToken Interruption => interruption.Token;

    /// <summary>Asks running code to trap with "interrupted" at its next loop back-edge or call, or in the blocking host
    /// call it is waiting in (from any thread).</summary>
    public void Interrupt()
    {
        interruptRequested = true;
        interruption.Cancel();
    }

    public void PushFrame(Inst* returnIp, ulong* fp, FunctionInstance function)
    {
        if (FrameCount == frames.Length)
        {
            Array.Resize(ref frames, Math.Min(frames.Length * 2, MaxDepth + 1));
        }
        frames[FrameCount++] = new Frame(returnIp, fp, function);
    }

    public ref Frame PopFrame() => ref frames[--FrameCount];

    public long TakeSlice()
    {
        var slice = Math.Min(fuel, Slice);
        fuel -= slice;
        return slice;
    }

    public void ReturnSlice(long unused)
    {
        if (unused > 0)
        {
            fuel += unused;
        }
    }

    /// <summary>Called when a slice is overdrawn: charges the overdraft, then hands out the next slice, or -1 with
    /// PendingTrap set when fuel ran out or an interrupt was requested.</summary>
    public long Refill(long overdrawn)
    {
        fuel += overdrawn;
        if (interruptRequested)
        {
            PendingTrap = TrapCode.Interrupted;
            return -1;
        }
        if (fuel < 0)
        {
            fuel = 0;
            PendingTrap = TrapCode.OutOfFuel;
            return -1;
        }
        return TakeSlice();
    }

    /// <summary>Calls a function with one value per parameter; returns its results or throws a TrapException.</summary>
    public Value[] Invoke(FunctionInstance function, ReadOnlySpan<Value> arguments)
    {
        var type = function.Type;
        CheckArguments(function, arguments);
        var fp = Top;
        var entryDepth = FrameCount;
        var savedInstance = Instance;
        if (fp + type.CallSlots > StackEnd)
        {
            throw new TrapException(TrapCode.CallStackExhausted, []);
        }
        var slot = fp;
        foreach (var argument in arguments)
        {
            *slot++ = argument.Bits;
            if (argument.Type == ValType.V128)
            {
                *slot++ = argument.High;
            }
        }
        try
        {
            if (function.Host is not null)
            {
                CallHost(function, fp, null, null, entryDepth);
            }
            else
            {
                var code = function.Translate();
                if (FrameCount >= MaxDepth || fp + code.FrameSlots > StackEnd)
                {
                    throw new TrapException(TrapCode.CallStackExhausted, []);
                }
                new Span<ulong>(fp + code.ParamSlots, code.LocalSlots).Clear();
                TrapElement = null;
                var trap = Interpreter.Execute(this, function, fp);
                if (trap != TrapCode.None)
                {
                    throw new TrapException(trap, backtrace, TrapElement);
                }
            }
            var results = new Value[type.Results.Length];
            slot = fp;
            for (var i = 0; i < results.Length; i++)
            {
                var result = type.Results[i];
                results[i] = Value.FromBits(result, slot[0], result == ValType.V128 ? slot[1] : 0);
                slot += result.Slots();
            }
            return results;
        }
        finally
        {
            FrameCount = entryDepth;
            Instance = savedInstance;
        }
    }

    /// <summary>Arguments that do not fit the function's type are the embedder's mistake, not the module's: they
    /// would otherwise be read as other bits.</summary>
    private void CheckArguments(FunctionInstance function, ReadOnlySpan<Value> arguments)
    {
        var parameters = function.Type.Parameters;
        if (arguments.Length != parameters.Length)
        {
            throw new ArgumentException($"{function.Name ?? "the function"} takes {parameters.Length} argument(s), {arguments.Length} given");
        }
        for (var i = 0; i < arguments.Length; i++)
        {
            if (!Fits(arguments[i], function.Instance?.Module.Canonical(parameters[i]) ?? parameters[i]))
            {
                throw new ArgumentException($"argument {i + 1} of {function.Name ?? "the function"} must be {parameters[i].Name()}, not {arguments[i].Type.Name()}");
            }
        }
    }

    /// <summary>ref.test, ref.cast and br_on_cast (3.0 GC): whether a reference is of the packed reference type
    /// <paramref name="target"/> (<see cref="CastTarget"/>). A defined type is a function type until struct and array
    /// types come: a function reference of a subtype of it.</summary>
    public bool IsOf(ulong reference, uint target)
    {
        var cast = new CastTarget(target);
        if (reference == 0)
        {
            return cast.Nullable;
        }
        return cast.Heap switch
        {
            HeapKind.Func or HeapKind.Extern or HeapKind.Exn => true,
            HeapKind.TypeIndex => TypeRegistry.IsSubtype(Functions.Resolve(reference).TypeId, Instance!.TypeIds[cast.TypeIndex]),
            var heap => AnyReferences.IsOf(reference, heap),
        };
    }

    /// <summary>call_ref's first half (CallReference): puts the function reference at <paramref name="slot"/> in the
    /// one element of the instance's hidden last table, the element's index (0) in the slot, and the callee's type id in
    /// the hidden entry of type <paramref name="type"/>, which the call_indirect that follows checks (validation has
    /// proved the callee's type matches the type). Returns the instruction's length, or -TrapCode for a null.</summary>
    public int ThroughReference(ulong* slot, int type)
    {
        var target = *slot;
        return target == 0 ? -(int)TrapCode.NullFunctionReference : ThroughHiddenTable(slot, type, target, Functions.Resolve(target));
    }

    /// <summary>The first half of a call_indirect of an open type (CallIndirectOpen): the element at the index in
    /// <paramref name="slot"/>, whose type must be a subtype of the instruction's, then as ThroughReference.</summary>
    public int ThroughTable(ulong* slot, int type, int table)
    {
        var instance = Instance!;
        var elements = instance.Tables[table].Elements;
        var element = *(uint*)slot;
        if (element >= (uint)elements.Length)
        {
            return -(int)TrapCode.UndefinedElement;
        }
        var target = elements[element];
        if (target == 0)
        {
            TrapElement = element;
            return -(int)TrapCode.UninitializedElement;
        }
        var callee = Functions.Resolve(target);
        return TypeRegistry.IsSubtype(callee.TypeId, instance.TypeIds[type])
            ? ThroughHiddenTable(slot, type, target, callee)
            : -(int)TrapCode.IndirectCallTypeMismatch;
    }

    private int ThroughHiddenTable(ulong* slot, int type, ulong target, FunctionInstance callee)
    {
        var instance = Instance!;
        var hidden = instance.Tables[^1] ??= new Table(new TableType(ValType.FuncRef, new Limits(1, 1)), 0);
        hidden.Elements[0] = target;
        instance.TypeIds[instance.Module.Types.Length + type] = callee.TypeId;
        *(uint*)slot = 0;
        return 1;
    }

    /// <summary>Whether a host's value may be passed for a parameter (in canonical form): a number of its type, or a
    /// reference of its hierarchy (func, extern, exn, any), not null where the type excludes null, and for a defined
    /// type a function of a subtype of it.</summary>
    private bool Fits(Value argument, ValType parameter)
    {
        if (!parameter.IsReference)
        {
            return argument.Type == parameter;
        }
        if (!argument.Type.IsReference || TypeRegistry.TopOf(argument.Type) != TypeRegistry.TopOf(parameter))
        {
            return false;
        }
        if (argument.IsNull)
        {
            return parameter.Nullable;
        }
        // A function reference for a (ref $t) parameter must be of a subtype of $t.
        return parameter.Heap != HeapKind.Defined || TypeRegistry.IsSubtype(Functions.Resolve(argument.Bits).TypeId, (int)parameter.TypeIndex);
    }

    /// <summary>Runs a host function over the callee frame's slots; code it calls back into runs above them.</summary>
    public void CallHost(FunctionInstance callee, ulong* fp, FunctionInstance? caller, Inst* ip, int entryDepth)
    {
        var slots = callee.Type.CallSlots;
        var savedTop = Top;
        var savedInstance = Instance;
        Top = fp + slots;
        try
        {
            callee.Host!(new HostCall(fp, slots, caller?.Instance));
        }
        catch (TrapException trap) when (caller is not null && trap.Backtrace.IsEmpty)
        {
            // A host function's trap (WASI's interrupted wait, a bad exit status) shows where Wasm called it.
            RecordTrap(caller, ip, entryDepth);
            trap.Backtrace = backtrace;
            throw;
        }
        finally
        {
            Top = savedTop;
            Instance = savedInstance;
        }
    }

    /// <summary>Finds the handler of the exception in <see cref="Thrown"/>, thrown at <paramref name="ip"/>: the
    /// innermost one over the IR position in this frame, then in each caller (at its call), popping the frames it
    /// leaves, down to the run's entry frame. A catch gets the exception's arguments (and its exnref) in its frame,
    /// and its landing pad is pushed as a frame to return to: the dispatch loop's return handler goes there, so the
    /// loop has no code of its own for it. A delegate moves the search to its label's block. False when nothing
    /// caught it (PendingException keeps it).</summary>
    public bool Unwind(FunctionInstance function, Inst* ip, ulong* fp, int entryDepth)
    {
        var exception = Thrown!;
        Thrown = null;
        while (true)
        {
            var code = function.Code!;
            var at = (int)(ip - code.Start);
            var deepest = int.MaxValue;
            foreach (var handler in code.Handlers)
            {
                // Innermost first: every later handler over this position belongs to an enclosing block.
                if (!handler.Covers(at) || handler.Level > deepest)
                {
                    continue;
                }
                if (handler.Kind == HandlerKind.Delegate)
                {
                    deepest = handler.Pad;
                    continue;
                }
                if (handler.Kind is HandlerKind.Catch or HandlerKind.CatchRef && function.Instance!.Tags[handler.Tag] != exception.Tag)
                {
                    continue;
                }
                var slot = fp + handler.PayloadSlot;
                if (handler.Kind is HandlerKind.Catch or HandlerKind.CatchRef)
                {
                    exception.Payload.CopyTo(new Span<ulong>(slot, exception.Payload.Length));
                    slot += exception.Payload.Length;
                }
                if (handler.Kind is HandlerKind.CatchRef or HandlerKind.CatchAllRef)
                {
                    *slot = Exceptions.ReferenceOf(exception);
                }
                if (handler.ExceptionSlot >= 0)
                {
                    caughtBySlot[(nint)(fp + handler.ExceptionSlot)] = exception;
                }
                PushFrame(code.Start + handler.Pad, fp, function);
                return true;
            }
            if (FrameCount == entryDepth)
            {
                PendingException = exception;
                return false;
            }
            ref var caller = ref PopFrame();
            ip = caller.ReturnIp - 1;
            fp = caller.Fp;
            function = caller.Function;
        }
    }

    /// <summary>Captures the active Wasm frames, innermost first, when code traps at <paramref name="ip"/>.</summary>
    public void RecordTrap(FunctionInstance function, Inst* ip, int entryDepth)
    {
        var trace = ImmutableArray.CreateBuilder<TrapFrame>();
        trace.Add(FrameOf(function, ip));
        for (var i = FrameCount - 1; i >= entryDepth; i--)
        {
            trace.Add(FrameOf(frames[i].Function, frames[i].ReturnIp - 1));
        }
        backtrace = trace.ToImmutable();
    }

    public void Dispose()
    {
        NativeMemory.Free(stackBase);
        GC.SuppressFinalize(this);
    }

    private static TrapFrame FrameOf(FunctionInstance function, Inst* ip) => new(
        function.Index,
        function.Name,
        function.Code?.OffsetOf(ip) ?? -1,
        function.Instance?.Name);
}
