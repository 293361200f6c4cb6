// mnistd's entry point: picks the subcommand and hands it the remaining arguments.
// With no arguments (or only flags) it serves, as `swift run -c release mnistd` should.
import Engine
import Foundation

// First, before any other code runs: a binary built for AVX2/AVX-512 on a CPU without them would die of SIGILL
// in the first generic specialisation the linker shared with the Engine. Say what to do instead.
if let problem = CPUSupport.check() {
    FileHandle.standardError.write(Data("mnistd: \(problem)\n".utf8))
    exit(1)
}

let arguments = Array(CommandLine.arguments.dropFirst())
let (command, rest): (String, [String]) = {
    guard let first = arguments.first, !first.hasPrefix("-") else { return ("serve", arguments) }
    return (first, Array(arguments.dropFirst()))
}()

let commands: [String: ([String]) throws -> Int32] = [
    "serve": ServeCommand.run,
    "train": TrainCommand.run,
    "bench": BenchCommand.run,
    "fetch-data": FetchDataCommand.run,
    "healthcheck": HealthcheckCommand.run,
    "config-fields": { _ in print(ConfigReference.markdown, terminator: ""); return 0 },
]

// `mnistd help` and `mnistd --help` print every command; `mnistd train --help` (or `mnistd help train`) that one.
if command == "help" || arguments.contains("--help") || arguments.contains("-h") {
    let named = command == "help" ? rest.first : arguments.first.flatMap { $0.hasPrefix("-") ? nil : $0 }
    print(named.flatMap(Usage.text(for:)) ?? Usage.text)
    exit(0)
}
guard let run = commands[command] else {
    FileHandle.standardError.write(Data("mnistd: unknown command '\(command)'\n\n\(Usage.text)\n".utf8))
    exit(2)
}
do {
    exit(try run(rest))
} catch let error as FlagError {
    FileHandle.standardError.write(Data("mnistd \(command): \(error.description)\n".utf8))
    exit(2)
} catch {
    FileHandle.standardError.write(Data("mnistd \(command): \(error)\n".utf8))
    exit(1)
}
