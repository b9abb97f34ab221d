// The interpreter's instruction-frequency profile, compiled only into a build made with
// `-p:DefineConstants=WASMRUN_OPPROFILE` (`./build.sh profile`): every dispatch counts its IR instruction and the pair
// it forms with the one dispatched before, and the counts are written to $WASMRUN_OPPROFILE at exit. Fusions and the
// hot set are chosen from these counts (docs/performance.md).
#if WASMRUN_OPPROFILE
using System.Text;

namespace Wasmrun.Engine.Execute;

internal static class OpProfile
{
    private const int Ops = 1024;
    private static readonly long[] Singles = new long[Ops];
    private static readonly long[] Pairs = new long[Ops * Ops];
    private static int previous;

    static OpProfile() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Write();

    public static void Count(Translate.IrOp op)
    {
        var index = (int)op;
        Singles[index]++;
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
        var text = new StringBuilder();
        for (var i = 0; i < Ops; i++)
        {
            if (Singles[i] != 0)
            {
                text.Append("op\t").Append(Translate.IrOps.Name((Translate.IrOp)i)).Append('\t').Append(Singles[i]).Append('\n');
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
