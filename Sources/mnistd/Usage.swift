// The text `mnistd help` prints, and each command's own part of it (`mnistd train --help`).
import Foundation

enum Usage {
    /// Each command's summary and flags, one entry per line.
    static let commands: [(name: String, lines: [String])] = [
        ("serve", [
            "run the HTTP service (default)",
            "[--host 127.0.0.1] [--port 8080] [--data-dir data] [--state-dir state] [--workers 1] [--token T]",
            "[--queue-capacity 16] [--checkpoint-seconds 30] [--model-cache-mb 256]",
            "each flag also reads MNISTD_<FLAG> (MNISTD_HOST, MNISTD_PORT, MNISTD_DATA_DIR, ...);",
            "--port 0 picks a free port. One worker is the default: a single job already uses every",
            "core through the engine's shared compute pool, so more workers only split the cores.",
            "With --token, every POST and DELETE needs 'Authorization: Bearer T'.",
        ]),
        ("train", [
            "train in the foreground: --config job.json [--data-dir D] [--init-model model.json] [--out model.json]",
            "[--threads N]; a progress bar on stderr, one JSON summary line on stdout",
        ]),
        ("bench", [
            "training throughput: [--arch 784-100-100-100-100-10 | --preset lenet5|pytorch_example | --config job.json]",
            "[--batch 128] [--threads N] [--seconds S] [--jobs J]; or --gemm [--m 128 --k 784 --n 512] for sgemm GFLOP/s",
        ]),
        ("fetch-data", [
            "download MNIST into the data dir and verify checksums [--data-dir data] [--from DIR]",
            "[--mirror URL] [--bench [--runs N]]",
        ]),
        ("healthcheck", ["exit 0 when the local service answers /healthz [--host 127.0.0.1] [--port 8080]"]),
        ("config-fields", ["print the job config's fields as the README's Markdown table"]),
    ]

    static var text: String {
        (["usage: mnistd [command] [flags]", "", "commands:"] + commands.map(block)).joined(separator: "\n")
    }

    /// The usage of one command, or nil for a name that is none.
    static func text(for command: String) -> String? {
        guard let entry = commands.first(where: { $0.name == command }) else { return nil }
        return "usage: mnistd \(command) [flags]\n\n" + block(entry)
    }

    private static func block(_ entry: (name: String, lines: [String])) -> String {
        let first = "  " + entry.name.padding(toLength: 13, withPad: " ", startingAt: 0) + entry.lines[0]
        return ([first] + entry.lines.dropFirst().map { String(repeating: " ", count: 15) + $0 }).joined(separator: "\n")
    }
}
