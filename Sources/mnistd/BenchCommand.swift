// `mnistd bench`: training throughput (samples/s) on MNIST from the data dir, or on random bytes, or with
// `--gemm` the sgemm rate in GFLOP/s. Prints one machine-readable `key=value` line on stdout.
import Engine
import Foundation
import IDX

enum BenchCommand {
    static func run(_ arguments: [String]) throws -> Int32 {
        if let problem = CPUSupport.check() {
            FileHandle.standardError.write(Data("mnistd: \(problem)\n".utf8))
            return 1
        }
        let flags = try Flags(arguments, allowed: ["arch", "preset", "config", "batch", "threads", "seconds", "jobs", "m", "n", "k",
                                                   "data", "data-dir"],
                              booleans: ["gemm", "transpose-a", "transpose-b", "dense"])
        let cores = ThreadPool.shared.cores
        let threads = try flags.int("threads", default: cores, range: 1...max(1, cores))
        let seconds = Double(flags.string("seconds") ?? "3") ?? -1
        guard seconds > 0 && seconds <= 3600 else {
            throw FlagError(description: "--seconds must be a number in (0, 3600], got '\(flags.string("seconds") ?? "")'")
        }
        ThreadPool.shared.maxThreads = threads
        if flags.bool("gemm") {
            let m = try flags.int("m", default: 128, range: 1...8192)
            let k = try flags.int("k", default: 784, range: 1...8192)
            let n = try flags.int("n", default: 512, range: 1...8192)
            let transposeA = flags.bool("transpose-a"), transposeB = flags.bool("transpose-b")
            let (rate, cpuRate) = GemmBenchmark(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB)
                .gflops(seconds: seconds)
            print("gflops=\(String(format: "%.2f", rate)) gflops_per_cpu_second=\(String(format: "%.2f", cpuRate)) m=\(m) k=\(k) n=\(n) threads=\(threads) "
                  + "transpose_a=\(transposeA) transpose_b=\(transposeB)")
            return 0
        }
        let preset = try flags.string("preset").map { name -> (String, [LayerSpec]) in
            guard let layers = TrainingBenchmark.presets[name] else {
                throw FlagError(description: "--preset must be one of \(TrainingBenchmark.presets.keys.sorted().joined(separator: ", ")), got '\(name)'")
            }
            guard flags.string("arch") == nil else { throw FlagError(description: "give --arch or --preset, not both") }
            return (name, layers)
        }
        let file = try flags.string("config").map { path -> (String, JobConfig) in
            guard flags.string("arch") == nil && preset == nil else { throw FlagError(description: "give --config, --arch or --preset, not two") }
            return (path, try loadConfig(path))
        }
        let fixedWidths = preset != nil || file != nil
        let archText = preset?.0 ?? file.map { "config:" + URL(fileURLWithPath: $0.0).lastPathComponent } ?? flags.string("arch") ?? "784-100-100-100-100-10"
        let widths = fixedWidths ? [784, 10] : archText.split(separator: "-").compactMap { Int($0) }
        guard widths.count >= 2, fixedWidths || widths.count == archText.split(separator: "-").count,
              widths.allSatisfy({ (1...65536).contains($0) }) else {
            throw FlagError(description: "--arch must look like 784-100-10 (widths 1...65536), got '\(archText)'")
        }
        var config = file?.1 ?? TrainingBenchmark.config(widths: widths, layers: preset?.1, batch: 128)
        config.training.batchSize = try flags.int("batch", default: config.training.batchSize, range: 1...65536)
        let batch = config.training.batchSize
        let jobs = try flags.int("jobs", default: 1, range: 1...64)
        let data = try TrainingBenchmark.data(flags.string("data") ?? "auto", widths: widths,
                                              dataDirectory: flags.string("data-dir", env: "MNISTD_DATA_DIR") ?? "data")
        let cpuStart = BenchClock.now(CLOCK_PROCESS_CPUTIME_ID), wallStart = BenchClock.now()
        let (rates, sparse) = try TrainingBenchmark.run(config: config, classes: widths.last!, jobs: jobs,
                                                        seconds: seconds, data: data, sparseInput: !flags.bool("dense"))
        // CPU time includes warm-up and idle spinning; it tells a loaded machine from a slow kernel.
        let cpuShare = (BenchClock.now(CLOCK_PROCESS_CPUTIME_ID) - cpuStart) / (BenchClock.now() - wallStart)
        let total = rates.reduce(0, +)
        let each = rates.map { String(format: "%.0f", $0) }.joined(separator: ",")
        print("samples_per_second=\(String(format: "%.0f", total)) arch=\(archText) batch=\(batch) "
              + "threads=\(threads) jobs=\(jobs) per_job=\(each) seconds=\(seconds) cores_used=\(String(format: "%.2f", cpuShare)) "
              + "engine=\(TrainingBenchmark.engine) data=\(data.name) input=\(sparse ? "sparse" : "dense")")
        return 0
    }
}

extension BenchCommand {
    /// A job config file, as `mnistd train --config` reads it: its model and training are timed.
    static func loadConfig(_ path: String) throws -> JobConfig {
        let data: Foundation.Data
        do { data = try Foundation.Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw FlagError(description: "--config '\(path)' cannot be read: \(error.localizedDescription)")
        }
        do {
            let config = try JobConfig.parse(data)
            _ = try config.model.networkSpec()
            return config
        } catch let error as ConfigError {
            throw FlagError(description: "--config '\(path)': \(error)")
        }
    }
}

/// sgemm C(m×n) = A(m×k) · B(k×n) timed in a loop.
struct GemmBenchmark {
    let m: Int, n: Int, k: Int
    var transposeA = false, transposeB = false

    /// GFLOP/s over wall-clock time, and per second of this thread's CPU time (steadier on a busy machine
    /// when single-threaded).
    func gflops(seconds: Double) -> (wall: Double, cpu: Double) {
        let a = (0..<(m * k)).map { Float(($0 * 7) % 13) / 13 - 0.5 }
        let b = (0..<(k * n)).map { Float(($0 * 5) % 11) / 11 - 0.5 }
        var c = [Float](repeating: 0, count: m * n)
        func once() {
            c.withUnsafeMutableBufferPointer { c in
                Gemm.multiply(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1,
                              a: a, lda: transposeA ? m : k, b: b, ldb: transposeB ? k : n,
                              beta: 0, c: c.baseAddress!, ldc: n)
            }
        }
        _ = BenchClock.repeatFor(seconds: min(0.3, seconds / 4), once)
        let cpuStart = BenchClock.now(CLOCK_THREAD_CPUTIME_ID)
        let (count, elapsed) = BenchClock.repeatFor(seconds: seconds, once)
        let cpu = BenchClock.now(CLOCK_THREAD_CPUTIME_ID) - cpuStart
        let flop = 2 * Double(m) * Double(n) * Double(k) * Double(count)
        return (flop / elapsed / 1e9, flop / cpu / 1e9)
    }
}

enum BenchClock {
    static func now(_ clock: clockid_t = CLOCK_MONOTONIC) -> Double {
        var t = timespec()
        clock_gettime(clock, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Calls `body` until `seconds` have passed; returns the calls made and the time they took.
    static func repeatFor(seconds: Double, _ body: () throws -> Void) rethrows -> (count: Int, elapsed: Double) {
        let start = now()
        var count = 0
        var elapsed = 0.0
        repeat {
            try body()
            count += 1
            elapsed = now() - start
        } while elapsed < seconds
        return (count, elapsed)
    }
}
