import O2CCore
import O2CModel

/// `o2c validate`'s check of every `notify` against the templates folder (E0210): a misspelt
/// template or channel otherwise passes validation and scenario tests, and only the first real
/// delivery is dead-lettered, after the customer was due a notice.
///
/// Pure: the shell lists the folder and passes the file names.
public enum NotifyCoverage {
    /// `templates`: the `*.mustache` file names in `folder` (as shown in messages).
    public static func check(_ library: Library, templates: Set<String>, folder: String) -> [Diagnostic] {
        let names = Set(templates.compactMap { file -> String? in
            guard file.hasSuffix(".mustache") else { return nil }
            let base = String(file.dropLast(".mustache".count))
            if let dot = base.lastIndex(of: "."), NotifyHandler.channels.contains(String(base[base.index(after: dot)...])) {
                return String(base[..<dot])
            }
            return base
        }).sorted()
        var ds: [Diagnostic] = []
        for call in library.actionCalls where call.name == "notify" {
            guard let template = call.literals["template"] else {
                ds.append(.error("E0210", "`notify` has no `template`", at: call.span,
                                 help: "name the template: `notify: {template: first_notice, channel: email, to: email}`"))
                continue
            }
            let channel = call.literals["channel"] ?? "email"
            guard NotifyHandler.channels.contains(channel) else {
                ds.append(.error("E0210", "unknown channel `\(channel)` for template `\(template)`", at: call.span,
                                 notes: ["channels: \(NotifyHandler.channels.joined(separator: ", "))"],
                                 help: Suggest.didYouMean(channel, in: NotifyHandler.channels)))
                continue
            }
            if !templates.contains("\(template).\(channel).mustache") && !templates.contains("\(template).mustache") {
                ds.append(.error("E0210", "no template `\(template)` for channel \(channel) in \(folder)/", at: call.span,
                                 notes: ["looked for `\(template).\(channel).mustache` and `\(template).mustache`"],
                                 help: Suggest.didYouMean(template, in: names) ?? "add `\(folder)/\(template).mustache`"))
            }
        }
        return ds
    }
}
