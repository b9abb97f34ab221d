// The pieces of a safe install, in-process: the .tgz unpacker against hostile archives, folder copies, integrity
// hashes, semantic version precedence, and how `plugin install` reads its argument.
using System.Formats.Tar;
using Wasmrun.Plugins.Install;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins;

public sealed class PackageTarballTests
{
    private static readonly Dictionary<string, string> files = new()
    {
        ["wasmrun.toml"] = "api = 1\n",
        ["plugin.js"] = "export {};\n",
        ["templates/demo/src/main.demo"] = "print 42\n",
    };

    [Test]
    public async Task Files_under_package_are_unpacked_without_the_prefix()
    {
        using var folder = new TempDirectory();

        PackageTarball.Unpack(NpmPackage.Pack(files), folder.Path, "demo.tgz");

        var unpacked = Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder.Path, f)).Order(StringComparer.Ordinal).ToList();
        await Assert.That(unpacked).IsEquivalentTo(["plugin.js", "templates/demo/src/main.demo", "wasmrun.toml"]);
        await Assert.That(File.ReadAllText(Path.Join(folder.Path, "templates/demo/src/main.demo"))).IsEqualTo("print 42\n");
    }

    public static IEnumerable<Func<(string Attack, TarEntry Entry, string Refusal)>> Attacks()
    {
        yield return () => ("parent path", NpmPackage.Traversal(), "leaves its folder with '..'");
        yield return () => ("parent path inside", NpmPackage.Traversal("package/templates/../../../escaped.txt"), "leaves its folder with '..'");
        yield return () => ("absolute path", NpmPackage.Absolute("/tmp/wasmrun-escaped.txt"), "is an absolute path");
        yield return () => ("backslash", NpmPackage.Absolute("package\\..\\..\\escaped.txt"), "uses '\\'");
        yield return () => ("outside package/", NpmPackage.OutsidePackage(), "is outside package/");
        yield return () => ("symlink", NpmPackage.Symlink(), "is a symbolic link");
        yield return () => ("relative symlink", NpmPackage.Symlink("../../.."), "is a symbolic link");
        yield return () => ("hard link", NpmPackage.HardLink(), "is a hard link");
        yield return () => ("device", NpmPackage.Device(), "is a character device");
        yield return () => ("fifo", NpmPackage.Fifo(), "is a named pipe");
        yield return () => ("duplicate", NpmPackage.Zeros("package/plugin.js", 10), "appears twice");
        yield return () => ("control character", NpmPackage.Zeros("package/evil\u001b[31mname", 1), "entry 'package/evil?[31mname' has control characters");
    }

    [Test]
    [MethodDataSource(nameof(Attacks))]
    public async Task Hostile_entries_are_refused_and_nothing_lands_outside((string Attack, TarEntry Entry, string Refusal) attack)
    {
        using var sandbox = new TempDirectory();
        var destination = Path.Join(sandbox.Path, "a", "b", "staging");
        Directory.CreateDirectory(destination);

        var error = Assert.Throws<WasmrunException>(() => PackageTarball.Unpack(NpmPackage.Pack(files, [attack.Entry]), destination, "evil.tgz"));

        await Assert.That(error.Message).StartsWith("evil.tgz: refused: ");
        await Assert.That(error.Message).Contains(attack.Refusal);
        await Assert.That(error.ExitCode).IsEqualTo(ExitCode.InvalidInput);
        var outside = Directory.EnumerateFileSystemEntries(sandbox.Path, "*", SearchOption.AllDirectories)
            .Where(p => !p.StartsWith(destination, StringComparison.Ordinal) && !destination.StartsWith(p, StringComparison.Ordinal));
        await Assert.That(outside).IsEmpty();
        await Assert.That(File.Exists("/tmp/wasmrun-escaped.txt")).IsFalse();
    }

    [Test]
    public async Task Too_many_entries_are_refused()
    {
        using var destination = new TempDirectory();
        var many = Enumerable.Range(0, PackageLimits.MaxEntries + 1).ToDictionary(i => $"f{i}.txt", _ => "");

        var error = Assert.Throws<WasmrunException>(() => PackageTarball.Unpack(NpmPackage.Pack(many), destination.Path, "many.tgz"));

        await Assert.That(error.Message).Contains($"more than {PackageLimits.MaxEntries} entries");
    }

    [Test]
    public async Task A_small_tgz_that_inflates_past_the_cap_is_refused_while_reading()
    {
        using var destination = new TempDirectory();
        var bomb = NpmPackage.Pack(files, [NpmPackage.Zeros("package/zeros.bin", PackageLimits.MaxUnpackedBytes + 1)]);

        var error = Assert.Throws<WasmrunException>(() => PackageTarball.Unpack(bomb, destination.Path, "bomb.tgz"));

        await Assert.That(bomb.Length).IsLessThan(1 << 20);
        await Assert.That(error.Message).Contains("unpacks to more than 64 MiB");
        await Assert.That(new FileInfo(Path.Join(destination.Path, "zeros.bin")).Length).IsLessThanOrEqualTo(PackageLimits.MaxUnpackedBytes);
    }

    [Test]
    [Arguments(new byte[] { 1, 2, 3, 4 }, "not a valid .tgz package")]
    [Arguments(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3 }, "not a valid .tgz package")]
    public async Task Garbage_is_not_a_package(byte[] bytes, string message)
    {
        using var destination = new TempDirectory();

        var error = Assert.Throws<WasmrunException>(() => PackageTarball.Unpack(bytes, destination.Path, "junk.tgz"));

        await Assert.That(error.Message).StartsWith($"junk.tgz: {message}");
    }

    [Test]
    public async Task A_folder_copy_skips_git_and_refuses_symlinks()
    {
        using var sandbox = new TempDirectory();
        var source = Path.Join(sandbox.Path, "plugin");
        Directory.CreateDirectory(Path.Join(source, ".git", "objects"));
        Directory.CreateDirectory(Path.Join(source, "node_modules", "x"));
        Directory.CreateDirectory(Path.Join(source, "templates"));
        File.WriteAllText(Path.Join(source, ".git", "HEAD"), "ref");
        File.WriteAllText(Path.Join(source, "node_modules", "x", "index.js"), "");
        File.WriteAllText(Path.Join(source, "plugin.js"), "export {};");
        File.WriteAllText(Path.Join(source, "templates", "main.demo"), "print 1");
        var copy = Path.Join(sandbox.Path, "copy");
        Directory.CreateDirectory(copy);

        PackageFolder.Copy(source, copy);

        var copied = Directory.EnumerateFileSystemEntries(copy, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(copy, f)).Order(StringComparer.Ordinal).ToList();
        await Assert.That(copied).IsEquivalentTo(["plugin.js", "templates", "templates/main.demo"]);

        File.CreateSymbolicLink(Path.Join(source, "templates", "passwd"), "/etc/passwd");
        var again = Path.Join(sandbox.Path, "again");
        Directory.CreateDirectory(again);
        var error = Assert.Throws<WasmrunException>(() => PackageFolder.Copy(source, again));
        await Assert.That(error.Message).Contains("passwd is a symbolic link");
    }

    [Test]
    public async Task Integrity_accepts_only_a_matching_sha512()
    {
        var data = "package bytes"u8.ToArray();
        var integrity = Integrity.Of(data);

        await Assert.That(integrity).IsEqualTo(NpmPackage.Integrity(data));
        Integrity.Verify(data, integrity, "demo");
        Integrity.Verify(data, $"sha1-AAAA {integrity}", "demo");
        var wrong = Assert.Throws<WasmrunException>(() => Integrity.Verify(data, Integrity.Of("other"u8.ToArray()), "demo"));
        await Assert.That(wrong.Message).StartsWith("demo: integrity check failed: expected sha512-");
        var sha1Only = Assert.Throws<WasmrunException>(() => Integrity.Verify(data, "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=", "demo"));
        await Assert.That(sha1Only.Message).Contains("is not a sha512 integrity hash");
        await Assert.That(Integrity.HasSha512("sha512-tooshort")).IsFalse();
    }

    [Test]
    public async Task Semantic_versions_order_as_semver_says()
    {
        // semver.org 11.4: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-alpha.beta < 1.0.0-beta < 1.0.0-beta.2 < 1.0.0-beta.11 < 1.0.0-rc.1 < 1.0.0
        string[] ordered = ["0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0"];
        var parsed = ordered.Select(v => SemanticVersion.TryParse(v)!).ToList();

        await Assert.That(parsed.Order().Select(v => v.ToString())).IsEquivalentTo(ordered, TUnit.Assertions.Enums.CollectionOrdering.Matching);
        await Assert.That(SemanticVersion.TryParse("1.0.0+build.5")!.CompareTo(SemanticVersion.TryParse("1.0.0"))).IsEqualTo(0);
        await Assert.That(SemanticVersion.TryParse("1.0")).IsNull();
        await Assert.That(SemanticVersion.TryParse("01.0.0")).IsNull();
        await Assert.That(SemanticVersion.TryParse("latest")).IsNull();
    }

    [Test]
    public async Task Install_arguments_are_names_paths_or_urls()
    {
        using var folder = new TempDirectory();
        var tgz = folder.File("demo-1.0.0.tgz", [1]);

        const string configured = "http://configured/";
        await Assert.That(PluginSource.Parse("wasmdemo", null, configured)).IsEqualTo(new RegistrySource("wasmdemo", null, null));
        await Assert.That(PluginSource.Parse("wasmdemo@1.2.0", null, configured)).IsEqualTo(new RegistrySource("wasmdemo", "1.2.0", null));
        await Assert.That(PluginSource.Parse("wasmdemo@beta", "http://r/", configured)).IsEqualTo(new RegistrySource("wasmdemo", "beta", "http://r/"));
        await Assert.That(PluginSource.Parse(tgz, null, configured)).IsEqualTo(new PathSource(tgz));
        await Assert.That(PluginSource.Parse(folder.Path, null, configured)).IsEqualTo(new PathSource(folder.Path));
        await Assert.That(PluginSource.Parse("https://example.org/demo.tgz", null, configured)).IsEqualTo(new UrlSource(new Uri("https://example.org/demo.tgz")));
        // A first-party name is the bundled copy, unless --registry names a registry (config.toml's one included).
        await Assert.That(PluginSource.Parse("wasmrust", null, configured)).IsEqualTo(new BundledSource("wasmrust", null));
        await Assert.That(PluginSource.Parse("waspy@1.0.0", null, configured)).IsEqualTo(new BundledSource("waspy", "1.0.0"));
        await Assert.That(PluginSource.Parse("wasmrust", configured, configured)).IsEqualTo(new RegistrySource("wasmrust", null, null));
        await Assert.That(PluginSource.Parse("wasmgo@2.0.0", "http://r/", configured)).IsEqualTo(new RegistrySource("wasmgo", "2.0.0", "http://r/"));
        foreach (var bad in new[] { "Wasm Demo", "demo@", "@scope/demo", "ftp://example.org/demo.tgz", "../no-such-folder" })
        {
            var error = Assert.Throws<WasmrunException>(() => PluginSource.Parse(bad, null, configured));
            await Assert.That(error.ExitCode).IsNotEqualTo(ExitCode.Success);
        }
    }
}
