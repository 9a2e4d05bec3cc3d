import O2CCore
import O2CLoader
import Testing

/// A workflow with an error is not loaded; the workflows that start it must not each report it
/// as unknown on top of its own error.
@Suite struct ChildWorkflowCheckTests {
    static let parent = """
    workflow: parent
    start: waiting
    states:
      waiting:
        entry:
          - start: {workflow: child, key: '"k"'}
          - start: {workflow: chlid, key: '"k"'}
        final: true
    """
    static let brokenChild = """
    workflow: child
    start: open
    states:
      open:
        final: true
        description: ready
        description: again
    """

    @Test("a child with an error is reported once, at its own line; a misspelt child is still E0209")
    func brokenChildNotRepeated() {
        let (library, ds) = LibraryLoader.load([.init(path: "parent.yaml", text: Self.parent), .init(path: "child.yaml", text: Self.brokenChild)])
        let text = DiagnosticRenderer(sources: library.sources).render(ds)
        #expect(ds.filter { $0.code == "E0209" }.count == 1, "\(text)")
        #expect(text.contains("names unknown workflow `chlid`"), "\(text)")
        #expect(!text.contains("unknown workflow `child`"), "\(text)")
        #expect(text.contains("duplicate key `description`"), "\(text)")
    }
}
