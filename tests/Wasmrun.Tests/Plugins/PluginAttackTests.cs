// Hostile packages through the published binary: each is refused with exit code 1, nothing is installed, nothing
// is left in the plugins folder, nothing lands outside it, config.toml keeps every byte, and an installed version
// survives a hostile update.
using System.Formats.Tar;
using Wasmrun.Tests.Support;

namespace Wasmrun.Tests.Plugins;

public sealed class PluginAttackTests
{
    private const long SixteenMiB = 16 << 20;

    /// <summary>Each attack: how the registry serves wasmdemo 1.0.0, and the words of the refusal.</summary>
    private static readonly Dictionary<string, (Func<PublishOptions> Options, string Refusal)> attacks = new()
    {
        ["wrong integrity"] = (() => new PublishOptions { Integrity = NpmPackage.Integrity("something else"u8.ToArray()) }, "integrity check failed"),
        ["no integrity"] = (() => new PublishOptions { Integrity = "" }, "has no sha512 integrity hash: refused"),
        ["sha1 only"] = (() => new PublishOptions { Integrity = "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=" }, "has no sha512 integrity hash: refused"),
        ["../ entry"] = (() => Entries(NpmPackage.Traversal("package/../../../escaped-by-wasmrun-test.txt")), "leaves its folder with '..'"),
        ["absolute entry"] = (() => Entries(NpmPackage.Absolute("/tmp/escaped-by-wasmrun-test.txt")), "is an absolute path"),
        ["entry outside package/"] = (() => Entries(NpmPackage.OutsidePackage()), "is outside package/"),
        ["symlink"] = (() => Entries(NpmPackage.Symlink("/etc/passwd")), "is a symbolic link"),
        ["hard link"] = (() => Entries(NpmPackage.HardLink("/etc/passwd")), "is a hard link"),
        ["device"] = (() => Entries(NpmPackage.Device()), "is a character device"),
        ["oversized body, announced"] = (() => new PublishOptions { BodyBytes = SixteenMiB + 1 }, "the download is larger than 16 MiB"),
        ["oversized body, chunked"] = (() => new PublishOptions { BodyBytes = SixteenMiB + 1, AnnounceLength = false }, "the download is larger than 16 MiB"),
        ["decompression bomb"] = (() => Entries(NpmPackage.Zeros("package/zeros.bin", (64 << 20) + 1)), "unpacks to more than 64 MiB"),
    };

    public static IEnumerable<string> Attacks() => attacks.Keys;

    [Test]
    [MethodDataSource(nameof(Attacks))]
    public async Task A_hostile_package_is_refused_and_nothing_is_installed(string name)
    {
        var attack = attacks[name];

        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"), attack.Options());
        var before = home.Snapshot();
        var configBytes = File.ReadAllBytes(home.ConfigFile);

        var result = await home.RunAsync("plugin", "install", "wasmdemo");

        await Assert.That(result.ExitCode).IsEqualTo(1).Because(result.ToString());
        await Assert.That(result.Stderr).StartsWith("error: ");
        await Assert.That(result.Stderr).Contains(attack.Refusal);
        await Assert.That(result.Stdout).IsEmpty();
        await Assert.That(home.Snapshot()).IsEqualTo(before);
        await Assert.That(Convert.ToHexString(File.ReadAllBytes(home.ConfigFile))).IsEqualTo(Convert.ToHexString(configBytes));
        await Assert.That(home.PluginFolderEntries()).IsEmpty();
        await Assert.That(File.Exists(Path.Join(home.Scratch, "escaped-by-wasmrun-test.txt"))).IsFalse();
        await Assert.That(File.Exists(Path.Join(home.Home, "escaped-by-wasmrun-test.txt"))).IsFalse();
        await Assert.That(File.Exists("/tmp/escaped-by-wasmrun-test.txt")).IsFalse();
    }

    [Test]
    public async Task A_hostile_update_leaves_the_installed_version_in_place()
    {
        await using var registry = LoopbackRegistry.Start();
        using var home = new PluginHome(registry);
        registry.Publish("wasmdemo", "1.0.0", NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));
        var install = await home.RunAsync("plugin", "install", "wasmdemo");
        await Assert.That(install.ExitCode).IsEqualTo(0).Because(install.ToString());
        registry.Publish("wasmdemo", "1.1.0", NpmPackage.SamplePlugin("wasmdemo", "1.1.0"), Entries(NpmPackage.Symlink("/etc/shadow")));
        var before = home.Snapshot();

        var update = await home.RunAsync("plugin", "update", "wasmdemo");

        await Assert.That(update.ExitCode).IsEqualTo(1);
        await Assert.That(update.Stderr).Contains("entry 'package/link' is a symbolic link");
        await Assert.That(home.Snapshot()).IsEqualTo(before);
        await Assert.That(File.ReadAllText(Path.Join(home.Plugins, "wasmdemo", "wasmrun.toml"))).Contains("version = \"1.0.0\"");
        await Assert.That(home.PluginFolderEntries()).IsEquivalentTo(["wasmdemo"]);
    }

    [Test]
    public async Task A_symlink_in_a_plugin_folder_is_refused()
    {
        using var home = new PluginHome(registry: null);
        var folder = Path.Join(home.Scratch, "linked");
        PluginInstallTests.WriteFiles(folder, NpmPackage.SamplePlugin("wasmdemo", "1.0.0"));
        File.CreateSymbolicLink(Path.Join(folder, "templates", "demo", "secrets"), "/etc");

        var result = await home.RunAsync("plugin", "install", folder);

        await Assert.That(result.ExitCode).IsEqualTo(1);
        await Assert.That(result.Stderr).Contains("secrets is a symbolic link");
        await Assert.That(home.PluginFolderEntries()).IsEmpty();
        await Assert.That(File.Exists(home.ConfigFile)).IsFalse();
    }

    private static PublishOptions Entries(params TarEntry[] entries) => new() { ExtraEntries = entries };
}
