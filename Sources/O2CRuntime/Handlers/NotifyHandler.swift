import Foundation
import Mustache
import O2CCore

/// Renders a notice from a mustache template and delivers it to a folder per channel:
/// `<outbox>/email/<effect>.eml`, `<outbox>/post/<effect>.txt`, `<outbox>/sms/<effect>.txt`.
///
/// Arguments: `template` (required), `channel` (`email`, `post` or `sms`; default `email`),
/// `to` (the recipient; required for email and sms). The template is
/// `<templates>/<template>.<channel>.mustache` if present, else `<templates>/<template>.mustache`.
/// Its first line, when it starts with `Subject: `, becomes the subject.
///
/// In scope while rendering: `effect_id`, `instance_id`, `workflow`, `today`, `now`, then the
/// instance's inputs and context by name (`invoice.id`, `balance`), then the arguments
/// (`to`, `channel`…), later ones winning. Values print as in expressions, without quotes:
/// money `12.50 EUR`, dates `2026-01-31`; objects and lists work as sections.
/// Output is plain text: nothing is HTML-escaped.
///
/// Idempotent by construction: the file is named after the effect id and written atomically,
/// so delivering the same effect twice leaves one identical file.
public struct NotifyHandler: ActionHandler {
    public static let channels = ["email", "post", "sms"]

    /// Absolute (or working-directory-relative) folder of the templates.
    public let templatesFolder: String
    /// Absolute (or working-directory-relative) folder messages are written into.
    public let outboxFolder: String

    public init(templatesFolder: String, outboxFolder: String) {
        self.templatesFolder = templatesFolder
        self.outboxFolder = outboxFolder
    }

    public func handle(_ delivery: EffectDelivery) throws(HandlerError) -> HandlerAnswer? {
        let message = try render(delivery)
        try HandlerSupport.writeAtomically(Data(message.text.utf8), to: message.path)
        return nil
    }

    /// A rendered notice and the file it goes to.
    public struct Message: Sendable, Equatable {
        public var channel: String
        public var path: String
        public var text: String
    }

    /// Renders without writing: for previews and tests.
    public func render(_ delivery: EffectDelivery) throws(HandlerError) -> Message {
        let args = delivery.arguments
        guard case .string(let template)? = args["template"], !template.isEmpty else {
            throw HandlerError("`\(delivery.action)` has no `template` argument", permanent: true)
        }
        guard NotifyHandler.isSafeName(template) else {
            throw HandlerError("template name `\(template)` may only use letters, digits, `_`, `-` and `.`", permanent: true)
        }
        var channel = "email"
        if let c = args["channel"], !c.isNull {
            guard case .string(let s) = c, NotifyHandler.channels.contains(s) else {
                throw HandlerError("unknown channel \(c) for template `\(template)`; channels: \(NotifyHandler.channels.joined(separator: ", "))",
                                   permanent: true)
            }
            channel = s
        }
        var recipient: String?
        if let to = args["to"], !to.isNull { recipient = NotifyHandler.headerValue(to.plainText) }
        if recipient?.isEmpty ?? true, channel != "post" {
            throw HandlerError("`\(template)` by \(channel) has no recipient (`to` is missing or empty)", permanent: true)
        }

        let candidates = ["\(template).\(channel).mustache", "\(template).mustache"].map { templatesFolder + "/" + $0 }
        guard let (file, source) = candidates.lazy.compactMap({ p in NotifyHandler.read(p).map { (p, $0) } }).first else {
            throw HandlerError("no template for `\(template)` (channel \(channel)): tried \(candidates.map { "`\($0)`" }.joined(separator: " and "))",
                               permanent: true)
        }
        // The subject line is rendered on its own, so data with line breaks cannot end the headers.
        let (subjectSource, bodySource) = NotifyHandler.splitSubject(source)
        let context = NotifyHandler.context(for: delivery)
        let subject = try subjectSource.map { s throws(HandlerError) in NotifyHandler.headerValue(try NotifyHandler.render(s, file: file, context)) }
        var body = try NotifyHandler.render(bodySource, file: file, context).replacingAll("\r\n", with: "\n")
        while body.hasSuffix("\n") { body.removeLast() }
        body += "\n"

        var headers: [String] = []
        if let recipient, !recipient.isEmpty { headers.append("To: \(recipient)") }
        if let subject, channel != "sms" { headers.append("Subject: \(subject)") }
        headers.append("X-O2C-Effect-Id: \(NotifyHandler.headerValue(delivery.effectId))")
        if channel == "email" { headers.append("Content-Type: text/plain; charset=utf-8") }
        let text = headers.joined(separator: "\n") + "\n\n" + body
        let ext = channel == "email" ? "eml" : "txt"
        let path = outboxFolder + "/" + channel + "/" + HandlerSupport.fileName(forEffect: delivery.effectId) + "." + ext
        return Message(channel: channel, path: path, text: text)
    }

    /// The rendering context: delivery facts, then instance data, then arguments.
    public static func context(for delivery: EffectDelivery) -> [String: Any] {
        var out: [String: Any] = [
            "effect_id": delivery.effectId, "instance_id": delivery.instanceId, "workflow": delivery.workflow,
            "today": delivery.now.day.description, "now": delivery.now.description,
        ]
        for (k, v) in delivery.instanceData { out[k] = mustacheValue(v) }
        for (k, v) in delivery.arguments { out[k] = mustacheValue(v) }
        return out
    }

    /// A `Value` as mustache sees it: text for scalars, dictionaries and arrays for the rest,
    /// `false` for false (so `{{#disputed}}` works), and nothing for null.
    public static func mustacheValue(_ v: Value) -> Any? {
        switch v {
        case .null: nil
        case .bool(let b): b
        case .string(let s): s
        case .list(let items): items.map { mustacheValue($0) ?? "" } as [Any]
        case .object(let o): o.compactMapValues { mustacheValue($0) } as [String: Any]
        default: v.plainText
        }
    }

    /// A template whose first line starts with `Subject: ` has a subject; one blank line after it is dropped.
    static func splitSubject(_ source: String) -> (subject: String?, body: String) {
        var text = source.replacingAll("\r\n", with: "\n")
        guard text.hasPrefix("Subject: ") else { return (nil, text) }
        let end = text.firstIndex(of: "\n") ?? text.endIndex
        let subject = String(text[text.index(text.startIndex, offsetBy: 9)..<end])
        text = end < text.endIndex ? String(text[text.index(after: end)...]) : ""
        if text.hasPrefix("\n") { text.removeFirst() }
        return (subject, text)
    }

    /// Renders mustache text as plain text: the pragma turns HTML escaping off.
    static func render(_ source: String, file: String, _ context: [String: Any]) throws(HandlerError) -> String {
        do {
            return try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + source).render(context)
        } catch {
            throw HandlerError("template `\(file)` cannot be read: \(error)", permanent: true)
        }
    }

    /// A header value on one line: CR and LF become spaces, so data cannot add headers.
    static func headerValue(_ s: String) -> String {
        String(s.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 }).trimmingCharacters(in: .whitespaces)
    }

    static func isSafeName(_ name: String) -> Bool {
        !name.hasPrefix(".") && name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == ".")
        }
    }

    static func read(_ path: String) -> String? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
