// `mnistd` subcommand: placeholder until its issue lands.
import Foundation

enum ServeCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        FileHandle.standardError.write(Data("mnistd: this command is not built yet\n".utf8))
        return 2
    }
}
