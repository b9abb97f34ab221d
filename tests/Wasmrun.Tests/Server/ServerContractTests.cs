// The page's contract with the server: ui/src/api.g.ts is what TypeScriptContractGenerator writes from the C# records
// (the page is bundled before C# compiles, so the copy is checked in and compared here), and what the server really
// serializes has no key or state name the contract lacks.
using System.Text.Json;
using Wasmrun.Cli;
using Wasmrun.Engine;
using Wasmrun.Host;
using Wasmrun.Inspect;
using Wasmrun.Plugins;
using Wasmrun.Server;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Server;

public sealed class ServerContractTests
{
    private static readonly string Copy = Path.Join(RepositoryRoot.Path, "ui", "src", "api.g.ts");

    [Test]
    public async Task The_page_s_copy_of_the_contract_is_the_generated_one()
    {
        var current = File.Exists(Copy) ? File.ReadAllText(Copy) : "";
        if (current != TypeScriptContract.Text && Environment.GetEnvironmentVariable("WASMRUN_UPDATE_CONTRACT") == "1")
        {
            File.WriteAllText(Copy, TypeScriptContract.Text);
            current = TypeScriptContract.Text;
        }
        await Assert.That(current).IsEqualTo(TypeScriptContract.Text)
            .Because("ui/src/api.g.ts is stale: run this test with WASMRUN_UPDATE_CONTRACT=1 to write it, then rebuild the page");
    }

    [Test]
    public async Task Every_key_and_state_the_server_writes_is_in_the_contract()
    {
        var error = new BuildError("main.c", 3, 7, Severity.Error, "use of undeclared identifier 'x'", new CodeFrame(1, ["int main(void) {", "  return x;"]));
        var build = new BuildState(BuildStatus.Failed, "c 1.0.0", "wasi", "release", 0.5, false, "build failed", [error]);
        var state = new ServerState("0.1.0", "demo", PageMode.App, ArtifactKind.Wasi, true, "0123456789abcdef", 2,
            new ServedModule("/_wasmrun/module.wasm?g=2", "demo.wasm", 1234), build);
        var keys = new List<string>();
        using (var failed = JsonDocument.Parse(JsonSerializer.Serialize(new ServerEvent(ServerEventType.Failed, state, null), ServerJsonContext.Default.ServerEvent)))
        using (var building = JsonDocument.Parse(JsonSerializer.Serialize(new ServerEvent(ServerEventType.Building, null, ["main.c"]), ServerJsonContext.Default.ServerEvent)))
        {
            Keys(failed.RootElement, keys);
            Keys(building.RootElement, keys);
            var written = failed.RootElement.GetProperty("state");
            await Assert.That(failed.RootElement.GetProperty("type").GetString()).IsEqualTo("failed");
            await Assert.That(written.GetProperty("mode").GetString()).IsEqualTo("app");
            await Assert.That(written.GetProperty("kind").GetString()).IsEqualTo("wasi");
            await Assert.That(written.GetProperty("build").GetProperty("status").GetString()).IsEqualTo("failed");
            await Assert.That(written.GetProperty("build").GetProperty("errors")[0].GetProperty("severity").GetString()).IsEqualTo("error");
        }
        // the inspector's report (/_wasmrun/api/module) of a module with a type, a function, a table and an export
        var wasm = Wasm.Module(
            Wasm.Section(1, new byte[] { 1, 0x60, 1, 0x7F, 1, 0x7F }),
            Wasm.Section(3, new byte[] { 1, 0 }),
            Wasm.Section(4, new byte[] { 1, 0x70, 0, 1 }),
            Wasm.Section(7, new byte[] { 1, 2, (byte)'i', (byte)'d', 0, 0 }),
            Wasm.Section(10, new byte[] { 1, 4, 0, 0x20, 0, 0x0B }));
        var report = ReportBuilder.Inspect("id.wasm", ModuleFile.Decode(wasm, "id.wasm"), null, null);
        using (var json = JsonDocument.Parse(JsonSerializer.Serialize(report, ReportJsonContext.Default.InspectReport)))
        {
            Keys(json.RootElement, keys);
        }
        var missing = keys.Distinct().Where(key =>
            !TypeScriptContract.Text.Contains($"  {key}: ", StringComparison.Ordinal) && !TypeScriptContract.Text.Contains($"  {key}?: ", StringComparison.Ordinal));
        await Assert.That(missing).IsEmpty();
        foreach (var (type, names) in new[]
        {
            ("BuildStatus", Enum.GetValues<BuildStatus>().Select(LowercaseEnum.Name)),
            ("PageMode", Enum.GetValues<PageMode>().Select(LowercaseEnum.Name)),
            ("ServerEventType", Enum.GetValues<ServerEventType>().Select(LowercaseEnum.Name)),
            ("ArtifactKind", Enum.GetValues<ArtifactKind>().Select(LowercaseEnum.Name)),
            ("Severity", Enum.GetValues<Severity>().Select(LowercaseEnum.Name)),
        })
        {
            await Assert.That(TypeScriptContract.Text).Contains($"export type {type} = {string.Join(" | ", names.Select(n => $"\"{n}\""))};");
        }
    }

    /// <summary>The keys of every object in a JSON value.</summary>
    private static void Keys(JsonElement element, List<string> keys)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                keys.Add(property.Name);
                Keys(property.Value, keys);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Keys(item, keys);
            }
        }
    }
}
