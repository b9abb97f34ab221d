// The interpreter's instruction-frequency profile, compiled only into a build made with `-p:WasmrunOpProfile=true`
// (`./build.sh bench profile` makes and runs one): every dispatch counts the pair its IR instruction forms with the one
// dispatched before, and the counts (per instruction: the sums over the one before) are written to $WASMRUN_OPPROFILE
// at exit. Fusions and the hot set are chosen from these counts (docs/performance.md).
#if WASMRUN_OPPROFILE
using System.Text;

namespace Wasmrun.Engine.Execute;

internal static class OpProfile
{
    private const int Ops = 1024;
    private static readonly long[] Pairs = new long[Ops * Ops];
    private static int previous;

    static OpProfile() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Write();

    public static void Count(Translate.IrOp op)
    {
        var index = (int)op;
        Pairs[previous * Ops + index]++;
        previous = index;
    }

    private static void Write()
    {
        var path = Environment.GetEnvironmentVariable("WASMRUN_OPPROFILE");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }
        var singles = new long[Ops];
        for (var i = 0; i < Pairs.Length; i++)
        {
            singles[i % Ops] += Pairs[i];
        }
        var text = new StringBuilder();
        for (var i = 0; i < Ops; i++)
        {
            if (singles[i] != 0)
            {
                text.Append("op\t").Append(Translate.IrOps.Name((Translate.IrOp)i)).Append('\t').Append(singles[i]).Append('\n');
            }
        }
        for (var i = 0; i < Pairs.Length; i++)
        {
            if (Pairs[i] != 0)
            {
                text.Append("pair\t").Append(Translate.IrOps.Name((Translate.IrOp)(i / Ops))).Append('\t')
                    .Append(Translate.IrOps.Name((Translate.IrOp)(i % Ops))).Append('\t').Append(Pairs[i]).Append('\n');
            }
        }
        File.AppendAllText(path, text.ToString());
    }
}
#endif
