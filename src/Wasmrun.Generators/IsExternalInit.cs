// Polyfill: records and init-only setters on netstandard2.0 need this type (CS0518 otherwise).
namespace System.Runtime.CompilerServices;

internal static class IsExternalInit
{
}
