import ConcordDomain
import Foundation
import NIOPosix

/// The virus-scan hook point for uploaded papers (`WebConfiguration.paperScanCommand`). The command reads the file
/// on standard input; exit status 0 means clean, 1 infected, anything else that the scan could not be done.
struct PaperScanner: Sendable {
    let command: String?

    func scan(_ bytes: Data) async throws -> PaperScanStatus {
        guard let command else { return .notScanned }
        let status = try await NIOThreadPool.singleton.runIfActive { () throws -> Int32 in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            let input = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            try input.fileHandleForWriting.write(contentsOf: bytes)
            try input.fileHandleForWriting.close()
            process.waitUntilExit()
            return process.terminationStatus
        }
        switch status {
        case 0: return .clean
        case 1: return .refused
        default: throw ValidationError(field: "paper", "The virus scanner could not check the file: try again, or ask the service desk")
        }
    }
}
