import ArgumentParser
import O2CCore
import O2CModel

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "graph", abstract: "Print a workflow's state diagram (Mermaid or Graphviz dot).")

    @OptionGroup var project: ProjectOptions
    @Argument(help: "Workflow name.") var workflow: String
    @Option(help: "mermaid or dot.") var format: String = "mermaid"

    func run() throws {
        try Console.run {
            guard let f = WorkflowGraph.Format(rawValue: format) else {
                throw CLIError(message: "unknown format `\(format)` (mermaid, dot)", code: Exit.usage)
            }
            let library = try LibraryLoading.load(project.defaultPaths)
            guard let wf = library.workflow(workflow) else {
                let names = library.workflows.map(\.name)
                throw CLIError(message: "unknown workflow `\(workflow)`" + (Suggest.didYouMean(workflow, in: names).map { "; \($0)" } ?? "")
                               + " (workflows: \(names.joined(separator: ", ")))", code: Exit.unknownWorkflow)
            }
            Console.out(WorkflowGraph.render(wf, ladders: library.ladders, format: f))
        }
    }
}
