import O2CCore
import O2CLoader

/// One input: arbitrary bytes read as a workflow file (as `SourceFiles` would: invalid UTF-8
/// is replaced), loaded as a whole library. The loader must never crash, hang or overflow the
/// stack; anything it refuses must come back as at least one error diagnostic with a code and
/// a message.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    let (library, diagnostics) = LibraryLoader.load([LibraryLoader.Source(path: "workflows/fuzz.yaml", text: text)])
    for d in diagnostics {
        precondition(!d.code.isEmpty && !d.message.isEmpty, "a diagnostic without code or message: \(d)")
        precondition(d.primary.span.line >= 1, "a diagnostic without a location: \(d)")
    }
    // Rendering the diagnostics is part of every rejection the user sees.
    _ = DiagnosticRenderer(sources: library.sources).render(diagnostics)
    return 0
}
