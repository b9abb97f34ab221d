// The OS project the page and server tests run: a folder with echo.wasm, a WASI command compiled from C by clang-14.
// It writes /tmp/hello.txt and /app/out.txt, says "ready" on stderr, echoes each line of stdin, says "stdin closed"
// at end of file, then waits until it is killed.
using Wasmrun.Tests.Server;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Os.Page;

internal static class EchoProject
{
    private const string EchoC = """
        #include <stdio.h>
        #include <unistd.h>

        int main(int argc, char **argv) {
            FILE *file = fopen("/tmp/hello.txt", "w");
            if (file) { fputs("written by the echo process\n", file); fclose(file); }
            file = fopen("/app/out.txt", "w");
            if (file) { fputs("app file\n", file); fclose(file); }
            fprintf(stderr, "echo: ready on stderr\n");
            printf("echo started with %d args\n", argc);
            fflush(stdout);
            char line[1024];
            while (fgets(line, sizeof line, stdin)) {
                printf("echo: %s", line);
                fflush(stdout);
            }
            printf("stdin closed; waiting\n");
            fflush(stdout);
            for (;;) {
                sleep(1);
            }
        }

        """;

    /// <summary>The project folder, with echo.c and echo.wasm.</summary>
    public static async Task<string> CreateAsync(TempDirectory temp)
    {
        var clang = RequiredTool.Program("clang-14", "apt install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32");
        var project = ServerFolders.Project(temp, ("echo.c", EchoC));
        var result = await ExternalProcess.RunAsync(clang, ["--target=wasm32-wasi", "-O2", "-o", "echo.wasm", "echo.c"], project);
        await Assert.That(result.ExitCode).IsEqualTo(0).Because(result.ToString());
        return project;
    }

    /// <summary>`wasmrun os` on the project (options before the path: the words after it are the process's).</summary>
    public static Task<DevServerProcess> ServeAsync(TempDirectory temp, string project, params string[] options) =>
        DevServerProcess.StartAsync(ServerFolders.Home(temp), project, ["os", .. options, "--port", "0", project]);
}
