// Runs a piece of a plugin's script on a thread of its own with a known 16 MiB stack. Jint's stack guard and the
// parser's depth checks measure the stack they run on; on a thread-pool thread (the dev server's rebuilds) or a main
// thread under some ulimit, deep recursion in the script or in a built-in (String() of a deeply nested array) could
// overflow it first, and a stack overflow ends the whole process with no error to catch.
using System.Runtime.ExceptionServices;

namespace Wasmrun.Plugins;

internal static class ScriptThread
{
    private const int StackBytes = 16 << 20;

    public static T Run<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        }, StackBytes)
        { Name = "plugin script" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
