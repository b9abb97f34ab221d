// The settings of config.toml and their defaults, with the Tomlyn source-generated context that reads them.
using System.Text.Json.Serialization;
using Tomlyn.Serialization;
using Wasmrun.Cli;

namespace Wasmrun.Config;

/// <summary>
/// One property per key; a [section] is a property whose type is another class like this one (e.g. a later
/// `public ExecConfig Exec { get; set; } = new();` for [exec]). Only settings the program reads belong here. Every
/// property needs a non-null default: the valid keys, and the defaults shown by `wasmrun config`, are read from the
/// serialized defaults.
/// </summary>
internal sealed class WasmrunConfig
{
    /// <summary>Colours in terminal output: auto (on for a terminal, off under NO_COLOR or TERM=dumb), always, never.</summary>
    public ColorMode Color { get; set; } = ColorMode.Auto;
}

/// <summary>Keys are snake_case; every enum setting needs its KeywordConverter listed here.</summary>
[TomlSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(KeywordConverter<ColorMode>)])]
[TomlSerializable(typeof(WasmrunConfig))]
internal sealed partial class ConfigTomlContext : TomlSerializerContext
{
}
