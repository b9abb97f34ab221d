// Canonical defined types (3.0's iso-recursive type equivalence): every recursive type group of every module is
// interned here once, so two defined types are equivalent exactly when their canonical ids are equal, across modules
// and stores. Runtime type checks (call_indirect, imports, casts) compare these ids; subtyping follows each type's
// declared supertype. Process-wide and thread-safe; it grows with the distinct groups ever decoded.
using System.Collections.Immutable;

namespace Wasmrun.Engine;

/// <summary>One defined type as a module declares it: its function type, whether it is final, its supertype (a type
/// index, null for none) and the recursive group it is part of.</summary>
internal readonly record struct TypeDeclaration(int GroupStart, int GroupSize, bool Final, uint? Super)
{
    /// <summary>The 2.0 form: a function type alone in its group, final, with no supertype.</summary>
    public static TypeDeclaration Single(int index) => new(index, 1, Final: true, Super: null);
}

internal static class TypeRegistry
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<GroupKey, int> Groups = [];

    /// <summary>Each canonical type's declared supertype (-1 for none) and its depth below its root: all subtyping
    /// needs of a type once its group is interned (equivalence is the id itself).</summary>
    private static readonly List<(int Super, int Depth)> Types = [];

    /// <summary>Whether canonical type <paramref name="sub"/> is <paramref name="super"/> or declares it as an
    /// ancestor.</summary>
    public static bool IsSubtype(int sub, int super)
    {
        if (sub == super)
        {
            return true;
        }
        lock (Gate)
        {
            var target = Types[super].Depth;
            for (var type = Types[sub]; type.Depth > target && type.Super >= 0; type = Types[type.Super])
            {
                if (type.Super == super)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>Whether a value of type <paramref name="actual"/> may stand where <paramref name="expected"/> is
    /// wanted (3.0 subtyping), both in canonical form (<see cref="Module.Canonical"/>): the validator's Unknown and
    /// bottom heap type match everything.</summary>
    public static bool Matches(ValType actual, ValType expected)
    {
        if (actual == expected || actual.Kind == ValKind.Unknown || expected.Kind == ValKind.Unknown)
        {
            return true;
        }
        if (!actual.IsReference || !expected.IsReference || (actual.Nullable && !expected.Nullable))
        {
            return false;
        }
        return (actual.Heap, expected.Heap) switch
        {
            (HeapKind.Bottom, _) => true,
            (HeapKind.Defined, HeapKind.Defined) => IsSubtype((int)actual.TypeIndex, (int)expected.TypeIndex),
            // Every defined type is a function type until GC's struct and array types.
            (HeapKind.Defined, var heap) => AbstractMatches(HeapKind.Func, heap),
            (var heap, HeapKind.Defined) => heap == HeapKind.NoFunc,
            var (sub, super) => AbstractMatches(sub, super),
        };
    }

    /// <summary>The top of a reference type's hierarchy: func, extern, exn or any (defined types are function types
    /// until GC's struct and array types).</summary>
    public static HeapKind TopOf(ValType reference) => reference.Heap switch
    {
        HeapKind.Func or HeapKind.NoFunc or HeapKind.TypeIndex or HeapKind.Defined => HeapKind.Func,
        HeapKind.Extern or HeapKind.NoExtern => HeapKind.Extern,
        HeapKind.Exn or HeapKind.NoExn => HeapKind.Exn,
        _ => HeapKind.Any,
    };

    /// <summary>The abstract heap types' order: any above eq above i31, struct and array, none below them all; func
    /// above nofunc, extern above noextern, exn above noexn.</summary>
    private static bool AbstractMatches(HeapKind sub, HeapKind super) => sub == super || super switch
    {
        HeapKind.Any => sub is HeapKind.Eq or HeapKind.I31 or HeapKind.Struct or HeapKind.Array or HeapKind.None,
        HeapKind.Eq => sub is HeapKind.I31 or HeapKind.Struct or HeapKind.Array or HeapKind.None,
        HeapKind.I31 or HeapKind.Struct or HeapKind.Array => sub is HeapKind.None,
        HeapKind.Func => sub is HeapKind.NoFunc,
        HeapKind.Extern => sub is HeapKind.NoExtern,
        HeapKind.Exn => sub is HeapKind.NoExn,
        _ => false,
    };

    /// <summary>The id of a function type of the host's (its types name no defined type): a final type alone in its group.</summary>
    public static int Intern(FuncType type) => Intern([new Member(type, Final: true, Super: ValType.Unknown)]);

    /// <summary>The canonical ids of a valid module's types, in index order.</summary>
    public static ImmutableArray<int> Canonicalize(ImmutableArray<FuncType> types, ImmutableArray<TypeDeclaration> declarations)
    {
        var ids = new int[types.Length];
        for (var start = 0; start < types.Length;)
        {
            var size = declarations[start].GroupSize;
            var members = new Member[size];
            for (var i = 0; i < size; i++)
            {
                var declaration = declarations[start + i];
                members[i] = new Member(InGroup(types[start + i], ids, start, size), declaration.Final,
                    declaration.Super is { } super ? GroupRelative(ValType.Ref(HeapKind.TypeIndex, super, nullable: false), ids, start, size) : ValType.Unknown);
            }
            var first = Intern(members);
            for (var i = 0; i < size; i++)
            {
                ids[start + i] = first + i;
            }
            start += size;
        }
        return [.. ids];
    }

    /// <summary>A type of the module with each defined type in it in canonical form: a type of an earlier group by its
    /// canonical id, one of its own group by its place there.</summary>
    private static FuncType InGroup(FuncType type, int[] ids, int start, int size)
    {
        if (!type.Parameters.Any(IsIndexed) && !type.Results.Any(IsIndexed))
        {
            return type;
        }
        return new FuncType([.. type.Parameters.Select(t => GroupRelative(t, ids, start, size))], [.. type.Results.Select(t => GroupRelative(t, ids, start, size))]);
    }

    private static bool IsIndexed(ValType type) => type.Heap == HeapKind.TypeIndex;

    private static ValType GroupRelative(ValType type, int[] ids, int start, int size)
    {
        if (!IsIndexed(type))
        {
            return type;
        }
        var index = (int)type.TypeIndex;
        return index >= start && index < start + size
            ? ValType.Ref(HeapKind.RecIndex, (uint)(index - start), type.Nullable)
            : ValType.Ref(HeapKind.Defined, (uint)ids[index], type.Nullable);
    }

    private static int Intern(Member[] members)
    {
        var key = new GroupKey(members);
        lock (Gate)
        {
            if (Groups.TryGetValue(key, out var first))
            {
                return first;
            }
            first = Types.Count;
            foreach (var member in members)
            {
                // A supertype in the group is by its place there (it precedes the member, so it is already added).
                var super = member.Super == ValType.Unknown ? -1
                    : (int)member.Super.TypeIndex + (member.Super.Heap == HeapKind.RecIndex ? first : 0);
                Types.Add((super, super < 0 ? 0 : Types[super].Depth + 1));
            }
            Groups[key] = first;
            return first;
        }
    }

    /// <summary>A member of a group in canonical form; its supertype is a reference type to it (Unknown for none).</summary>
    private readonly record struct Member(FuncType Function, bool Final, ValType Super);

    private sealed class GroupKey(Member[] members) : IEquatable<GroupKey>
    {
        private readonly Member[] members = members;

        public bool Equals(GroupKey? other) => other is not null && members.AsSpan().SequenceEqual(other.members);

        public override bool Equals(object? obj) => Equals(obj as GroupKey);

        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var member in members)
            {
                hash.Add(member);
            }
            return hash.ToHashCode();
        }
    }
}
