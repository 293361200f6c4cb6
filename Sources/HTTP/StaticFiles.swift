// Static files from a directory on disk or from in-memory data, with content types and no way out of the root.
import Foundation

/// A read-only file tree. Paths are "/"-separated and relative ("index.html", "js/app.js").
public struct StaticFiles: Sendable {
    private enum Source: Sendable {
        case directory(URL)
        case memory([String: Data])
    }

    private let source: Source
    /// Served for "" and for paths ending in "/".
    public var indexFile = "index.html"
    /// `Cache-Control` for every file.
    public var cacheControl = "no-cache"

    /// Files under `directory`; symlinks may not lead outside it.
    public init(directory: String) {
        source = .directory(URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath())
    }

    /// Files held in memory, keyed by relative path (e.g. the page compiled into the binary).
    public init(files: [String: Data]) {
        source = .memory(files)
    }

    /// True when the files are held in memory, so serving one never touches the disk.
    public var isInMemory: Bool {
        if case .memory = source { return true }
        return false
    }

    /// The file at `path` (decoded, relative, as the router's "*" parameter gives it), or nil if there is none
    /// or the path tries to leave the root ("..", ".", hidden files, NUL or backslash).
    public func response(for path: String) -> Response? {
        var segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if path.isEmpty || path.hasSuffix("/") { segments.append(indexFile) }
        guard segments.allSatisfy(Self.isSafe) else { return nil }
        let relative = segments.joined(separator: "/")
        guard let data = read(relative) else { return nil }
        return Response(status: 200, headers: ["Content-Type": ContentType.forPath(relative), "Cache-Control": cacheControl],
                        body: data)
    }

    private func read(_ relative: String) -> Data? {
        switch source {
        case let .memory(files):
            return files[relative]
        case let .directory(root):
            let file = root.appendingPathComponent(relative).resolvingSymlinksInPath()
            // A symlink inside the root may point anywhere; serve only what resolves under it.
            guard file.path.hasPrefix(root.path + "/") else { return nil }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory) else { return nil }
            if isDirectory.boolValue { return try? Data(contentsOf: file.appendingPathComponent(indexFile)) }
            return try? Data(contentsOf: file)
        }
    }

    private static func isSafe(_ segment: String) -> Bool {
        !segment.isEmpty && !segment.hasPrefix(".") && !segment.contains("\\") && !segment.contains("\0")
            && !segment.contains("/")
    }
}
