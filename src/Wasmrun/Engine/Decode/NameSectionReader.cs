// Reads the `name` custom section (spec 7.4.1: module, function and local names) for backtraces and inspect.
// Custom sections never make a module malformed, so a damaged name section yields what could be read and a note.
namespace Wasmrun.Engine.Decode;

internal static class NameSectionReader
{
    private const byte ModuleSubsection = 0;
    private const byte FunctionSubsection = 1;
    private const byte LocalSubsection = 2;

    public static NameSection Read(WasmReader section)
    {
        string? moduleName = null;
        var functions = new Dictionary<uint, string>();
        var locals = new Dictionary<uint, IReadOnlyDictionary<uint, string>>();
        try
        {
            while (!section.AtEnd)
            {
                var id = section.ReadByte();
                var size = section.ReadLength();
                var content = section.Slice(section.Position, section.Position + size, "unexpected end of name subsection");
                section.Position += size;
                switch (id)
                {
                    case ModuleSubsection:
                        moduleName = content.ReadName();
                        break;
                    case FunctionSubsection:
                        ReadNameMap(content, functions);
                        break;
                    case LocalSubsection:
                        for (var count = content.ReadLength(); count > 0; count--)
                        {
                            var function = content.ReadU32();
                            var map = new Dictionary<uint, string>();
                            ReadNameMap(content, map);
                            locals[function] = map;
                        }
                        break;
                }
            }
        }
        catch (ModuleFormatException error)
        {
            return new NameSection
            {
                ModuleName = moduleName,
                Functions = functions,
                Locals = locals,
                Problem = $"name section ignored from offset 0x{error.Offset:x}: {error.Reason}",
            };
        }
        return new NameSection { ModuleName = moduleName, Functions = functions, Locals = locals };
    }

    private static void ReadNameMap(WasmReader reader, Dictionary<uint, string> map)
    {
        for (var count = reader.ReadLength(); count > 0; count--)
        {
            var index = reader.ReadU32();
            map[index] = reader.ReadName();
        }
    }
}
